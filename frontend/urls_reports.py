"""Resident pages for meldingen: filing a report, joining one nearby, tracking by link.
Included in the "frontend" namespace by frontend/urls.py."""

from django.urls import path

from frontend.views import reports

urlpatterns = [
    path("melden/", reports.ReportCreateView.as_view(), name="report-create"),
    path("melden/verstuurd/", reports.ReportFiledView.as_view(), name="report-filed"),
    path(
        "melden/ook-last/<uuid:uuid>/",
        reports.ReportSupportView.as_view(),
        name="report-support",
    ),
    path(
        "melden/ook-last/<uuid:uuid>/bedankt/",
        reports.ReportSupportDoneView.as_view(),
        name="report-support-done",
    ),
    path("melding/<str:token>/", reports.ReportTrackView.as_view(), name="report-track"),
]
