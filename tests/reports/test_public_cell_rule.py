"""The small-count rule for lists of single reports: the public list API and Open311 GET list a
report only when its 100 m cell holds at least k reports of the same selection, the table on
/meldingen/ (which shows the buurt, not the cell) only when its buurt does. Whatever the map or
the counts per buurt withhold ("<5"), no list gives away (docs/privacy.md)."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from geo.grid import cell_centre_wgs84, rd_cell
from geo.models import Area
from reports.models import Report
from reports.selectors import (
    PublicFilters,
    public_counts_per_buurt,
    public_location,
    public_map_cells,
    public_report_rows,
    report_list_for_open311,
)
from tests.reports.conftest import point
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

# Four 100 m cells in the test town (cell edges lie on multiples of 100 m in RD).
QUIET = point(0, 50, 50)  # 4 reports: withheld on the map, never listed
BUSY = point(0, 150, 50)  # 5 reports: shown on the map, listed
MIXED = point(1, 50, 50)  # 3 zwerfafval + 3 vuurwerk: busy unfiltered, quiet per category
RESTRICTED = point(1, 150, 50)  # 6 reports in a restricted category: never public


@pytest.fixture
def reports(town, categories):
    def make(at, slug, n):
        # QUIET and BUSY lie in the first buurt, MIXED and RESTRICTED in the second
        buurt = town.buurten[0 if at in (QUIET, BUSY) else 1]
        return [
            ReportFactory(category=categories[slug], buurt=buurt, lat=at[0], lon=at[1])
            for _ in range(n)
        ]

    return {
        "quiet": make(QUIET, "zwerfafval", 4),
        "busy": make(BUSY, "zwerfafval", 5),
        "mixed": make(MIXED, "zwerfafval", 3) + make(MIXED, "vuurwerkoverlast", 3),
        "restricted": make(RESTRICTED, "woonoverlast", 6),
    }


def _cell(at):
    return cell_centre_wgs84(*rd_cell(*at))


def _buurt_counts(filters):
    summary = public_counts_per_buurt(filters=filters, municipality_code="GM0546")
    return {b.code: b.reports for b in summary.buurten}


def _cells_of(rows):
    return {public_location(r) for r in rows}


def test_the_api_list_shows_only_reports_in_cells_the_map_shows_with_a_number(reports):
    # when
    rows = list(public_report_rows(filters=PublicFilters()))

    # then
    assert _cells_of(rows) == {_cell(BUSY), _cell(MIXED)}
    assert len(rows) == 5 + 6
    assert not {r.pk for r in rows} & {r.pk for r in reports["quiet"]}


def test_the_rule_counts_within_the_same_selection(reports):
    # when: per category the mixed cell holds 3
    rows = list(public_report_rows(filters=PublicFilters(categories=("zwerfafval",))))

    # then
    assert _cells_of(rows) == {_cell(BUSY)}


def test_open311_lists_follow_the_rule_and_asking_by_id_does_not_bypass_it(reports):
    quiet = reports["quiet"][0]
    busy = reports["busy"][0]

    assert {r.pk for r in report_list_for_open311()} == {
        r.pk for r in reports["busy"] + reports["mixed"]
    }
    assert list(report_list_for_open311(references=(quiet.reference,))) == []
    assert [r.pk for r in report_list_for_open311(references=(busy.reference,))] == [busy.pk]
    # per category (service_code), the mixed cell is quiet
    assert {r.pk for r in report_list_for_open311(service_codes=("vuurwerkoverlast",))} == set()


def test_http_outputs_agree(reports, client):
    quiet = reports["quiet"][0]
    busy = reports["busy"][0]

    api = client.get("/api/v1/reports/public/").json()
    assert {row["uuid"] for row in api["results"]} == {
        str(r.uuid) for r in reports["busy"] + reports["mixed"]
    }

    open311 = client.get("/open311/v2/requests.json").json()
    assert {row["service_request_id"] for row in open311} == {
        r.reference for r in reports["busy"] + reports["mixed"]
    }
    assert client.get(f"/open311/v2/requests/{quiet.reference}.json").status_code == 404
    assert client.get(f"/open311/v2/requests/{busy.reference}.json").status_code == 200

    table = client.get("/meldingen/")
    assert table.status_code == 200
    assert "Meldingen uit een buurt met minder dan 5 meldingen" in table.content.decode()


def test_the_table_counts_per_buurt_the_place_it_shows(reports):
    # given: the first buurt holds 4 + 5 public reports (a quiet and a busy cell), the
    # second 6 public ones (one mixed cell) and 6 restricted ones
    rows = list(public_report_rows(filters=PublicFilters(), by="buurt"))

    # then: the quiet cell's reports are listed, since the table shows only their buurt
    assert {r.pk for r in rows} == {
        r.pk for r in reports["quiet"] + reports["busy"] + reports["mixed"]
    }

    # when: a third buurt gets 4 public reports
    buurt = Area.objects.get(code="BU05469100")
    extra = [
        ReportFactory(category=r.category, buurt=buurt, lat=r.lat, lon=r.lon)
        for r in reports["busy"][:4]
    ]
    rows = list(public_report_rows(filters=PublicFilters(), by="buurt"))

    # then: withheld in the counts per buurt, and not listed
    counts = _buurt_counts(PublicFilters())
    assert counts["BU05469100"] is None
    assert not {r.pk for r in rows} & {r.pk for r in extra}


def test_a_quiet_report_can_still_be_joined_from_the_nearby_list(reports, client):
    """Joining ("ik heb hier ook last van") works on any public report: the rule is about
    lists, not about the report."""
    from reports.services import report_support_add

    assert report_support_add(report=reports["quiet"][0], device_id="device-1") is True


@pytest.mark.parametrize("seed", range(6))
def test_no_list_gives_away_a_cell_the_map_withholds(town, categories, seed):
    # given: random reports over six cells, two public categories, two months, some
    # cancelled or merged, a restricted category
    rng = random.Random(seed)
    spots = [point(col, dx, 50) for col in (0, 1, 2) for dx in (50, 150)]
    buurten = {b.code: b for b in town.buurten}
    codes = ["BU05469000", "BU05469001", "BU05469100"]
    now = timezone.now()
    made = []
    for i, at in enumerate(spots):
        for _ in range(rng.randint(0, 9)):
            slug = rng.choice(["zwerfafval", "vuurwerkoverlast", "woonoverlast"])
            status = rng.choice(
                [Report.Status.NEW, Report.Status.RESOLVED, Report.Status.CANCELLED]
            )
            made.append(
                ReportFactory(
                    category=categories[slug],
                    buurt=buurten[codes[i // 2]],
                    lat=at[0],
                    lon=at[1],
                    status=status,
                )
            )
    for report in made:
        Report.objects.filter(pk=report.pk).update(
            created_at=now - timedelta(days=rng.randint(0, 60))
        )
    today = timezone.localdate()
    selections = [
        PublicFilters(),
        PublicFilters(categories=("zwerfafval",)),
        PublicFilters(categories=("vuurwerkoverlast",)),
        PublicFilters(date_from=today - timedelta(days=30), date_to=today),
        PublicFilters(categories=("zwerfafval",), date_from=today - timedelta(days=20)),
        PublicFilters(date_from=date(2000, 1, 1), date_to=today - timedelta(days=31)),
    ]

    for filters in selections:
        # when
        shown = {
            (c["lat"], c["lon"])
            for c in public_map_cells(filters=filters, cell_size=100)
            if c["reports"] is not None
        }
        listed = list(public_report_rows(filters=filters))

        # then: exactly the cells shown with a number, each with all of its reports
        assert _cells_of(listed) == shown, filters
        assert all(sum(1 for r in listed if public_location(r) == cell) >= 5 for cell in shown), (
            filters
        )

        # and the table: exactly the buurten the counts per buurt show with a number
        counted = {code for code, n in _buurt_counts(filters).items() if n}
        table = list(public_report_rows(filters=filters, by="buurt"))
        assert {r.buurt.code for r in table} == counted, filters
