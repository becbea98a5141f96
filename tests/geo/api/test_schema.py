"""GET /api/v1/schema/: the OpenAPI document lists the geo endpoints."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_the_geo_paths_when_requested_as_json(api_client):
    # given / when
    response = api_client.get("/api/v1/schema/", {"format": "json"})

    # then
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/v1/geo/areas/", "/api/v1/geo/areas/{code}/", "/api/v1/geo/areas/lookup/"} <= set(
        paths
    )
    list_params = {p["name"] for p in paths["/api/v1/geo/areas/"]["get"]["parameters"]}
    assert {"level", "year", "parent", "geometry"} <= list_params
    lookup_params = {p["name"] for p in paths["/api/v1/geo/areas/lookup/"]["get"]["parameters"]}
    assert lookup_params == {"lat", "lon"}
    operation_ids = {op["get"]["operationId"] for op in paths.values() if "get" in op}
    assert {"geo_area_list", "geo_area_detail", "geo_area_lookup"} <= operation_ids


def test_schema_is_served_as_yaml_when_no_format_given(api_client):
    # given / when
    response = api_client.get("/api/v1/schema/")

    # then
    assert response.status_code == 200
    assert b"/api/v1/geo/areas/lookup/:" in response.content
