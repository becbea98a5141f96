"""GET /api/v1/reports/staff/reports/: the staff list with filters and pagination."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report
from reports.services import report_status_change
from tests.reports.api.conftest import ALL_ROLES, ROOMBURG, VREEWIJK

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/staff/reports/"


def _refs(response) -> set[str]:
    return {row["reference"] for row in response.json()["results"]}


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:staff-report-list") == URL


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
def test_list_is_for_staff_roles_only(client_as, file_report, role, status):
    # given
    assert role in ALL_ROLES
    file_report()

    # when
    response = client_as(role).get(URL)

    # then
    assert response.status_code == status
    if status == 200:
        assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("role", "sees_confidential"),
    [("policy_staff", False), ("moderator", True), ("administrator", True)],
)
def test_confidential_reports_are_listed_only_for_moderators_and_administrators(
    client_as, file_report, role, sees_confidential
):
    # given
    public = file_report().report
    secret = file_report(category_slug="ondermijning-vermoeden").report
    restricted = file_report(category_slug="woonoverlast").report

    # when
    refs = _refs(client_as(role).get(URL))

    # then
    assert {public.reference, restricted.reference} <= refs
    assert (secret.reference in refs) is sees_confidential


def test_list_rows_carry_the_handling_fields(client_as, file_report):
    # given
    report = file_report().report

    # when
    [row] = client_as("policy_staff").get(URL).json()["results"]

    # then
    assert row["uuid"] == str(report.uuid)
    assert row["status"] == "nieuw"
    assert row["category"] == {"slug": "zwerfafval", "name": "Zwerfafval en verloedering"}
    assert row["buurt"] == {"code": "BU05460000", "name": "Pieterswijk"}
    assert row["description"] == report.description
    assert row["moderation"] == "pending"
    assert "contact_email" not in row


def test_list_filters_by_status_category_buurt_wijk_dates_and_text(client_as, file_report):
    # given
    staff = client_as("policy_staff")
    litter = file_report(description="Zakken met afval bij de brug").report
    graffiti = file_report(category_slug="vandalisme-graffiti", lat=VREEWIJK[0], lon=VREEWIJK[1])
    youth = file_report(category_slug="jongerenoverlast", lat=ROOMBURG[0], lon=ROOMBURG[1])
    report_status_change(report=graffiti.report, actor=staff.user, status="in_behandeling")
    Report.objects.filter(pk=youth.report.pk).update(created_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate()

    # when / then
    assert _refs(staff.get(URL, {"status": "in_behandeling"})) == {graffiti.report.reference}
    assert _refs(staff.get(URL, {"category": "verloedering"})) == {
        litter.reference,
        graffiti.report.reference,
    }
    assert _refs(staff.get(URL, {"theme": "jeugdoverlast"})) == {youth.report.reference}
    assert _refs(staff.get(URL, {"buurt": "BU05460500"})) == {graffiti.report.reference}
    assert _refs(staff.get(URL, {"wijk": "WK054604"})) == {youth.report.reference}
    assert _refs(staff.get(URL, {"from": (today - timedelta(days=1)).isoformat()})) == {
        litter.reference,
        graffiti.report.reference,
    }
    assert _refs(staff.get(URL, {"to": (today - timedelta(days=30)).isoformat()})) == {
        youth.report.reference
    }
    assert _refs(staff.get(URL, {"q": "brug"})) == {litter.reference}
    assert _refs(staff.get(URL, {"q": litter.reference})) == {litter.reference}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "kapot"}, "status"),
        ({"buurt": "Pieterswijk"}, "buurt"),
        ({"wijk": "BU05460000"}, "wijk"),
        ({"from": "gisteren"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_list_returns_field_errors_for_bad_filters(client_as, cats, params, field):
    # given / when
    response = client_as("policy_staff").get(URL, params)

    # then
    assert response.status_code == 400
    assert field in response.json()


def test_list_is_paginated(client_as, file_report):
    # given
    for i in range(3):
        file_report(description=f"Melding {i}")
    staff = client_as("policy_staff")

    # when
    first = staff.get(URL, {"page_size": 2}).json()
    second = staff.get(URL, {"page_size": 2, "page": 2}).json()
    beyond = staff.get(URL, {"page": 9})

    # then
    assert (first["count"], len(first["results"]), len(second["results"])) == (3, 2, 1)
    assert first["next"] is not None
    assert beyond.status_code == 404


def test_list_needs_a_fixed_number_of_queries(
    client_as, file_report, django_assert_max_num_queries
):
    # given
    for i in range(5):
        file_report(description=f"Melding {i}")
    staff = client_as("moderator")

    # when / then
    with django_assert_max_num_queries(8):
        assert staff.get(URL).status_code == 200
