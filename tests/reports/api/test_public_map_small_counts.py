"""GET /api/v1/reports/map/ with the small-count rule as configured (no test override):
cells with 1–4 reports carry no numbers, other numbers are rounded to five."""

import pytest

from geo.grid import cell_centre_wgs84
from reports.services import report_support_add

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/map/"


def test_map_cell_with_few_reports_has_no_numbers(api_client, file_report):
    # given
    reports = [file_report(description=f"Melding {i}").report for i in range(3)]
    report_support_add(report=reports[0], device_id="apparaat-1")

    # when
    body = api_client.get(URL, {"zoom": 16}).json()

    # then
    assert (body["min_count"], body["rounded_to"]) == (5, 5)
    [feature] = body["features"]
    assert feature["properties"] == {"reports": None, "people": None}
    lat, lon = cell_centre_wgs84(reports[0].grid_x, reports[0].grid_y)
    assert feature["geometry"]["coordinates"] == [lon, lat]


def test_map_cell_numbers_are_rounded_to_five(api_client, file_report):
    # given: 8 reports and 4 people who joined in one cell
    reports = [file_report(description=f"Melding {i}").report for i in range(8)]
    for i in range(4):
        report_support_add(report=reports[i], device_id=f"apparaat-{i}")

    # when
    [feature] = api_client.get(URL, {"zoom": 16}).json()["features"]

    # then: 8 → 10 reports, 12 → 10 people
    assert feature["properties"] == {"reports": 10, "people": 10}


@pytest.mark.parametrize("slug", ["woonoverlast", "ondermijning-vermoeden"])
def test_map_never_counts_non_public_reports_towards_the_threshold(api_client, file_report, slug):
    # given: 4 public reports and 6 non-public ones in the same cell
    for i in range(4):
        file_report(description=f"Openbaar {i}")
    for i in range(6):
        file_report(category_slug=slug, description=f"Niet openbaar {i}")

    # when
    features = api_client.get(URL, {"zoom": 12}).json()["features"]

    # then
    assert [f["properties"]["reports"] for f in features] == [None]
