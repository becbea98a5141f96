"""Fixtures for the reports API and Open311 tests: Leiden, the default categories, role
holders signed in through the session, reports filed through the intake service."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from PIL import Image
from rest_framework.test import APIClient

from participation.models import User
from participation.services import user_role_grant
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import Report, ReportCategory
from reports.services import ReportIntake, report_create
from tests.participation.factories import UserFactory
from tests.participation.helpers import TEST_TOTP_SECRET, force_login_with_mfa

PIETERSWIJK = (52.158, 4.49)  # BU05460000, wijk WK054600
PIETERSWIJK_2 = (52.1585, 4.4905)  # same buurt, ~65 m away
VREEWIJK = (52.16, 4.48)  # BU05460500, wijk WK054605
ROOMBURG = (52.145, 4.51)  # BU05460408, wijk WK054604
AMSTERDAM = (52.3731, 4.8922)  # outside Leiden
STAFF_ROLES = ("policy_staff", "moderator", "administrator")
ALL_ROLES = ("anonymous", "resident", *STAFF_ROLES)
SECRET_TEXT = "Mijn buurman Jan Jansen op nummer 12 gooit steeds afval naast de container."
REPORTER_EMAIL = "melder.geheim@example.test"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def cats(db) -> dict[str, ReportCategory]:
    """The default IVP taxonomy and report categories, by slug."""
    taxonomy_seed_default()
    report_categories_seed_default()
    return {c.slug: c for c in ReportCategory.objects.select_related("theme__parent")}


@pytest.fixture
def make_user(db) -> Callable[[str], User | AnonymousUser]:
    """`make_user("moderator")`: a fresh account holding that role ("resident": none)."""

    def make(role: str) -> User | AnonymousUser:
        if role == "anonymous":
            return AnonymousUser()
        user = UserFactory()
        if role in STAFF_ROLES:
            user_role_grant(user=user, role_key=role, granted_by=None)
        elif role != "resident":
            raise ValueError(role)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def client_as(make_user) -> Callable[[str], APIClient]:
    """`client_as("moderator")`: an API client signed in (session) as a new role holder.
    Staff have TOTP set up and a session confirmed with it, as the staff endpoints require
    (tests/reports/api/test_staff_mfa.py covers sessions without it)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        user = make_user(role)
        if role in STAFF_ROLES:
            TOTP.activate(user, TEST_TOTP_SECRET)
            force_login_with_mfa(client, user)
        elif role != "anonymous":
            client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def file_report(leiden, cats) -> Callable[..., ReportIntake]:
    """`file_report(category_slug="zwerfafval", description=…, lat=…, lon=…)`: a report
    through the intake service (defaults: litter in Pieterswijk, anonymous)."""

    def make(**overrides: Any) -> ReportIntake:
        values: dict[str, Any] = {
            "category_slug": "zwerfafval",
            "description": "Zakken met afval naast de container.",
            "lat": PIETERSWIJK[0],
            "lon": PIETERSWIJK[1],
        }
        values.update(overrides)
        return report_create(**values)

    return make


def report_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "category": "zwerfafval",
        "description": "Er ligt al dagen zwerfafval bij het bankje.",
        "lat": PIETERSWIJK[0],
        "lon": PIETERSWIJK[1],
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def jpeg_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def report_count() -> int:
    return Report.objects.count()
