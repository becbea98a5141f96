"""POST /api/v1/reports/staff/reports/<uuid>/messages/: messages to the reporter and notes."""

import uuid

import pytest
from django.urls import reverse

from reports.models import ReportMessage

pytestmark = pytest.mark.django_db


def _url(report_uuid) -> str:
    return f"/api/v1/reports/staff/reports/{report_uuid}/messages/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    name = "api-v1:reports:staff-report-message-create"
    assert reverse(name, kwargs={"uuid": some}) == _url(some)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("policy_staff", 201),
        ("moderator", 201),
        ("administrator", 201),
    ],
)
def test_message_permissions_by_role(client_as, file_report, role, status):
    # given
    report = file_report().report

    # when
    response = client_as(role).post(
        _url(report.uuid), {"body": "We kijken ernaar.", "kind": "public"}, format="json"
    )

    # then
    assert response.status_code == status
    assert ReportMessage.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("kind", ["public", "internal"])
def test_message_is_stored_with_its_kind_and_author(client_as, file_report, kind):
    # given
    report = file_report().report
    staff = client_as("policy_staff")

    # when
    response = staff.post(_url(report.uuid), {"body": "Tekst", "kind": kind}, format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["body"]) == (kind, "Tekst")
    message = ReportMessage.objects.get()
    assert (message.kind, message.author_id) == (kind, staff.user.pk)


def test_internal_note_never_shows_on_the_tracking_page(client_as, file_report, api_client):
    # given
    intake = file_report()
    client_as("policy_staff").post(
        _url(intake.report.uuid), {"body": "Alleen intern", "kind": "internal"}, format="json"
    )

    # when
    track = api_client.get(f"/api/v1/reports/track/{intake.tracking_token}/")

    # then
    assert "Alleen intern" not in track.content.decode()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "public"}, "body"),
        ({"body": "x"}, "kind"),
        ({"body": "x", "kind": "geheim"}, "kind"),
    ],
)
def test_message_returns_field_errors(client_as, file_report, payload, field):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(_url(report.uuid), payload, format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "text", ["   ", "<script>alert(1)</script>", "x" * 4001], ids=["blank", "script", "too-long"]
)
def test_message_refuses_bad_text_with_description_invalid(client_as, file_report, text):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(
        _url(report.uuid), {"body": text, "kind": "public"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["extra"]["field"]) == (
        "description_invalid",
        "body",
    )
    assert ReportMessage.objects.count() == 0
