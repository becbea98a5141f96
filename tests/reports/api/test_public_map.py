"""GET /api/v1/reports/map/: blurred counts per grid cell for the public map."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from geo.grid import cell_centre_wgs84
from reports.models import Report
from reports.services import report_support_add
from tests.reports.api.conftest import PIETERSWIJK_2, ROOMBURG

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/map/"


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:public-map") == URL


@pytest.mark.usefixtures("exact_public_counts")
def test_map_returns_a_geojson_point_per_cell_at_the_cell_centre(api_client, file_report):
    # given
    report = file_report().report
    report_support_add(report=report, device_id="apparaat-1")

    # when
    response = api_client.get(URL, {"zoom": 16})

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert (body["type"], body["cell_size_m"]) == ("FeatureCollection", 100)
    [feature] = body["features"]
    lat, lon = cell_centre_wgs84(report.grid_x, report.grid_y)
    assert feature == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"reports": 1, "people": 2},
    }
    assert [lon, lat] != [report.lon, report.lat]


@pytest.mark.parametrize(("zoom", "size"), [(18, 100), (15, 200), (14, 400), (13, 800), (5, 1600)])
def test_map_cells_grow_as_the_zoom_goes_down(api_client, file_report, zoom, size):
    # given
    file_report()

    # when
    body = api_client.get(URL, {"zoom": zoom}).json()

    # then
    assert body["cell_size_m"] == size


@pytest.mark.usefixtures("exact_public_counts")
def test_map_counts_reports_in_one_cell_at_low_zoom(api_client, file_report):
    # given
    file_report()
    file_report(lat=PIETERSWIJK_2[0], lon=PIETERSWIJK_2[1], description="Nog een")

    # when
    features = api_client.get(URL, {"zoom": 12}).json()["features"]

    # then
    assert [f["properties"]["reports"] for f in features] == [2]


def test_map_never_shows_restricted_or_confidential_categories(api_client, file_report):
    # given
    file_report(category_slug="woonoverlast")
    file_report(category_slug="ondermijning-vermoeden")

    # when
    body = api_client.get(URL).json()

    # then
    assert body["features"] == []


def test_map_filters_by_category_and_dates(api_client, file_report):
    # given
    file_report()
    old = file_report(category_slug="jongerenoverlast", lat=ROOMBURG[0], lon=ROOMBURG[1]).report
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    today = timezone.localdate()

    # when
    by_main = api_client.get(URL, {"categories": "overlast-personen"}).json()["features"]
    by_both = api_client.get(URL, {"categories": "zwerfafval,jongerenoverlast"}).json()["features"]
    recent = api_client.get(URL, {"from": (today - timedelta(days=7)).isoformat()}).json()
    older = api_client.get(URL, {"to": (today - timedelta(days=30)).isoformat()}).json()

    # then
    assert len(by_main) == 1
    assert len(by_both) == 2
    assert len(recent["features"]) == 1
    assert len(older["features"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zoom": "23"}, "zoom"),
        ({"zoom": "ver"}, "zoom"),
        ({"categories": "Zwerf Afval"}, "categories"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_map_returns_field_errors(api_client, cats, params, field):
    # given / when
    response = api_client.get(URL, params)

    # then
    assert response.status_code == 400
    assert field in response.json()


def test_map_needs_a_fixed_number_of_queries(
    api_client, file_report, django_assert_max_num_queries
):
    # given
    for i in range(5):
        file_report(description=f"Melding {i}")

    # when / then
    with django_assert_max_num_queries(2):
        assert api_client.get(URL, {"zoom": 16}).status_code == 200


@pytest.mark.usefixtures("exact_public_counts")
def test_map_is_served_from_the_cache_for_a_while(api_client, file_report, settings):
    # given
    settings.REPORTS_MAP_CACHE_SECONDS = 60
    file_report()
    first = api_client.get(URL, {"zoom": 16})
    file_report(description="Nog een, in dezelfde cel")

    # when
    cached = api_client.get(URL, {"zoom": 16})
    other_filter = api_client.get(URL, {"zoom": 16, "categories": "zwerfafval"})

    # then
    assert first["Cache-Control"] == "public, max-age=60"
    assert cached.json() == first.json()
    assert other_filter.json()["features"][0]["properties"]["reports"] == 2


@pytest.mark.usefixtures("exact_public_counts")
def test_map_is_computed_every_time_when_the_cache_is_off(api_client, file_report, settings):
    # given
    settings.REPORTS_MAP_CACHE_SECONDS = 0
    file_report()
    api_client.get(URL, {"zoom": 16})
    file_report(description="Nog een, in dezelfde cel")

    # when
    features = api_client.get(URL, {"zoom": 16}).json()["features"]

    # then
    assert features[0]["properties"]["reports"] == 2
