"""GET /open311/v2/requests/<service_request_id>.{xml,json}: one service request."""

import pytest
from django.urls import reverse

from tests.reports.open311.conftest import BASE, json_errors, xml_errors, xml_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_cell_published(settings):
    """This module tests the list's content, filters and format: a cell of one report is
    listed here. The cell rule itself is tested in tests/reports/test_public_cell_rule.py."""
    settings.REPORTS_PUBLIC_MIN_COUNT = 1


def test_url_is_stable_when_reversed():
    url = reverse(
        "open311:request-detail", kwargs={"service_request_id": "BS-AAAA-BBBB", "fmt": "json"}
    )
    assert url == f"{BASE}/requests/BS-AAAA-BBBB.json"


def test_detail_json_is_a_list_with_the_request(api_client, file_report):
    # given
    report = file_report().report

    # when
    response = api_client.get(f"{BASE}/requests/{report.reference}.json")

    # then
    assert response.status_code == 200
    [row] = response.json()
    assert (row["service_request_id"], row["status"]) == (report.reference, "open")


def test_detail_xml_conforms(api_client, file_report):
    # given
    report = file_report().report

    # when
    root = xml_of(api_client.get(f"{BASE}/requests/{report.reference}.xml"))

    # then
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == report.reference
    assert request.findtext("service_code") == "zwerfafval"


@pytest.mark.parametrize("category", ["woonoverlast", "ondermijning-vermoeden"])
def test_detail_returns_404_for_requests_that_are_not_public(api_client, file_report, category):
    # given
    report = file_report(category_slug=category).report

    # when
    response = api_client.get(f"{BASE}/requests/{report.reference}.xml")

    # then
    assert response.status_code == 404
    assert xml_errors(response)[0][0] == "404"


def test_detail_returns_spec_shaped_404_for_an_unknown_id(api_client, cats):
    # given / when
    response = api_client.get(f"{BASE}/requests/BS-0000-0000.json")

    # then
    assert response.status_code == 404
    assert json_errors(response)[0]["code"] == 404
