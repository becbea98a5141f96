"""Fixtures for the participation tests: role holders with or without TOTP."""

from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from participation.models import User
from participation.services import user_role_grant
from tests.participation.factories import UserFactory
from tests.participation.helpers import TEST_TOTP_SECRET


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth remembers used TOTP codes (and rate limits) in the cache; user ids repeat
    between tests, so every test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(db) -> Callable[..., User]:
    """`staff_user("policy_staff", totp=True)`: an account holding a staff role (granted by
    the service), optionally with TOTP switched on with TEST_TOTP_SECRET."""

    def make(role_key: str, *, totp: bool = True, **kwargs: object) -> User:
        user = UserFactory(**kwargs)
        user_role_grant(user=user, role_key=role_key, granted_by=None)
        if totp:
            TOTP.activate(user, TEST_TOTP_SECRET)
        return User.objects.get(pk=user.pk)

    return make
