"""Fixtures for the surveys API tests: clients signed in as every role (staff with a
session confirmed by TOTP, as the staff endpoints require) and surveys with respondents."""

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from rest_framework.test import APIClient

from participation.models import User
from participation.services import user_role_grant
from tests.participation.factories import (
    PanelMembershipFactory,
    UserFactory,
    WijkraadMembershipFactory,
)
from tests.participation.helpers import TEST_TOTP_SECRET, force_login_with_mfa

STAFF_ROLES = ("policy_staff", "moderator", "administrator")
ROLES = ("anonymous", "resident", "panel_member", "wijkraad_member", *STAFF_ROLES)
RESULTS_ROLES = {"policy_staff", "administrator"}  # surveys.view_results


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def _user_for(role: str) -> User:
    if role == "resident":
        return UserFactory()
    if role == "panel_member":
        return PanelMembershipFactory().user
    if role == "wijkraad_member":
        return WijkraadMembershipFactory().user
    if role in STAFF_ROLES:
        user = UserFactory()
        user_role_grant(user=user, role_key=role, granted_by=None)
        TOTP.activate(user, TEST_TOTP_SECRET)
        return user
    raise ValueError(role)


@pytest.fixture
def client_as(db) -> Callable[..., APIClient]:
    """`client_as("moderator")`: an API client signed in as a new holder of that role; staff
    sessions are confirmed with TOTP unless `mfa=False`."""

    def make(role: str, *, mfa: bool = True) -> APIClient:
        client = APIClient()
        if role == "anonymous":
            return client
        user = User.objects.get(pk=_user_for(role).pk)
        if role in STAFF_ROLES and mfa:
            force_login_with_mfa(client, user)
        else:
            client.force_login(user)
        return client

    return make
