"""Fixtures shared by the whole suite. App-specific fixtures live in tests/<app>/conftest.py."""

from pathlib import Path

import pytest

from geo.index import buurt_index_clear

PROJECT_DIR = Path(__file__).resolve().parent.parent
GEO_DATA = PROJECT_DIR / "geo" / "data"


@pytest.fixture(autouse=True)
def _fresh_geo_index():
    """Every test starts without a cached spatial index (the DB is rolled back between tests)."""
    buurt_index_clear()
    yield
    buurt_index_clear()


@pytest.fixture
def leiden(db):
    """The Leiden gemeente, wijken and buurten (2022) with 2024 population, imported through
    the same services the demo uses."""
    from geo.demo import leiden_areas_seed

    return leiden_areas_seed()
