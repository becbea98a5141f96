"""Signing in like a real user: TOTP codes from a secret, and allauth's login + TOTP step."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from participation.models import User
from tests.participation.factories import TEST_PASSWORD

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# allauth accepts only the current time step (TOTP_TOLERANCE 0): never hand out a code that
# expires before it can be submitted.
_SAFETY_SECONDS = 3.0


def totp_code(secret: str) -> str:
    """The current TOTP code for a base32 secret, as an authenticator app shows it."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < _SAFETY_SECONDS:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def login_with_totp(
    client: Client, user: User, *, secret: str = TEST_TOTP_SECRET, password: str = TEST_PASSWORD
) -> None:
    """Sign in through allauth's real login form and TOTP step."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content


def force_login_with_mfa(client: Client, user: User) -> None:
    """`client.force_login(user)` plus the record allauth writes after a TOTP step, so the
    session counts as confirmed with a second factor (`core.mfa.session_has_mfa`). For
    tests that are not about signing in; `login_with_totp` goes through the real forms."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
