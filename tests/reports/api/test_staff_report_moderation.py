"""POST /api/v1/reports/staff/reports/<uuid>/moderation/: the public text (moderators)."""

import uuid

import pytest
from django.urls import reverse

from reports.models import Report
from tests.reports.api.conftest import SECRET_TEXT

pytestmark = pytest.mark.django_db


def _url(report_uuid) -> str:
    return f"/api/v1/reports/staff/reports/{report_uuid}/moderation/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    assert reverse("api-v1:reports:staff-report-moderate", kwargs={"uuid": some}) == _url(some)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("resident", 403),
        ("policy_staff", 403),
        ("moderator", 200),
        ("administrator", 200),
    ],
)
def test_moderation_permissions_by_role(client_as, file_report, role, status):
    # given
    report = file_report().report

    # when
    response = client_as(role).post(_url(report.uuid), {"decision": "approved"}, format="json")

    # then
    assert response.status_code == status
    expected = "approved" if status == 200 else "pending"
    assert Report.objects.get().moderation == expected


def test_redacted_text_becomes_the_public_text(client_as, file_report, api_client, settings):
    settings.REPORTS_PUBLIC_MIN_COUNT = 1  # one report per cell here; see test_public_cell_rule.py
    # given
    report = file_report(description=SECRET_TEXT).report

    # when
    response = client_as("moderator").post(
        _url(report.uuid),
        {"decision": "redacted", "public_text": "Afval naast de container."},
        format="json",
    )

    # then
    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(report.uuid),
        "moderation": "redacted",
        "public_description": "Afval naast de container.",
    }
    public = api_client.get("/api/v1/reports/public/").json()["results"]
    assert [row["text"] for row in public] == ["Afval naast de container."]


def test_rejected_report_has_no_public_text(client_as, file_report):
    # given
    report = file_report().report

    # when
    body = (
        client_as("moderator")
        .post(_url(report.uuid), {"decision": "rejected"}, format="json")
        .json()
    )

    # then
    assert (body["moderation"], body["public_description"]) == ("rejected", "")


@pytest.mark.parametrize(
    ("payload", "status", "key"),
    [
        ({"decision": "redacted"}, 400, "moderation_invalid"),
        ({"decision": "redacted", "public_text": "<i>x</i>"}, 400, "description_invalid"),
        ({"decision": "pending"}, 400, "decision"),
        ({}, 400, "decision"),
    ],
)
def test_moderation_refusals(client_as, file_report, payload, status, key):
    # given
    report = file_report().report

    # when
    response = client_as("moderator").post(_url(report.uuid), payload, format="json")

    # then
    assert response.status_code == status
    body = response.json()
    assert body.get("code") == key or key in body
    assert Report.objects.get().moderation == "pending"
