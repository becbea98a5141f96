"""GET /api/v1/geo/areas/lookup/?lat=&lon=: which buurt, wijk and gemeente contain a point."""

import pytest
from django.urls import reverse

from geo.index import buurt_id_for_point
from geo.models import Area
from tests.geo.factories import AreaFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/geo/areas/lookup/"
LEIDEN = {"lat": "52.158", "lon": "4.49"}


def test_url_is_stable_when_reversed():
    # given / when / then
    assert reverse("api-v1:geo:area-lookup") == URL


def test_lookup_returns_buurt_wijk_gemeente_when_point_in_leiden(api_client, leiden):
    # given
    buurt = Area.objects.get(pk=buurt_id_for_point(lat=52.158, lon=4.49))

    # when
    response = api_client.get(URL, LEIDEN)

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["buurt"] == {"code": buurt.code, "name": buurt.name, "level": "buurt", "year": 2022}
    assert body["wijk"]["code"] == "WK" + buurt.code[2:8]
    assert body["wijk"]["level"] == "wijk"
    assert body["gemeente"] == {
        "code": "GM0546",
        "name": "Leiden",
        "level": "gemeente",
        "year": 2022,
    }


def test_lookup_finds_the_buurt_when_point_is_a_buurt_label(api_client, leiden):
    # given
    buurt = Area.objects.get(code="BU05460704")

    # when
    body = api_client.get(URL, {"lat": buurt.label_lat, "lon": buurt.label_lon}).json()

    # then
    assert body["buurt"]["code"] == "BU05460704"
    assert body["wijk"]["code"] == "WK054607"


def test_lookup_returns_null_parents_when_only_buurten_are_imported(api_client):
    # given
    buurt = AreaFactory(code="BU05469000")

    # when
    body = api_client.get(URL, {"lat": buurt.label_lat, "lon": buurt.label_lon}).json()

    # then
    assert body["buurt"]["code"] == "BU05469000"
    assert body["wijk"] is None
    assert body["gemeente"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": "4.49"}, "lat"),
        ({"lat": "52.158"}, "lon"),
        ({"lat": "abc", "lon": "4.49"}, "lat"),
        ({"lat": "52.158", "lon": ""}, "lon"),
    ],
)
def test_lookup_returns_400_naming_the_field_when_param_missing_or_not_a_number(
    api_client, leiden, params, field
):
    # given / when
    response = api_client.get(URL, params)

    # then
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_lookup_returns_400_with_both_fields_when_no_params(api_client, leiden):
    # given / when
    response = api_client.get(URL)

    # then
    assert response.status_code == 400
    assert set(response.json()) == {"lat", "lon"}


def _domain_error(response, code: str) -> dict:
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "detail", "extra"}
    assert body["code"] == code
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "999", "lon": "4.49"},
        {"lat": "52.158", "lon": "-181"},
        {"lat": "-90.5", "lon": "4.49"},
    ],
)
def test_lookup_returns_invalid_coordinates_when_out_of_range(api_client, leiden, params):
    # given / when
    body = _domain_error(api_client.get(URL, params), "invalid_coordinates")

    # then
    assert body["extra"] == {"lat": float(params["lat"]), "lon": float(params["lon"])}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "nan", "lon": "4.49"}, "lat"),
        ({"lat": "52.1", "lon": "inf"}, "lon"),
        ({"lat": "1e400", "lon": "4.49"}, "lat"),
    ],
)
def test_lookup_returns_400_naming_the_field_when_coordinate_is_not_finite(
    api_client, leiden, params, field
):
    # given / when
    response = api_client.get(URL, params)

    # then
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_lookup_returns_invalid_coordinates_with_rd_hint_when_given_rd_metres(api_client, leiden):
    # given / when
    body = _domain_error(
        api_client.get(URL, {"lat": "463000", "lon": "93000"}), "invalid_coordinates"
    )

    # then
    assert "RD" in body["detail"]


def test_lookup_returns_swapped_coordinates_when_lat_and_lon_are_swapped(api_client, leiden):
    # given / when
    body = _domain_error(
        api_client.get(URL, {"lat": "4.49", "lon": "52.158"}), "swapped_coordinates"
    )

    # then
    assert body["extra"] == {"lat": 4.49, "lon": 52.158}


@pytest.mark.parametrize(
    "params",
    [{"lat": "52.37", "lon": "4.89"}, {"lat": "52.13", "lon": "4.60"}, {"lat": "0", "lon": "0"}],
)
def test_lookup_returns_outside_municipality_when_point_is_not_in_leiden(
    api_client, leiden, params
):
    # given / when
    body = _domain_error(api_client.get(URL, params), "outside_municipality")

    # then
    assert body["extra"] == {"lat": float(params["lat"]), "lon": float(params["lon"])}


def test_lookup_returns_503_no_areas_when_nothing_imported(api_client):
    # given: an empty database

    # when
    response = api_client.get(URL, LEIDEN)

    # then
    assert response.status_code == 503
    assert response.json()["code"] == "no_areas"
