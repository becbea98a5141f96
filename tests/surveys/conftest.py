"""Fixtures for the surveys tests (builders live in tests.surveys.helpers)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from surveys.models import Survey
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import build_survey, q


@pytest.fixture(autouse=True)
def _clear_cache():
    """The open-link IP throttle counts in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_survey(db) -> Callable[..., Survey]:
    return build_survey


@pytest.fixture
def panel_survey(db) -> Callable[..., tuple[Survey, Any]]:
    """`panel_survey(questions=[...])` → (survey, panel): a published panel-only survey."""

    def make(**kwargs: Any) -> tuple[Survey, Any]:
        panel = BurgerpanelFactory()
        kwargs.setdefault("questions", [q("Q1")])
        survey = build_survey(distribution=Survey.Distribution.PANEL_ONLY, panel=panel, **kwargs)
        return survey, panel

    return make


@pytest.fixture
def buurten(db) -> list:
    """Three test buurten of GM0546 in two wijken (squares on the test grid)."""
    return [
        AreaFactory(code="BU05469000", col=0),
        AreaFactory(code="BU05469001", col=1),
        AreaFactory(code="BU05469100", col=2),
    ]
