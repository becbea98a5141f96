"""Reports per area for policy work: meldingen per 1,000 inhabitants (domain.md §9, I18) per
buurt, wijk or gemeente, compared with the period before, per veiligheidsveld, and as a
yearly trend.

Counted: reports not merged into another one and not cancelled, by the date they were filed
(`created_at`), in the categories the viewer may see. "People" adds the residents who joined a
report ("ik heb hier ook last van") to the reporters. Inhabitants come from the CBS key
figures of the area itself (latest year up to the period's last year; an older or newer year
when that is all there is): no rate without inhabitants, for water-only areas, or for an
inhabitants figure CBS withheld.

Two audiences (docs/reports-analysis.md):

* policy staff see exact counts (`published=False`);
* wijkraden and every export for the plan see published figures (`published=True`): the
  small-count rule of the public map (`reports.selectors.public_count`: 1–4 withheld,
  the rest rounded to 5), and rates computed from the published count, so that a rate never
  gives a withheld or exact count away.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from geo.codes import AreaLevel
from geo.models import Area, AreaPopulation
from geo.selectors import area_list
from participation.models import Theme
from reports.models import Report, ReportCategory
from reports.selectors import public_count

LEVELS = (AreaLevel.BUURT, AreaLevel.WIJK, AreaLevel.GEMEENTE)
PER = 1000


@dataclass(frozen=True)
class RateFilters:
    """What to count. `date_to` is inclusive; `theme` is a veld or thema slug; `category` a
    category slug (a main category includes its subcategories); `sensitivities` the category
    sensitivities the viewer may see."""

    date_from: date
    date_to: date
    sensitivities: tuple[str, ...]
    theme: str | None = None
    category: str | None = None

    def previous(self) -> RateFilters:
        """The period of the same length just before this one."""
        days = (self.date_to - self.date_from).days + 1
        return RateFilters(
            date_from=self.date_from - timedelta(days=days),
            date_to=self.date_from - timedelta(days=1),
            sensitivities=self.sensitivities,
            theme=self.theme,
            category=self.category,
        )


@dataclass(frozen=True)
class Figure:
    """Reports, people and the rate per 1,000 inhabitants in one area and period. Counts are
    None when withheld (published figures, 1–4); the rate is None without inhabitants or
    with a withheld count."""

    reports: int | None
    people: int | None
    rate: float | None


@dataclass(frozen=True)
class AreaRate:
    code: str
    name: str
    level: str
    inhabitants: int | None
    population_year: int | None
    note: str  # "" or why there is no rate: "water", "no_population", "withheld_by_cbs"
    current: Figure
    previous: Figure

    @property
    def change(self) -> float | None:
        """Change of the rate against the previous period, in rate points."""
        if self.current.rate is None or self.previous.rate is None:
            return None
        return round(self.current.rate - self.previous.rate, 1)


@dataclass
class RateTable:
    level: str
    filters: RateFilters
    published: bool
    rows: list[AreaRate] = field(default_factory=list)
    total: AreaRate | None = None  # the gemeente


def sensitivities_for(*, may_see_confidential: bool) -> tuple[str, ...]:
    public, restricted, confidential = (
        ReportCategory.Sensitivity.PUBLIC,
        ReportCategory.Sensitivity.RESTRICTED,
        ReportCategory.Sensitivity.CONFIDENTIAL,
    )
    return (public, restricted, confidential) if may_see_confidential else (public, restricted)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _counted(filters: RateFilters) -> QuerySet[Report]:
    qs = Report.objects.filter(
        duplicate_of__isnull=True,
        category__sensitivity__in=filters.sensitivities,
        created_at__gte=_day_start(filters.date_from),
        created_at__lt=_day_start(filters.date_to + timedelta(days=1)),
    ).exclude(status=Report.Status.CANCELLED)
    if filters.theme:
        qs = qs.filter(
            Q(category__theme__slug=filters.theme) | Q(category__theme__parent__slug=filters.theme)
        )
    if filters.category:
        qs = qs.filter(
            Q(category__slug=filters.category) | Q(category__parent__slug=filters.category)
        )
    return qs


def _counts_per_buurt(filters: RateFilters) -> tuple[dict, dict]:
    """buurt id → (reports, people) for the period and for the one before it: one grouped
    query over both periods (counted apart with conditional aggregates)."""
    before = filters.previous()
    both = RateFilters(**{**filters.__dict__, "date_from": before.date_from})
    now = Q(created_at__gte=_day_start(filters.date_from))
    rows = (
        _counted(both)
        .values("buurt_id")
        .annotate(
            n=Count("pk", filter=now),
            s=Sum("support_count", filter=now),
            pn=Count("pk", filter=~now),
            ps=Sum("support_count", filter=~now),
        )
        .values_list("buurt_id", "n", "s", "pn", "ps")
        .order_by()
    )
    current, previous = {}, {}
    for buurt_id, n, support, pn, psupport in rows:
        if n:
            current[buurt_id] = (n, n + (support or 0))
        if pn:
            previous[buurt_id] = (pn, pn + (psupport or 0))
    return current, previous


def _population_for(areas: list[Area], year: int) -> dict[int, AreaPopulation]:
    """Per area: the latest key figures up to `year`, else the earliest after it."""
    by_area: dict[int, list[AreaPopulation]] = defaultdict(list)
    for pop in AreaPopulation.objects.filter(area__in=areas):
        by_area[pop.area_id].append(pop)
    chosen = {}
    for area_id, pops in by_area.items():
        up_to = [p for p in pops if p.year <= year]
        chosen[area_id] = (
            max(up_to, key=lambda p: p.year) if up_to else min(pops, key=lambda p: p.year)
        )
    return chosen


def _figure(counts: tuple[int, int], inhabitants: int | None, *, published: bool) -> Figure:
    reports, people = counts
    if published:
        reports_out = public_count(reports)
        people_out = None if reports_out is None else public_count(people)
    else:
        reports_out, people_out = reports, people
    rate = None
    if inhabitants and reports_out is not None:
        rate = round(PER * reports_out / inhabitants, 1)
    return Figure(reports=reports_out, people=people_out, rate=rate)


def _area_rate(
    area: Area,
    pop: AreaPopulation | None,
    current: tuple[int, int],
    previous: tuple[int, int],
    *,
    published: bool,
) -> AreaRate:
    inhabitants = pop.inhabitants if pop is not None else None
    if area.is_water:
        note, inhabitants = "water", None
    elif pop is None:
        note = "no_population"
    elif inhabitants is None and pop.is_suppressed("inhabitants"):
        note = "withheld_by_cbs"
    elif not inhabitants:
        note = "no_population"
    else:
        note = ""
    return AreaRate(
        code=area.code,
        name=area.name,
        level=area.level,
        inhabitants=inhabitants,
        population_year=pop.year if pop is not None else None,
        note=note,
        current=_figure(current, inhabitants, published=published),
        previous=_figure(previous, inhabitants, published=published),
    )


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def report_rates(
    *,
    filters: RateFilters,
    level: str,
    municipality_code: str,
    published: bool,
    area_codes: frozenset[str] | None = None,
) -> RateTable:
    """Reports per 1,000 inhabitants per area of `level` (buurt, wijk or gemeente) of the
    municipality's latest vintage, for the period and the one before it, with the gemeente
    as the total. `area_codes` limits the rows (a wijkraad's scope: wijk codes include
    their buurten); the total is always the whole gemeente."""
    return report_rates_levels(
        filters=filters,
        levels=(level,),
        municipality_code=municipality_code,
        published=published,
        area_codes=area_codes,
    )[level]


def report_rates_levels(
    *,
    filters: RateFilters,
    levels: tuple[str, ...],
    municipality_code: str,
    published: bool,
    area_codes: frozenset[str] | None = None,
) -> dict[str, RateTable]:
    """`report_rates` for several levels at once, counting the reports once."""
    for level in levels:
        if level not in LEVELS:
            raise ValueError(f"Unknown level {level!r}")
    gemeenten = list(area_list(level=AreaLevel.GEMEENTE, municipality_code=municipality_code))
    current, previous = _counts_per_buurt(filters)

    # Roll buurten up to wijk and gemeente by CBS code (reports of an older buurt vintage
    # count in the wijk their code belongs to).
    code_of = dict(
        Area.objects.filter(pk__in=set(current) | set(previous)).values_list("pk", "code")
    )
    per_code: dict[str, list[tuple[int, int]]] = defaultdict(lambda: [(0, 0), (0, 0)])
    for index, counts in enumerate((current, previous)):
        for buurt_id, value in counts.items():
            code = code_of[buurt_id]
            for key in (code, "WK" + code[2:8], "GM" + code[2:6]):
                slot = per_code[key]
                slot[index] = _add(slot[index], value)

    tables = {}
    for level in levels:
        areas = (
            gemeenten
            if level == AreaLevel.GEMEENTE
            else list(area_list(level=level, municipality_code=municipality_code))
        )
        if area_codes is not None:
            areas = [a for a in areas if a.code in area_codes or a.parent_code in area_codes]
        population = _population_for([*areas, *gemeenten], filters.date_to.year)
        table = RateTable(level=level, filters=filters, published=published)
        for area in sorted(areas, key=lambda a: (a.name.casefold(), a.code)):
            now, before = per_code.get(area.code, [(0, 0), (0, 0)])
            table.rows.append(
                _area_rate(area, population.get(area.pk), now, before, published=published)
            )
        if gemeenten:
            gemeente = gemeenten[0]
            now, before = per_code.get(gemeente.code, [(0, 0), (0, 0)])
            table.total = _area_rate(
                gemeente, population.get(gemeente.pk), now, before, published=published
            )
        tables[level] = table
    return tables


@dataclass(frozen=True)
class VeldRate:
    slug: str
    name: str  # in the active language
    current: Figure
    previous: Figure


def report_rates_per_veld(
    *,
    filters: RateFilters,
    municipality_code: str,
    published: bool,
    area_codes: frozenset[str] | None = None,
) -> tuple[int | None, list[VeldRate]]:
    """Reports per veiligheidsveld in an area (the areas of `area_codes`, wijk codes with
    their buurten; default the whole gemeente), for the period and the one before, per 1,000
    inhabitants of that area. Returns (inhabitants, rows in veld order); reports in a
    category without a thema count under no veld and are left out."""
    buurten = list(area_list(level=AreaLevel.BUURT, municipality_code=municipality_code))
    if area_codes is not None:
        buurten = [b for b in buurten if b.code in area_codes or b.parent_code in area_codes]
    inhabitants = _inhabitants_of(area_codes, buurten, municipality_code, filters.date_to.year)
    buurt_codes = {b.code for b in buurten}
    velden = list(Theme.objects.filter(kind=Theme.Kind.VELD, municipality_code="").order_by("code"))
    results: dict[int, list[tuple[int, int]]] = defaultdict(lambda: [(0, 0), (0, 0)])
    for index, period in enumerate((filters, filters.previous())):
        rows = (
            _counted(period)
            .filter(buurt__code__in=buurt_codes)
            .values("category__theme__parent_id", "category__theme_id")
            .annotate(n=Count("*"), support=Sum("support_count"))
            .values_list("category__theme__parent_id", "category__theme_id", "n", "support")
            .order_by()
        )
        for parent_id, theme_id, n, support in rows:
            veld_id = parent_id or theme_id
            slot = results[veld_id]
            slot[index] = _add(slot[index], (n, n + (support or 0)))
    out = []
    for veld in velden:
        now, before = results.get(veld.pk, [(0, 0), (0, 0)])
        out.append(
            VeldRate(
                slug=veld.slug,
                name=veld.localized_name,
                current=_figure(now, inhabitants, published=published),
                previous=_figure(before, inhabitants, published=published),
            )
        )
    return inhabitants, out


def _inhabitants_of(
    area_codes: frozenset[str] | None, buurten: list[Area], municipality_code: str, year: int
) -> int | None:
    """Inhabitants of the gemeente, or of a scope: the wijken's own figures for wijk codes,
    the buurten's for buurt codes not inside one of those wijken. None when one is missing."""
    if area_codes is None:
        areas = list(area_list(level=AreaLevel.GEMEENTE, municipality_code=municipality_code))
    else:
        wijken = list(
            area_list(level=AreaLevel.WIJK, municipality_code=municipality_code).filter(
                code__in=area_codes
            )
        )
        wijk_codes = {w.code for w in wijken}
        areas = wijken + [
            b for b in buurten if b.code in area_codes and b.parent_code not in wijk_codes
        ]
    if not areas:
        return None
    population = _population_for(areas, year)
    total = 0
    for area in areas:
        pop = population.get(area.pk)
        if area.is_water:
            continue
        if pop is None or not pop.inhabitants:
            return None
        total += pop.inhabitants
    return total or None


