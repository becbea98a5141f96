"""Staff pages (policy staff, moderators, administrators), included at /beheer/ in the
"frontend" namespace. Every view uses StaffPageMixin (sign-in, permission, two-step
verification)."""

from django.urls import include, path

from frontend.views import analysis, staff

urlpatterns = [
    path("", staff.StaffHomeView.as_view(), name="staff-home"),
    path("rollen/", staff.StaffRolesView.as_view(), name="staff-roles"),
    path("meldingen/", include("frontend.staff_urls_reports")),
    path("vragenlijsten/", include("frontend.staff_urls_surveys")),
    path("ivp/", include("frontend.staff_urls_plans")),
    path("analyse/", analysis.StaffReportRatesView.as_view(), name="staff-analysis-rates"),
    path(
        "analyse/meldingen.csv",
        analysis.StaffReportRatesCsvView.as_view(),
        name="staff-analysis-rates-csv",
    ),
]
