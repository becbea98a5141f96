"""GET /api/v1/geo/areas/: areas as a GeoJSON FeatureCollection."""

import pytest
import shapely
from django.urls import reverse

from geo.models import Area
from geo.services import area_import_from_file, population_import_from_csv
from tests.geo.builders import vertex_count, write_csv, write_geojson
from tests.geo.factories import AreaFactory, AreaPopulationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/geo/areas/"


def test_url_is_stable_when_reversed():
    # given / when / then
    assert reverse("api-v1:geo:area-list") == URL


def test_area_list_returns_leiden_buurten_as_feature_collection_when_no_params(api_client, leiden):
    # given: Leiden 2022 with 2024 key figures

    # when
    response = api_client.get(URL)

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 54
    feature = next(f for f in body["features"] if f["id"] == "BU05460000")
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert feature["properties"] == {
        "code": "BU05460000",
        "name": "Pieterswijk",
        "level": "buurt",
        "year": 2022,
        "parent_code": "WK054600",
        "is_water": False,
        "area_ha": feature["properties"]["area_ha"],
        "label": feature["properties"]["label"],
        "inhabitants": feature["properties"]["inhabitants"],
        "inhabitants_suppressed": False,
        "population_year": 2024,
    }
    assert feature["properties"]["area_ha"] > 0
    assert isinstance(feature["properties"]["inhabitants"], int)
    min_lon, min_lat, max_lon, max_lat = feature["bbox"]
    lat, lon = feature["properties"]["label"]
    assert min_lat <= lat <= max_lat
    assert min_lon <= lon <= max_lon
    assert [f["id"] for f in body["features"]] == sorted(f["id"] for f in body["features"])


def test_area_list_matches_csv_inhabitants_when_figures_were_imported(api_client, leiden):
    # given: the CSV line "BU05460407,10,," (a buurt with ten inhabitants)

    # when
    body = api_client.get(URL).json()

    # then
    props = {f["id"]: f["properties"] for f in body["features"]}
    assert props["BU05460407"]["inhabitants"] == 10


@pytest.mark.parametrize(("level", "count"), [("gemeente", 1), ("wijk", 10), ("buurt", 54)])
def test_area_list_returns_one_level_when_level_given(api_client, leiden, level, count):
    # given / when
    body = api_client.get(URL, {"level": level}).json()

    # then
    assert len(body["features"]) == count
    assert {f["properties"]["level"] for f in body["features"]} == {level}


def test_area_list_returns_valid_geometry_in_both_forms_when_geometry_param_varies(
    api_client, leiden
):
    # given / when
    simplified = api_client.get(URL, {"geometry": "simplified"}).json()["features"]
    full = api_client.get(URL, {"geometry": "full"}).json()["features"]

    # then
    assert [f["id"] for f in simplified] == [f["id"] for f in full]
    for s, f in zip(simplified, full, strict=True):
        assert shapely.geometry.shape(s["geometry"]).is_valid
        assert shapely.geometry.shape(f["geometry"]).is_valid
        assert vertex_count(s["geometry"]) <= vertex_count(f["geometry"])
    stored = Area.objects.get(code="BU05460000", year=2022)
    assert next(f for f in full if f["id"] == "BU05460000")["geometry"] == stored.boundary


def test_area_list_simplifies_geometry_when_boundary_is_dense(api_client, tmp_path):
    # given: a round buurt with 256 vertices
    circle = shapely.Point(93_500, 463_500).buffer(150, quad_segs=64)
    path = write_geojson(
        tmp_path / "rond.geojson", [({"buurtcode": "BU05469000", "buurtnaam": "Rond"}, circle)]
    )
    area_import_from_file(path=path, level="buurt", year=2023, srid=28992)

    # when
    simplified = api_client.get(URL).json()["features"][0]["geometry"]
    full = api_client.get(URL, {"geometry": "full"}).json()["features"][0]["geometry"]

    # then
    assert vertex_count(simplified) < vertex_count(full) == 257
    assert shapely.geometry.shape(simplified).is_valid


