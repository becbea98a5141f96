"""Reports per 1,000 inhabitants (reports.analysis): what counts, rates, the period before,
published figures, scope, per veld, per year, and which key figures are used."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from geo.codes import AreaLevel
from reports.analysis import (
    RateFilters,
    report_rate_trend,
    report_rates,
    report_rates_levels,
    report_rates_per_veld,
    sensitivities_for,
)
from reports.models import Report
from tests.geo.factories import AreaFactory, AreaPopulationFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

GM = "GM0546"
PERIOD = RateFilters(
    date_from=date(2026, 1, 1),
    date_to=date(2026, 6, 30),
    sensitivities=sensitivities_for(may_see_confidential=False),
)
WITH_CONFIDENTIAL = RateFilters(
    date_from=PERIOD.date_from,
    date_to=PERIOD.date_to,
    sensitivities=sensitivities_for(may_see_confidential=True),
)


@pytest.fixture
def populated(town):
    """The test town with a gemeente and key figures: wijk 90 (Noord- and Middenbuurt,
    2,000 each), wijk 91 (Havenbuurt 6,000; Oostbuurt water), gemeente 10,000."""
    gemeente = AreaFactory(level=AreaLevel.GEMEENTE, code=GM, name="Testdorp", col=30)
    wijk_a, wijk_b = town.buurten[0].parent, town.buurten[2].parent
    for area, n in [(gemeente, 10_000), (wijk_a, 4_000), (wijk_b, 6_000)]:
        AreaPopulationFactory(area=area, inhabitants=n)
    for buurt, n in zip(town.buurten[:3], (2_000, 2_000, 6_000), strict=True):
        AreaPopulationFactory(area=buurt, inhabitants=n)
    oost = town.buurten[3]
    oost.is_water = True
    oost.save()
    return town


def _on(day: date, **fields):
    report = ReportFactory(**fields)
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.make_aware(datetime.combine(day, time(12)))
    )
    return report


@pytest.fixture
def reported(populated, categories):
    noord, _midden, haven, _oost = populated.buurten
    litter = categories["zwerfafval"]
    for _ in range(12):
        _on(date(2026, 3, 1), buurt=noord, category=litter, support_count=1)
    for _ in range(3):
        _on(date(2026, 3, 1), buurt=haven, category=categories["jongerenoverlast"])
    for _ in range(4):
        _on(date(2025, 9, 1), buurt=noord, category=litter)  # the period before
    _on(date(2026, 3, 1), buurt=noord, category=litter, status=Report.Status.CANCELLED)
    original = _on(date(2026, 3, 1), buurt=noord, category=litter)
    _on(date(2026, 3, 1), buurt=noord, category=litter, duplicate_of=original)
    for _ in range(2):
        _on(date(2026, 3, 1), buurt=noord, category=categories["ondermijning-vermoeden"])
    _on(date(2026, 7, 1), buurt=noord, category=litter)  # after the period
    return populated


def _rows(table):
    return {row.code: row for row in table.rows}


def test_rates_per_wijk_with_the_period_before_and_the_gemeente(reported):
    table = report_rates(
        filters=PERIOD, level=AreaLevel.WIJK, municipality_code=GM, published=False
    )

    rows = _rows(table)
    noord_wijk = rows["WK054690"]
    # 12 + the original of the merged pair; cancelled, merged-away, confidential, later: out
    assert noord_wijk.current.reports == 13
    assert noord_wijk.current.people == 13 + 12  # the 12 each have one resident who joined
    assert noord_wijk.current.rate == 3.2  # 13 per 4,000
    assert noord_wijk.previous.reports == 4
    assert noord_wijk.previous.rate == 1.0
    assert noord_wijk.change == 2.2
    assert rows["WK054691"].current.reports == 3
    assert rows["WK054691"].current.rate == 0.5
    assert table.total.code == GM
    assert table.total.current.reports == 16
    assert table.total.current.rate == 1.6


def test_confidential_categories_count_only_when_asked_for(reported):
    table = report_rates(
        filters=WITH_CONFIDENTIAL, level=AreaLevel.WIJK, municipality_code=GM, published=False
    )
    assert _rows(table)["WK054690"].current.reports == 15


def test_published_figures_withhold_small_counts_and_use_the_rounded_count_for_the_rate(
    reported,
):
    table = report_rates(filters=PERIOD, level=AreaLevel.WIJK, municipality_code=GM, published=True)

    rows = _rows(table)
    assert rows["WK054690"].current.reports == 15  # 13 rounded to a multiple of 5
    assert rows["WK054690"].current.rate == 3.8  # 15 per 4,000, not 13 per 4,000
    assert rows["WK054690"].previous.reports is None  # 4: withheld
    assert rows["WK054690"].previous.rate is None
    assert rows["WK054690"].change is None
    assert rows["WK054691"].current.reports is None
    assert rows["WK054691"].current.people is None
    assert rows["WK054691"].current.rate is None


def test_buurten_without_a_rate_say_why(reported, town):
    midden = town.buurten[1]
    midden.populations.update(inhabitants=None, suppressed_fields=["inhabitants"])
    haven = town.buurten[2]
    haven.populations.all().delete()

    table = report_rates(
        filters=PERIOD, level=AreaLevel.BUURT, municipality_code=GM, published=False
    )

    rows = _rows(table)
    assert rows["BU05469000"].note == ""
    assert rows["BU05469000"].current.rate == 6.5  # 13 per 2,000
    assert rows["BU05469001"].note == "withheld_by_cbs"
    assert rows["BU05469100"].note == "no_population"
    assert rows["BU05469100"].current.reports == 3
    assert rows["BU05469100"].current.rate is None
    assert rows["BU05469101"].note == "water"
    assert rows["BU05469101"].current.rate is None


def test_a_scope_limits_the_rows_but_not_the_gemeente_total(reported):
    table = report_rates(
        filters=PERIOD,
        level=AreaLevel.BUURT,
        municipality_code=GM,
        published=False,
        area_codes=frozenset({"WK054691"}),
    )
    assert sorted(_rows(table)) == ["BU05469100", "BU05469101"]
    assert table.total.current.reports == 16


def test_filters_by_veld_or_thema_and_by_category(reported, categories):
    youth_veld = categories["jongerenoverlast"].theme.parent.slug
    by_veld = RateFilters(**{**PERIOD.__dict__, "theme": youth_veld})
    by_category = RateFilters(**{**PERIOD.__dict__, "category": "jongerenoverlast"})

    for filters in (by_veld, by_category):
        table = report_rates(
            filters=filters, level=AreaLevel.WIJK, municipality_code=GM, published=False
        )
        assert table.total.current.reports == 3


def test_per_veld_in_a_scope(reported, categories):
    inhabitants, velden = report_rates_per_veld(
        filters=PERIOD, municipality_code=GM, published=False, area_codes=frozenset({"WK054690"})
    )

    assert inhabitants == 4_000
    by_slug = {v.slug: v for v in velden}
    litter_veld = categories["zwerfafval"].theme.parent.slug
    assert by_slug[litter_veld].current.reports == 13
    assert by_slug[litter_veld].current.rate == 3.2
    assert by_slug[litter_veld].previous.reports == 4
    assert sum(v.current.reports for v in velden) == 13
    assert len(velden) == 5


def test_yearly_trend_with_the_running_year_marked(reported):
    trend = report_rate_trend(
        sensitivities=PERIOD.sensitivities,
        municipality_code=GM,
        published=False,
        years=3,
        today=date(2026, 11, 26),
    )

    assert [(y.year, y.complete, y.figure.reports) for y in trend] == [
        (2024, True, 0),
        (2025, True, 4),
        (2026, False, 17),
    ]
    assert trend[2].figure.rate == 1.7


def test_key_figures_of_the_latest_year_up_to_the_period_are_used(reported, town):
    noord = town.buurten[0]
    AreaPopulationFactory(area=noord, year=2022, inhabitants=1_000)
    AreaPopulationFactory(area=noord, year=2027, inhabitants=4_000)

    table = report_rates(
        filters=PERIOD, level=AreaLevel.BUURT, municipality_code=GM, published=False
    )
    row = _rows(table)["BU05469000"]
    assert (row.population_year, row.inhabitants) == (2024, 2_000)

    noord.populations.filter(year__in=(2022, 2024)).delete()
    row = _rows(
        report_rates(filters=PERIOD, level=AreaLevel.BUURT, municipality_code=GM, published=False)
    )["BU05469000"]
    assert (row.population_year, row.inhabitants) == (2027, 4_000)


def test_the_period_before_has_the_same_length():
    before = PERIOD.previous()
    assert before.date_to == date(2025, 12, 31)
    assert (before.date_to - before.date_from) == (PERIOD.date_to - PERIOD.date_from)


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="provincie"):
        report_rates(filters=PERIOD, level="provincie", municipality_code=GM, published=False)


def test_several_levels_at_once_equal_one_at_a_time(reported):
    tables = report_rates_levels(
        filters=PERIOD,
        levels=(AreaLevel.WIJK, AreaLevel.BUURT),
        municipality_code=GM,
        published=True,
    )
    for level in (AreaLevel.WIJK, AreaLevel.BUURT):
        single = report_rates(filters=PERIOD, level=level, municipality_code=GM, published=True)
        assert tables[level].rows == single.rows
        assert tables[level].total == single.total
