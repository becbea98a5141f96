from django.urls import include, path

from frontend.views import analysis, pages, public_plans

app_name = "frontend"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("toegankelijkheid/", pages.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", pages.PrivacyStatementView.as_view(), name="privacy"),
    path("beheer/", include("frontend.staff_urls")),
    path("", include("frontend.urls_reports")),
    path("", include("frontend.urls_report_map")),
    path("", include("frontend.urls_surveys")),
    path("", include("frontend.urls_panel")),
    path("veiligheidsplan/", public_plans.PublicPlanListView.as_view(), name="plan-public-list"),
    path("veiligheidsplan/<uuid:uuid>/", public_plans.PublicPlanView.as_view(), name="plan-public"),
    path("wijkraad/", analysis.WijkraadListView.as_view(), name="wijkraad-list"),
    path("wijkraad/<slug:slug>/", analysis.WijkraadSummaryView.as_view(), name="wijkraad-summary"),
]
