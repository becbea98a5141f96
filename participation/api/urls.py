"""The veiligheidsplan API under /api/v1/plans/ (docs/ivp.md)."""

from django.urls import path

from participation.api import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListApi.as_view(), name="plan-list"),
    path("<uuid:uuid>/", views.PlanDetailApi.as_view(), name="plan-detail"),
]
