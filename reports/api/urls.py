from django.urls import path

from reports.api import views

app_name = "reports"

urlpatterns = [
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path("reports/", views.ReportCreateApi.as_view(), name="report-create"),
    path(
        "reports/<uuid:uuid>/support/",
        views.ReportSupportCreateApi.as_view(),
        name="report-support",
    ),
    path("track/<str:token>/", views.ReportTrackApi.as_view(), name="report-track"),
    path("nearby/", views.ReportNearbyListApi.as_view(), name="report-nearby"),
    path("map/", views.PublicMapApi.as_view(), name="public-map"),
    path("public/", views.PublicReportListApi.as_view(), name="public-list"),
    path("staff/reports/", views.StaffReportListApi.as_view(), name="staff-report-list"),
    path("staff/rates/", views.StaffReportRatesApi.as_view(), name="staff-rates"),
    path(
        "staff/reports/<uuid:uuid>/",
        views.StaffReportDetailApi.as_view(),
        name="staff-report-detail",
    ),
    path(
        "staff/reports/<uuid:uuid>/status/",
        views.StaffReportStatusChangeApi.as_view(),
        name="staff-report-status",
    ),
    path(
        "staff/reports/<uuid:uuid>/messages/",
        views.StaffReportMessageCreateApi.as_view(),
        name="staff-report-message-create",
    ),
    path(
        "staff/reports/<uuid:uuid>/moderation/",
        views.StaffReportModerateApi.as_view(),
        name="staff-report-moderate",
    ),
    path(
        "staff/reports/<uuid:uuid>/merge/",
        views.StaffReportMergeApi.as_view(),
        name="staff-report-merge",
    ),
]
