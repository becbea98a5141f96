"""POST /api/v1/reports/staff/reports/<uuid>/status/: status changes by staff."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import Report

pytestmark = pytest.mark.django_db


def _url(report_uuid) -> str:
    return f"/api/v1/reports/staff/reports/{report_uuid}/status/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    assert reverse("api-v1:reports:staff-report-status", kwargs={"uuid": some}) == _url(some)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("policy_staff", 200),
        ("moderator", 200),
        ("administrator", 200),
    ],
)
def test_status_change_permissions_by_role(client_as, file_report, role, status):
    # given
    report = file_report().report

    # when
    response = client_as(role).post(_url(report.uuid), {"status": "in_behandeling"}, format="json")

    # then
    assert response.status_code == status
    report.refresh_from_db()
    assert report.status == ("in_behandeling" if status == 200 else "nieuw")


@pytest.mark.parametrize(
    ("role", "status"), [("policy_staff", 403), ("moderator", 200), ("administrator", 200)]
)
def test_confidential_report_is_handled_only_by_moderators_and_administrators(
    client_as, file_report, role, status
):
    # given
    report = file_report(category_slug="ondermijning-vermoeden").report

    # when
    response = client_as(role).post(_url(report.uuid), {"status": "in_behandeling"}, format="json")

    # then
    assert response.status_code == status


def test_status_change_returns_the_report_and_posts_the_public_message(
    client_as, file_report, api_client
):
    # given
    intake = file_report()

    # when
    response = client_as("policy_staff").post(
        _url(intake.report.uuid),
        {"status": "doorgestuurd", "partner": "handhaving", "message": "Doorgezet naar de BOA's."},
        format="json",
    )

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["partner"]) == ("doorgestuurd", "handhaving")
    assert body["closed_at"] is not None
    track = api_client.get(f"/api/v1/reports/track/{intake.tracking_token}/").json()
    assert [m["body"] for m in track["messages"]] == ["Doorgezet naar de BOA's."]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"status": "nieuw"}, 409, "invalid_status_transition"),
        ({"status": "doorgestuurd"}, 400, "partner_required"),
        ({"status": "afgehandeld", "message": "<b>klaar</b>"}, 400, "description_invalid"),
    ],
)
def test_status_change_refusals_carry_a_code_and_field(
    client_as, file_report, payload, status, code
):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(_url(report.uuid), payload, format="json")

    # then
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["extra"]["field"] in {"status", "partner", "message"}
    assert Report.objects.get().status == "nieuw"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "status"),
        ({"status": "kapot"}, "status"),
        ({"status": "doorgestuurd", "partner": "x"}, "partner"),
    ],
)
def test_status_change_returns_field_errors(client_as, file_report, payload, field):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(_url(report.uuid), payload, format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()


def test_status_change_needs_the_csrf_token_with_a_session(make_user, file_report):
    # given
    report = file_report().report
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user("moderator"))

    # when
    response = client.post(_url(report.uuid), {"status": "in_behandeling"}, format="json")

    # then
    assert response.status_code == 403
    assert Report.objects.get().status == "nieuw"


def test_status_change_returns_404_for_an_unknown_report(client_as, cats):
    # given / when
    response = client_as("moderator").post(
        _url(uuid.uuid4()), {"status": "in_behandeling"}, format="json"
    )

    # then
    assert response.status_code == 404
