"""GET /api/v1/reports/public/: the table alternative to the public map."""

import pytest
from django.urls import reverse
from django.utils import timezone

from geo.grid import cell_centre_wgs84
from reports.services import report_moderate, report_status_change
from tests.reports.api.conftest import SECRET_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_cell_published(settings):
    """This module tests the list's content, filters and format: a cell of one report is
    listed here. The cell rule itself is tested in tests/reports/test_public_cell_rule.py."""
    settings.REPORTS_PUBLIC_MIN_COUNT = 1


URL = "/api/v1/reports/public/"


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:public-list") == URL


def test_rows_show_category_date_status_buurt_and_the_blurred_point(api_client, file_report):
    # given
    report = file_report(description=SECRET_TEXT).report

    # when
    response = api_client.get(URL)

    # then
    assert response.status_code == 200
    [row] = response.json()["results"]
    lat, lon = cell_centre_wgs84(report.grid_x, report.grid_y)
    assert row == {
        "uuid": str(report.uuid),
        "category": {"slug": "zwerfafval", "name": "Zwerfafval en verloedering"},
        "date": timezone.localdate().isoformat(),
        "status": "open",
        "text": "",
        "buurt": {"code": "BU05460000", "name": "Pieterswijk"},
        "location": {"lat": lat, "lon": lon},
        "support_count": 0,
    }


def test_rows_show_closed_and_the_moderated_text(api_client, file_report, make_user):
    # given
    report = file_report(description=SECRET_TEXT).report
    moderator = make_user("moderator")
    report_moderate(report=report, actor=moderator, decision="redacted", public_text="Afval.")
    report_status_change(report=report, actor=moderator, status="afgehandeld")

    # when
    [row] = api_client.get(URL).json()["results"]

    # then
    assert (row["status"], row["text"]) == ("closed", "Afval.")


def test_rows_leave_out_restricted_and_confidential_reports(api_client, file_report):
    # given
    file_report(category_slug="woonoverlast")
    file_report(category_slug="ondermijning-vermoeden")

    # when
    body = api_client.get(URL).json()

    # then
    assert (body["count"], body["results"]) == (0, [])


def test_rows_are_paginated_and_filtered(api_client, file_report):
    # given
    for i in range(3):
        file_report(description=f"Melding {i}")
    file_report(category_slug="vandalisme-graffiti")

    # when
    page = api_client.get(URL, {"page_size": 2}).json()
    litter = api_client.get(URL, {"categories": "zwerfafval"}).json()
    beyond = api_client.get(URL, {"page": 5})

    # then
    assert (page["count"], len(page["results"])) == (4, 2)
    assert litter["count"] == 3
    assert beyond.status_code == 404


def test_rows_return_field_errors(api_client, cats):
    # given / when
    response = api_client.get(URL, {"categories": "<x>"})

    # then
    assert response.status_code == 400
    assert "categories" in response.json()


def test_rows_need_a_fixed_number_of_queries(
    api_client, file_report, django_assert_max_num_queries
):
    # given
    for i in range(5):
        file_report(description=f"Melding {i}")

    # when / then
    with django_assert_max_num_queries(3):
        assert api_client.get(URL).status_code == 200
