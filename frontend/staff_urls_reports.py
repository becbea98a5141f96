"""Back office for meldingen under /beheer/meldingen/. Included in the "frontend" namespace."""

from django.urls import path

from frontend.views import staff_reports as views

urlpatterns = [
    path("", views.StaffReportListView.as_view(), name="staff-report-list"),
    path("kaart.geojson", views.StaffReportMapDataView.as_view(), name="staff-report-map-data"),
    path(
        "export.csv",
        views.StaffReportExportView.as_view(export_format="csv"),
        name="staff-report-export-csv",
    ),
    path(
        "export.geojson",
        views.StaffReportExportView.as_view(export_format="geojson"),
        name="staff-report-export-geojson",
    ),
    path("moderatie/", views.StaffModerationQueueView.as_view(), name="staff-report-moderation"),
    path("import/", views.StaffReportImportView.as_view(), name="staff-report-import"),
    path(
        "import/bevestigen/",
        views.StaffReportImportConfirmView.as_view(),
        name="staff-report-import-confirm",
    ),
    path("<uuid:uuid>/", views.StaffReportDetailView.as_view(), name="staff-report-detail"),
    path(
        "<uuid:uuid>/status/",
        views.StaffReportStatusView.as_view(),
        name="staff-report-status",
    ),
    path(
        "<uuid:uuid>/bericht/",
        views.StaffReportMessageView.as_view(),
        name="staff-report-message",
    ),
    path(
        "<uuid:uuid>/moderatie/",
        views.StaffReportModerateView.as_view(),
        name="staff-report-moderate",
    ),
    path(
        "<uuid:uuid>/samenvoegen/",
        views.StaffReportMergeView.as_view(),
        name="staff-report-merge",
    ),
    path(
        "<uuid:uuid>/fotos/<uuid:photo_uuid>/",
        views.StaffReportPhotoView.as_view(),
        name="staff-report-photo",
    ),
]
