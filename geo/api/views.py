"""Area API: GeoJSON for maps and point → buurt lookup."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.api.serializers import AreaLookupOutputSerializer
from geo.codes import AreaLevel
from geo.geojson import area_feature, feature_collection
from geo.models import Area
from geo.selectors import area_get, area_list, area_lookup_point, area_population_map

GEOJSON_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}


class AreaListApi(APIView):
    """Areas of one level as a GeoJSON FeatureCollection (simplified geometry by default)."""

    class InputSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=AreaLevel.choices, default=AreaLevel.BUURT)
        year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
        parent = serializers.RegexField(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2})$", required=False)
        geometry = serializers.ChoiceField(choices=["simplified", "full"], default="simplified")

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="geo_area_list",
        summary="Areas as GeoJSON",
        description="Gemeente, wijken or buurten with CBS code, name, vintage and latest "
        "inhabitants. `geometry=full` returns the unsimplified boundary.",
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        areas = area_list(
            level=data["level"],
            year=data.get("year"),
            parent_code=data.get("parent"),
        )
        populations = area_population_map(areas=areas)
        full = data["geometry"] == "full"
        features = [area_feature(a, full=full, population=populations.get(a.pk)) for a in areas]
        return Response(feature_collection(features), content_type="application/geo+json")


class AreaDetailApi(APIView):
    """One area as a GeoJSON Feature with full geometry."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="geo_area_detail",
        summary="One area as GeoJSON",
    )
    def get(self, request: Request, code: str) -> Response:
        year = request.query_params.get("year")
        if year is not None and not year.isdigit():
            raise serializers.ValidationError({"year": ["Geef een jaartal, bijvoorbeeld 2022."]})
        try:
            area = area_get(code=code.upper(), year=int(year) if year else None)
        except Area.DoesNotExist as exc:
            raise Http404 from exc
        pop = area.populations.order_by("-year").first()
        return Response(
            area_feature(area, full=True, population=pop), content_type="application/geo+json"
        )


class AreaLookupApi(APIView):
    """Which buurt, wijk and gemeente contain a WGS84 point."""

    class InputSerializer(serializers.Serializer):
        lat = serializers.FloatField(help_text="Latitude, WGS84 (e.g. 52.158)")
        lon = serializers.FloatField(help_text="Longitude, WGS84 (e.g. 4.49)")

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: AreaLookupOutputSerializer},
        operation_id="geo_area_lookup",
        summary="Point → buurt lookup",
        description="Errors: `invalid_coordinates`, `swapped_coordinates`, "
        "`outside_municipality` (400).",
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = area_lookup_point(**params.validated_data)
        return Response(AreaLookupOutputSerializer(result).data)
