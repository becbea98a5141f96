from django.urls import path

from geo.api.views import AreaDetailApi, AreaListApi, AreaLookupApi

app_name = "geo"

urlpatterns = [
    path("areas/", AreaListApi.as_view(), name="area-list"),
    path("areas/lookup/", AreaLookupApi.as_view(), name="area-lookup"),
    path("areas/<str:code>/", AreaDetailApi.as_view(), name="area-detail"),
]
