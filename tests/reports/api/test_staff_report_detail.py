"""GET /api/v1/reports/staff/reports/<uuid>/: one report for staff; personal data only for
holders of reports.view_personal_data (moderators and administrators)."""

import uuid

import pytest
from django.urls import reverse

from reports.services import report_message_add
from tests.reports.api.conftest import REPORTER_EMAIL

pytestmark = pytest.mark.django_db


def _url(report_uuid) -> str:
    return f"/api/v1/reports/staff/reports/{report_uuid}/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    assert reverse("api-v1:reports:staff-report-detail", kwargs={"uuid": some}) == _url(some)


@pytest.mark.parametrize(
    ("role", "status", "sees_personal_data"),
    [
        ("anonymous", 403, False),
        ("resident", 403, False),
        ("policy_staff", 200, False),
        ("moderator", 200, True),
        ("administrator", 200, True),
    ],
)
def test_detail_permissions_and_personal_data_by_role(
    client_as, file_report, role, status, sees_personal_data
):
    # given
    report = file_report(contact_email=REPORTER_EMAIL, contact_consent=True).report

    # when
    response = client_as(role).get(_url(report.uuid))

    # then
    assert response.status_code == status
    assert (REPORTER_EMAIL in response.content.decode()) is sees_personal_data
    if status == 200:
        personal = response.json()["personal_data"]
        if sees_personal_data:
            assert personal["contact_email"] == REPORTER_EMAIL
            assert personal["contact_consent"] is True
        else:
            assert personal is None


def test_detail_shows_the_account_email_of_a_signed_in_reporter_to_moderators(
    client_as, file_report, make_user
):
    # given
    reporter = make_user("resident")
    report = file_report(reporter=reporter).report

    # when
    personal = client_as("moderator").get(_url(report.uuid)).json()["personal_data"]

    # then
    assert personal["reporter_email"] == reporter.email


@pytest.mark.parametrize(
    ("role", "status"), [("policy_staff", 403), ("moderator", 200), ("administrator", 200)]
)
def test_confidential_report_detail_only_for_moderators_and_administrators(
    client_as, file_report, role, status
):
    # given
    report = file_report(category_slug="ondermijning-vermoeden").report

    # when / then
    assert client_as(role).get(_url(report.uuid)).status_code == status


def test_detail_shows_text_exact_point_messages_and_notes(client_as, file_report, make_user):
    # given
    report = file_report(location_description="Bij het bankje").report
    staff = make_user("policy_staff")
    report_message_add(report=report, actor=staff, body="Interne notitie", public=False)
    report_message_add(report=report, actor=staff, body="Bericht aan melder", public=True)

    # when
    body = client_as("policy_staff").get(_url(report.uuid)).json()

    # then
    assert body["description"] == report.description
    assert (body["lat"], body["lon"]) == (report.lat, report.lon)
    assert body["location_description"] == "Bij het bankje"
    assert [(m["kind"], m["body"]) for m in body["messages"]] == [
        ("internal", "Interne notitie"),
        ("public", "Bericht aan melder"),
    ]
    assert body["photos"] == []


def test_detail_returns_404_to_staff_for_an_unknown_report(client_as, cats):
    # given / when / then
    assert client_as("moderator").get(_url(uuid.uuid4())).status_code == 404


def test_detail_returns_403_not_404_to_anonymous_for_an_unknown_report(client_as, cats):
    # given / when / then
    assert client_as("anonymous").get(_url(uuid.uuid4())).status_code == 403
