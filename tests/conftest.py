"""Fixtures shared by the whole suite. App-specific fixtures live in tests/<app>/conftest.py."""

from pathlib import Path

import pytest

from geo.index import buurt_index_clear
from reports.selectors import category_intake_cache_clear

PROJECT_DIR = Path(__file__).resolve().parent.parent
GEO_DATA = PROJECT_DIR / "geo" / "data"


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Every test starts without a cached spatial index or intake categories (the database is
    rolled back between tests, and primary keys are reused)."""
    buurt_index_clear()
    category_intake_cache_clear()
    yield
    buurt_index_clear()
    category_intake_cache_clear()


@pytest.fixture
def leiden(db):
    """The Leiden gemeente, wijken and buurten (2022) with 2024 population, imported through
    the same services the demo uses."""
    from geo.demo import leiden_areas_seed

    return leiden_areas_seed()
