"""POST /api/v1/reports/reports/<uuid>/support/: "ik heb hier ook last van"."""

import uuid

import pytest
from django.urls import reverse

from reports.models import ReportSupport
from reports.services import report_status_change

pytestmark = pytest.mark.django_db

DEVICE = "apparaat-0123456789abcdef"


def _url(report_uuid) -> str:
    return f"/api/v1/reports/reports/{report_uuid}/support/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    assert reverse("api-v1:reports:report-support", kwargs={"uuid": some}) == _url(some)


def test_anonymous_with_a_device_header_joins_once(api_client, file_report):
    # given
    report = file_report().report

    # when
    first = api_client.post(_url(report.uuid), headers={"X-Device-Id": DEVICE})
    again = api_client.post(_url(report.uuid), headers={"X-Device-Id": DEVICE})

    # then
    assert (first.status_code, first.json()) == (201, {"added": True, "support_count": 1})
    assert (again.status_code, again.json()) == (200, {"added": False, "support_count": 1})
    assert ReportSupport.objects.count() == 1


def test_anonymous_without_device_id_gets_a_device_cookie_that_counts_once(api_client, file_report):
    # given
    report = file_report().report

    # when
    first = api_client.post(_url(report.uuid))
    again = api_client.post(_url(report.uuid))  # the client sends the cookie back

    # then
    assert first.status_code == 201
    cookie = first.cookies["buurtstem_device"]
    assert cookie["httponly"]
    assert len(cookie.value) >= 16
    assert (again.status_code, again.json()["added"]) == (200, False)
    assert ReportSupport.objects.get().device_hash != cookie.value  # stored hashed


def test_signed_in_resident_joins_with_the_account(client_as, file_report):
    # given
    report = file_report().report
    client = client_as("resident")

    # when
    first = client.post(_url(report.uuid))
    again = client.post(_url(report.uuid))

    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert ReportSupport.objects.get().user_id == client.user.pk


def test_support_returns_400_for_a_malformed_device_id(api_client, file_report):
    # given
    report = file_report().report

    # when
    response = api_client.post(_url(report.uuid), headers={"X-Device-Id": "kort"})

    # then
    assert response.status_code == 400
    assert "device_id" in response.json()
    assert ReportSupport.objects.count() == 0


def test_support_returns_409_report_not_open_for_a_closed_report(
    api_client, file_report, make_user
):
    # given
    report = file_report().report
    report_status_change(report=report, actor=make_user("policy_staff"), status="afgehandeld")

    # when
    response = api_client.post(_url(report.uuid), headers={"X-Device-Id": DEVICE})

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "report_not_open"


@pytest.mark.parametrize("category", ["woonoverlast", "ondermijning-vermoeden"])
def test_support_returns_404_for_reports_that_are_not_public(api_client, file_report, category):
    # given
    report = file_report(category_slug=category).report

    # when
    response = api_client.post(_url(report.uuid), headers={"X-Device-Id": DEVICE})

    # then
    assert response.status_code == 404
    assert ReportSupport.objects.count() == 0


def test_support_returns_404_for_an_unknown_report(api_client, cats):
    # given / when
    response = api_client.post(_url(uuid.uuid4()), headers={"X-Device-Id": DEVICE})

    # then
    assert response.status_code == 404
