"""Open311 GeoReport v2 (mounted at /open311/v2/): `<resource>.xml` or `<resource>.json`."""

from django.urls import path, register_converter

from reports.open311 import views


class FormatConverter:
    regex = "xml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ReferenceConverter:
    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "o311fmt")
register_converter(ReferenceConverter, "o311ref")

app_name = "open311"

urlpatterns = [
    path("discovery.<o311fmt:fmt>", views.DiscoveryApi.as_view(), name="discovery"),
    path("services.<o311fmt:fmt>", views.ServiceListApi.as_view(), name="service-list"),
    path(
        "services/<slug:service_code>.<o311fmt:fmt>",
        views.ServiceDefinitionApi.as_view(),
        name="service-definition",
    ),
    path(
        "requests.<o311fmt:fmt>",
        views.ServiceRequestCollectionApi.as_view(),
        name="request-collection",
    ),
    path(
        "requests/<o311ref:service_request_id>.<o311fmt:fmt>",
        views.ServiceRequestDetailApi.as_view(),
        name="request-detail",
    ),
    path(
        "tokens/<str:token>.<o311fmt:fmt>",
        views.TokenDetailApi.as_view(),
        name="token-detail",
    ),
]
