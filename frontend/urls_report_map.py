"""The public meldingen map and its table view. Included in the "frontend" namespace."""

from django.urls import path

from frontend.views import report_map

urlpatterns = [
    path("meldingen/", report_map.ReportListPublicView.as_view(), name="report-list-public"),
    path("meldingen/kaart/", report_map.ReportMapView.as_view(), name="report-map"),
]
