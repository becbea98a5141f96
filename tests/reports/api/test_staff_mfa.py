"""The staff endpoints of the reports API need what the staff pages need: TOTP set up and a
session confirmed with it (core.api.MfaConfirmedPermission)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from rest_framework.test import APIClient

from tests.participation.helpers import TEST_TOTP_SECRET, force_login_with_mfa, login_with_totp
from tests.reports.api.conftest import STAFF_ROLES

pytestmark = pytest.mark.django_db


def _staff_requests(uuid) -> list[tuple[str, str, dict]]:
    base = f"/api/v1/reports/staff/reports/{uuid}/"
    return [
        ("get", "/api/v1/reports/staff/reports/", {}),
        ("get", base, {}),
        ("post", f"{base}status/", {"status": "in_behandeling"}),
        ("post", f"{base}messages/", {"body": "Notitie", "kind": "internal"}),
        ("post", f"{base}moderation/", {"decision": "approved"}),
        ("post", f"{base}merge/", {"into": str(uuid)}),
    ]


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("index", range(6))
def test_staff_endpoints_refuse_a_session_without_second_factor(
    make_user, file_report, role, index
):
    # given: a staff member with TOTP set up, signed in without using it
    report = file_report().report
    user = make_user(role)
    TOTP.activate(user, TEST_TOTP_SECRET)
    client = APIClient()
    client.force_login(user)
    method, url, data = _staff_requests(report.uuid)[index]

    # when
    response = getattr(client, method)(url, data, format="json")

    # then: refused before anything is looked up or changed
    assert response.status_code == 403
    assert "tweestapsverificatie" in response.json()["detail"]
    report.refresh_from_db()
    assert report.status == "nieuw"
    assert report.moderation == "pending"
    assert not report.messages.exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_endpoints_refuse_staff_without_totp_even_with_an_mfa_record(
    make_user, file_report, role
):
    # given: the session claims an MFA step, but the account has no TOTP (removed since)
    file_report()
    client = APIClient()
    force_login_with_mfa(client, make_user(role))

    assert client.get("/api/v1/reports/staff/reports/").status_code == 403


def test_staff_endpoints_accept_a_session_signed_in_with_totp(make_user, file_report):
    # given: the real sign-in through allauth's login form and TOTP step
    report = file_report().report
    user = make_user("moderator")
    TOTP.activate(user, TEST_TOTP_SECRET)
    client = APIClient()
    login_with_totp(client, user)

    # when
    listed = client.get("/api/v1/reports/staff/reports/")
    changed = client.post(
        f"/api/v1/reports/staff/reports/{report.uuid}/status/",
        {"status": "in_behandeling"},
        format="json",
    )

    # then
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert changed.status_code == 200
    report.refresh_from_db()
    assert report.status == "in_behandeling"


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_non_staff_get_403_whatever_their_session(client_as, file_report, role):
    report = file_report().report
    response = client_as(role).get(f"/api/v1/reports/staff/reports/{report.uuid}/")
    assert response.status_code == 403
