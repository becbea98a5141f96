"""GET /api/v1/reports/nearby/?category=&lat=&lon=: open reports nearby, before filing."""

import pytest
from django.urls import reverse

from geo.grid import cell_centre_wgs84, distance_m
from reports.services import report_moderate, report_status_change
from tests.reports.api.conftest import PIETERSWIJK, PIETERSWIJK_2, SECRET_TEXT, VREEWIJK

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/nearby/"


def _query(category="zwerfafval", point=PIETERSWIJK_2):
    return {"category": category, "lat": point[0], "lon": point[1]}


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:report-nearby") == URL


def test_nearby_lists_an_open_report_of_the_same_category_with_rounded_distance(
    api_client, file_report
):
    # given
    report = file_report().report

    # when
    response = api_client.get(URL, _query())

    # then
    assert response.status_code == 200
    [row] = response.json()
    assert row["uuid"] == str(report.uuid)
    assert row["category"]["slug"] == "zwerfafval"
    assert (row["status"], row["support_count"], row["text"]) == ("open", 0, "")
    assert row["distance_m"] % 10 == 0
    cell = cell_centre_wgs84(report.grid_x, report.grid_y)
    expected = distance_m(PIETERSWIJK_2[0], PIETERSWIJK_2[1], *cell)
    assert abs(row["distance_m"] - expected) <= 5
    assert set(row) == {
        "uuid",
        "category",
        "text",
        "distance_m",
        "support_count",
        "status",
        "created_on",
    }


def test_nearby_shows_only_moderated_text(api_client, file_report, make_user):
    # given
    report = file_report(description=SECRET_TEXT).report
    report_moderate(
        report=report,
        actor=make_user("moderator"),
        decision="redacted",
        public_text="Afval naast de container.",
    )

    # when
    [row] = api_client.get(URL, _query()).json()

    # then
    assert row["text"] == "Afval naast de container."
    assert "Jansen" not in str(row)


def test_nearby_leaves_out_closed_far_and_other_category_reports(
    api_client, file_report, make_user
):
    # given
    closed = file_report().report
    report_status_change(report=closed, actor=make_user("policy_staff"), status="afgehandeld")
    file_report(lat=VREEWIJK[0], lon=VREEWIJK[1])
    file_report(category_slug="vandalisme-graffiti")

    # when
    response = api_client.get(URL, _query())

    # then
    assert response.json() == []


def test_nearby_is_empty_for_a_restricted_category(api_client, file_report):
    # given
    file_report(category_slug="woonoverlast")

    # when
    response = api_client.get(URL, _query(category="woonoverlast"))

    # then
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"lat": "52.1", "lon": "4.4"}, "category", id="missing-category"),
        pytest.param(_query(category="bestaat-niet"), "category", id="unknown-category"),
        pytest.param({"category": "zwerfafval", "lon": "4.49"}, "lat", id="missing-lat"),
        pytest.param({"category": "zwerfafval", "lat": "x", "lon": "4.49"}, "lat", id="bad-lat"),
    ],
)
def test_nearby_returns_field_errors(api_client, cats, params, field):
    # given / when
    response = api_client.get(URL, params)

    # then
    assert response.status_code == 400
    assert field in response.json()


def test_nearby_returns_swapped_coordinates_when_lat_and_lon_are_swapped(api_client, cats):
    # given / when
    response = api_client.get(URL, _query(point=(PIETERSWIJK[1], PIETERSWIJK[0])))

    # then
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["extra"]["field"]) == (
        "swapped_coordinates",
        "location",
    )