@dataclass(frozen=True)
class YearRate:
    year: int
    complete: bool  # False for the running year (counted up to today)
    figure: Figure


def report_rate_trend(
    *,
    sensitivities: tuple[str, ...],
    municipality_code: str,
    published: bool,
    years: int,
    today: date,
    area_codes: frozenset[str] | None = None,
    theme: str | None = None,
) -> list[YearRate]:
    """Reports per calendar year for the last `years` years up to today's (running) year,
    per 1,000 inhabitants of that year's key figures (latest available up to it)."""
    buurten = list(area_list(level=AreaLevel.BUURT, municipality_code=municipality_code))
    if area_codes is not None:
        buurten = [b for b in buurten if b.code in area_codes or b.parent_code in area_codes]
    codes = {b.code for b in buurten}
    first = today.year - years + 1
    filters = RateFilters(
        date_from=date(first, 1, 1), date_to=today, sensitivities=sensitivities, theme=theme
    )
    # One pass with a count per year over plain range comparisons (extracting the local year
    # per row is a function call per row on SQLite: four times slower at 200,000 reports).
    aggregates = {}
    for year in range(first, today.year + 1):
        in_year = Q(
            created_at__gte=_day_start(date(year, 1, 1)),
            created_at__lt=_day_start(date(year + 1, 1, 1)),
        )
        aggregates[f"n{year}"] = Count("pk", filter=in_year)
        aggregates[f"s{year}"] = Sum("support_count", filter=in_year)
    totals = _counted(filters).filter(buurt__code__in=codes).aggregate(**aggregates)
    per_year = {
        year: (totals[f"n{year}"], totals[f"n{year}"] + (totals[f"s{year}"] or 0))
        for year in range(first, today.year + 1)
    }
    out = []
    for year in range(first, today.year + 1):
        inhabitants = _inhabitants_of(area_codes, buurten, municipality_code, year)
        out.append(
            YearRate(
                year=year,
                complete=year < today.year,
                figure=_figure(per_year.get(year, (0, 0)), inhabitants, published=published),
            )
        )
    return out
