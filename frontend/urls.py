from django.urls import include, path

from frontend.views import pages

app_name = "frontend"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("toegankelijkheid/", pages.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", pages.PrivacyStatementView.as_view(), name="privacy"),
    path("beheer/", include("frontend.staff_urls")),
]
