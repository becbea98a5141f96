"""The small-count rule of the public map and table (docs/reports-public-map.md) and the
indexed query shape of the map aggregate."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Report
from reports.selectors import (
    MAP_INDEX,
    PublicFilters,
    _report_list_public_indexed,
    public_count,
    public_counts_per_buurt,
    public_map_cells,
    public_map_cells_cached,
    report_list_public,
)
from tests.reports.conftest import point
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

S = Report.Status


@pytest.fixture
def make(town, categories):
    def make(slug="zwerfafval", col=0, n=1, dx=100.0, dy=100.0, **kwargs):
        lat, lon = point(col, dx, dy)
        kwargs.setdefault("buurt", town.buurten[int(col)])
        return [
            ReportFactory(category=categories[slug], lat=lat, lon=lon, **kwargs) for _ in range(n)
        ]

    return make


@pytest.mark.parametrize(
    ("n", "published"),
    [(0, 0), (1, None), (2, None), (4, None), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15)],
)
def test_public_count_withholds_one_to_four_and_rounds_the_rest_to_five(n, published):
    assert public_count(n) == published


def test_public_count_follows_the_settings(settings):
    settings.REPORTS_PUBLIC_MIN_COUNT = 10
    settings.REPORTS_PUBLIC_COUNT_ROUNDING = 1
    assert [public_count(n) for n in (9, 10, 11)] == [None, 10, 11]


def test_map_cell_with_fewer_than_five_reports_shows_no_numbers(make):
    # given: 4 public reports with supporters in one 100 m cell
    make(n=4, support_count=3)

    # when
    [cell] = public_map_cells(filters=PublicFilters(), cell_size=100)

    # then
    assert (cell["reports"], cell["people"]) == (None, None)


def test_map_cell_numbers_are_rounded_to_five(make):
    make(n=8, support_count=1)
    [cell] = public_map_cells(filters=PublicFilters(), cell_size=100)
    assert (cell["reports"], cell["people"]) == (10, 15)  # 8 → 10, 8 + 8 → 15


@pytest.mark.parametrize("hidden", ["woonoverlast", "verward-gedrag", "ondermijning-vermoeden"])
def test_restricted_and_confidential_reports_never_lift_a_cell_over_the_threshold(make, hidden):
    # given: 4 public and 6 non-public reports in the same cell
    make(n=4)
    make(hidden, n=6)

    # when
    [cell] = public_map_cells(filters=PublicFilters(), cell_size=100)

    # then
    assert cell["reports"] is None


def test_non_public_reports_alone_make_no_cell_and_no_buurt_count(make, town):
    make("woonoverlast", n=7)
    make("ondermijning-vermoeden", n=7)
    assert public_map_cells(filters=PublicFilters(), cell_size=1600) == []
    summary = public_counts_per_buurt(filters=PublicFilters(), municipality_code="GM0546")
    assert {b.reports for b in summary.buurten} == {0}
    assert summary.total == 0


@pytest.mark.parametrize("size", [100, 200, 400, 800, 1600])
def test_every_published_cell_count_is_withheld_or_a_multiple_of_five(make, size):
    # given: cells of 1, 3, 6 and 11 reports in different columns and corners
    make(col=0, n=1, dx=20, dy=20)
    make(col=0, n=3, dx=180, dy=180)
    make(col=1, n=6)
    make(col=3, n=11)

    # when
    cells = public_map_cells(filters=PublicFilters(), cell_size=size)

    # then
    for cell in cells:
        assert cell["reports"] is None or (cell["reports"] >= 5 and cell["reports"] % 5 == 0)


def test_a_withheld_cell_cannot_be_computed_back_from_a_coarser_cell(make):
    # given: a 100 m cell with 1 report next to one with 11; both inside one 200 m cell
    make(col=0, n=1, dx=20, dy=20)
    make(col=0, n=11, dx=120, dy=20)

    # when
    fine = sorted(
        (c["reports"] for c in public_map_cells(filters=PublicFilters(), cell_size=100)),
        key=str,
    )
    [coarse] = public_map_cells(filters=PublicFilters(), cell_size=200)

    # then: 12 is published as 10, 11 as 10: the difference says nothing about the 1
    assert fine == [10, None]
    assert coarse["reports"] == 10


def test_counts_per_buurt_list_every_buurt_with_the_rule_applied(make, town):
    # given
    make(col=0, n=3)
    make(col=1, n=7)
    make(col=2, n=12, status=S.RESOLVED)
    make(col=2, n=2, status=S.CANCELLED)
    make("woonoverlast", col=3, n=9)

    # when
    summary = public_counts_per_buurt(filters=PublicFilters(), municipality_code="GM0546")

    # then
    assert [(b.name, b.reports) for b in summary.buurten] == [
        ("Havenbuurt", 10),
        ("Middenbuurt", 5),
        ("Noordbuurt", None),
        ("Oostbuurt", 0),
    ]
    assert summary.total == 20  # 22 → 20
    assert summary.has_withheld


def test_counts_per_buurt_total_is_withheld_when_small(make):
    make(col=0, n=2)
    summary = public_counts_per_buurt(filters=PublicFilters(), municipality_code="GM0546")
    assert summary.total is None


def test_counts_per_buurt_follow_the_filters(make):
    make("zwerfafval", col=0, n=5)
    make("jongerenoverlast", col=1, n=5)
    summary = public_counts_per_buurt(
        filters=PublicFilters(categories=("overlast-personen",)), municipality_code="GM0546"
    )
    assert {b.name: b.reports for b in summary.buurten}["Noordbuurt"] == 0
    assert {b.name: b.reports for b in summary.buurten}["Middenbuurt"] == 5


def test_indexed_public_list_selects_the_same_reports_as_report_list_public(make, categories):
    # given: every kind of report that public output must leave out, and some it must keep
    [kept] = make()
    make(status=S.RESOLVED)
    make("jongerenoverlast", col=1)
    make("woonoverlast")
    make("verward-gedrag")
    make("ondermijning-vermoeden")
    make(status=S.CANCELLED)
    make(duplicate_of=kept)
    ReportFactory(category=categories["zwerfafval"], buurt=kept.buurt, lat=None, lon=None)

    for filters in (
        PublicFilters(),
        PublicFilters(categories=("overlast-personen",)),
        PublicFilters(categories=("woonoverlast",)),
        PublicFilters(date_from=date(2000, 1, 1), date_to=date(2099, 1, 1)),
        PublicFilters(date_to=date(2000, 1, 1)),
    ):
        # when
        indexed = _report_list_public_indexed(filters=filters)
        got = set() if indexed is None else set(indexed.values_list("pk", flat=True))

        # then
        assert got == set(report_list_public(filters=filters).values_list("pk", flat=True))


def test_map_aggregate_reads_the_covering_index_without_a_join(make):
    # given
    make(n=2)

    # when
    with CaptureQueriesContext(connection) as queries:
        public_map_cells(filters=PublicFilters(), cell_size=100)

    # then: one look-up of the public categories, one aggregate over reports only
    [categories, aggregate] = [q["sql"] for q in queries.captured_queries]
    assert "reports_reportcategory" in categories
    assert "JOIN" not in aggregate
    assert "GROUP BY" in aggregate
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert f"INDEXED BY {MAP_INDEX}" in aggregate
            cursor.execute("EXPLAIN QUERY PLAN " + aggregate)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert f"COVERING INDEX {MAP_INDEX}" in plan
            assert "TEMP B-TREE" not in plan
        else:
            assert "INDEXED BY" not in aggregate
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [MAP_INDEX])
            [(definition,)] = cursor.fetchall()
            assert "(grid_x, grid_y, category_id, status, duplicate_of_id" in definition


def test_cached_cells_follow_a_change_of_the_rule(make, settings):
    cache.clear()
    settings.REPORTS_MAP_CACHE_SECONDS = 60
    make(n=3)
    [before] = public_map_cells_cached(filters=PublicFilters(), cell_size=100)
    settings.REPORTS_PUBLIC_MIN_COUNT = 1
    settings.REPORTS_PUBLIC_COUNT_ROUNDING = 1
    [after] = public_map_cells_cached(filters=PublicFilters(), cell_size=100)
    assert (before["reports"], after["reports"]) == (None, 3)
