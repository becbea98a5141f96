"""POST /api/v1/reports/staff/reports/<uuid>/merge/: merge a duplicate into another report."""

import uuid

import pytest
from django.urls import reverse

from reports.models import Report

pytestmark = pytest.mark.django_db


def _url(report_uuid) -> str:
    return f"/api/v1/reports/staff/reports/{report_uuid}/merge/"


def test_url_is_stable_when_reversed():
    some = uuid.uuid4()
    assert reverse("api-v1:reports:staff-report-merge", kwargs={"uuid": some}) == _url(some)


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
def test_merge_permissions_by_role(client_as, file_report, role, status):
    # given
    target = file_report(description="Eerste melding").report
    duplicate = file_report(description="Tweede melding").report

    # when
    response = client_as(role).post(_url(duplicate.uuid), {"into": str(target.uuid)}, format="json")

    # then
    assert response.status_code == status
    duplicate.refresh_from_db()
    assert (duplicate.duplicate_of_id == target.pk) is (status == 200)


def test_merge_cancels_the_duplicate_and_counts_its_reporter_for_the_target(client_as, file_report):
    # given
    target = file_report(description="Eerste melding").report
    duplicate = file_report(description="Tweede melding").report

    # when
    response = client_as("policy_staff").post(
        _url(duplicate.uuid), {"into": str(target.uuid)}, format="json"
    )

    # then
    assert response.status_code == 200
    assert (response.json()["uuid"], response.json()["support_count"]) == (str(target.uuid), 1)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of_id) == ("geannuleerd", target.pk)


def test_merge_with_itself_returns_409_merge_invalid(client_as, file_report):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(
        _url(report.uuid), {"into": str(report.uuid)}, format="json"
    )

    # then
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["extra"]["field"]) == (
        "merge_invalid",
        "into",
    )


@pytest.mark.parametrize("into", ["", "geen-uuid", str(uuid.UUID(int=7))])
def test_merge_returns_a_field_error_for_a_missing_or_unknown_target(client_as, file_report, into):
    # given
    report = file_report().report

    # when
    response = client_as("policy_staff").post(_url(report.uuid), {"into": into}, format="json")

    # then
    assert response.status_code == 400
    assert "into" in response.json()


def test_policy_staff_cannot_merge_into_a_confidential_report(client_as, file_report):
    # given
    secret = file_report(category_slug="ondermijning-vermoeden").report
    report = file_report().report

    # when
    response = client_as("policy_staff").post(
        _url(report.uuid), {"into": str(secret.uuid)}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "into" in response.json()
    assert Report.objects.get(pk=report.pk).duplicate_of_id is None
