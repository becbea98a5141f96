"""Multi-factor helpers shared by the staff-page guards and the staff API."""

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


def user_has_totp(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_has_mfa(request: Any) -> bool:
    """Whether the signed-in user completed a second factor in this session: allauth records
    every authentication step (login with TOTP, re-authentication) in the session.

    `request` is a Django HttpRequest or a DRF Request (which passes `session` and `user`
    through)."""
    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
