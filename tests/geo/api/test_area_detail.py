"""GET /api/v1/geo/areas/<code>/: one area as a GeoJSON Feature with full geometry."""

import pytest
from django.urls import reverse

from geo.models import Area
from tests.geo.factories import AreaFactory, AreaPopulationFactory

pytestmark = pytest.mark.django_db


def _url(code: str) -> str:
    return f"/api/v1/geo/areas/{code}/"


def test_url_is_stable_when_reversed():
    # given / when / then
    assert reverse("api-v1:geo:area-detail", kwargs={"code": "GM0546"}) == _url("GM0546")


def test_area_detail_returns_feature_with_full_geometry_when_code_exists(api_client, leiden):
    # given
    area = Area.objects.get(code="GM0546")

    # when
    response = api_client.get(_url("GM0546"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "Feature"
    assert body["id"] == "GM0546"
    assert body["geometry"] == area.boundary
    assert body["properties"]["name"] == "Leiden"
    assert body["properties"]["level"] == "gemeente"
    assert body["properties"]["parent_code"] is None
    assert body["properties"]["inhabitants"] == 130108
    assert body["properties"]["inhabitants_suppressed"] is False
    assert body["bbox"] == [area.min_lon, area.min_lat, area.max_lon, area.max_lat]


def test_area_detail_accepts_lower_case_code_when_given(api_client, leiden):
    # given / when
    response = api_client.get(_url("bu05460000"))

    # then
    assert response.status_code == 200
    assert response.json()["id"] == "BU05460000"


def test_area_detail_returns_latest_vintage_when_year_is_not_given(api_client):
    # given
    AreaFactory(code="BU05469000", year=2022, name="Oud")
    AreaFactory(code="BU05469000", year=2023, name="Nieuw")

    # when
    latest = api_client.get(_url("BU05469000"))
    older = api_client.get(_url("BU05469000"), {"year": 2022})

    # then
    assert latest.json()["properties"]["name"] == "Nieuw"
    assert older.json()["properties"]["name"] == "Oud"


@pytest.mark.parametrize(
    ("code", "params"),
    [("BU05469999", {}), ("BU05460000", {"year": 2021}), ("XX", {}), ("provincie", {})],
)
def test_area_detail_returns_404_when_area_does_not_exist(api_client, leiden, code, params):
    # given / when
    response = api_client.get(_url(code), params)

    # then
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("year", ["abc", "-1", "2022.0"])
def test_area_detail_returns_400_naming_year_when_year_is_not_a_number(api_client, leiden, year):
    # given / when
    response = api_client.get(_url("GM0546"), {"year": year})

    # then
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_area_detail_reports_null_and_flag_when_inhabitants_are_suppressed(api_client):
    # given: an older known figure and a newer withheld one
    area = AreaFactory(code="BU05469000")
    AreaPopulationFactory(area=area, year=2023, inhabitants=120)
    AreaPopulationFactory(area=area, year=2024, inhabitants=None, suppressed_fields=["inhabitants"])

    # when
    props = api_client.get(_url("BU05469000")).json()["properties"]

    # then: the latest row, withheld, never 0 and never the older number
    assert props["inhabitants"] is None
    assert props["inhabitants_suppressed"] is True
    assert props["population_year"] == 2024


def test_area_detail_uses_two_queries_when_area_has_figures(
    api_client, django_assert_max_num_queries
):
    # given
    AreaPopulationFactory(area=AreaFactory(code="BU05469000"))

    # when / then
    with django_assert_max_num_queries(2):
        assert api_client.get(_url("BU05469000")).status_code == 200
