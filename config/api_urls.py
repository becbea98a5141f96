from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api-v1"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("geo/", include("geo.api.urls")),
    path("plans/", include("participation.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("surveys/", include("surveys.api.urls")),
]