def test_area_list_returns_latest_vintage_when_year_not_given(api_client, leiden):
    # given: one buurt of a 2023 division
    newer = AreaFactory(code="BU05469000", year=2023)

    # when
    latest = api_client.get(URL).json()["features"]
    of_2022 = api_client.get(URL, {"year": 2022}).json()["features"]
    of_2021 = api_client.get(URL, {"year": 2021}).json()["features"]

    # then
    assert [f["id"] for f in latest] == [newer.code]
    assert len(of_2022) == 54
    assert of_2021 == []


def test_area_list_returns_children_when_parent_given(api_client, leiden):
    # given / when
    buurten = api_client.get(URL, {"parent": "WK054600"}).json()["features"]
    wijken = api_client.get(URL, {"level": "wijk", "parent": "GM0546"}).json()["features"]

    # then
    expected = set(
        Area.objects.filter(level="buurt", code__startswith="BU054600").values_list(
            "code", flat=True
        )
    )
    assert expected
    assert {f["id"] for f in buurten} == expected
    assert {f["properties"]["parent_code"] for f in buurten} == {"WK054600"}
    assert len(wijken) == 10


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "foo"}, "level"),
        ({"level": "provincie"}, "level"),
        ({"year": "abc"}, "year"),
        ({"year": "1800"}, "year"),
        ({"parent": "XX"}, "parent"),
        ({"parent": "BU05460000"}, "parent"),
        ({"parent": "GM05461"}, "parent"),
        ({"parent": "WK0546"}, "parent"),
        ({"geometry": "round"}, "geometry"),
    ],
)
def test_area_list_returns_400_naming_the_field_when_param_is_bad(api_client, params, field):
    # given / when
    response = api_client.get(URL, params)

    # then
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_area_list_returns_empty_collection_when_no_areas(api_client):
    # given / when
    response = api_client.get(URL)

    # then
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": []}


def test_area_list_uses_constant_queries_when_many_areas(
    api_client, leiden, django_assert_max_num_queries
):
    # given: 54 buurten with figures

    # when / then: one query for the vintage, one for the areas, one for the figures
    with django_assert_max_num_queries(3):
        response = api_client.get(URL)
    assert len(response.json()["features"]) == 54


def test_area_list_reports_suppressed_inhabitants_as_null_when_cbs_withheld_them(
    api_client, leiden, tmp_path
):
    # given: 2025 figures, one buurt withheld, one buurt without inhabitants in the file
    path = write_csv(
        tmp_path / "k.csv",
        ["code;aantal_inwoners;mannen", "BU05460000;-99997;5", "BU05460001;;5", "BU05460002;0;0"],
    )
    population_import_from_csv(path=path, year=2025)

    # when
    response = api_client.get(URL)

    # then
    props = {f["id"]: f["properties"] for f in response.json()["features"]}
    assert props["BU05460000"]["inhabitants"] is None
    assert props["BU05460000"]["inhabitants_suppressed"] is True
    assert props["BU05460000"]["population_year"] == 2025
    assert props["BU05460001"]["inhabitants"] is None
    assert props["BU05460001"]["inhabitants_suppressed"] is False
    assert props["BU05460002"]["inhabitants"] == 0
    assert props["BU05460002"]["inhabitants_suppressed"] is False


def test_area_list_omits_figures_when_area_has_no_population(api_client):
    # given
    AreaFactory(code="BU05469000")
    AreaPopulationFactory(
        area=AreaFactory(code="BU05469001"), inhabitants=None, suppressed_fields=["inhabitants"]
    )

    # when
    features = api_client.get(URL).json()["features"]

    # then
    assert "inhabitants" not in features[0]["properties"]
    assert features[1]["properties"]["inhabitants"] is None
    assert features[1]["properties"]["inhabitants_suppressed"] is True
