"""Response-rate overview of a survey by buurt × age band (policy staff, disclosure-controlled).

Panel surveys: per cell the invitations (the member's current buurt and age band), how many
were started and how many answered; the rate is answered / invited. Invitation bookkeeping
never says *which* response belongs to an invitation, and this overview only counts.
Open-link surveys have no invitations: per cell the submitted responses (by the buurt and
age band the respondents gave), and no rate.

Disclosure control as in `surveys.results`: a cell whose base (invited, or responses for
open-link surveys) is below `SURVEYS_MIN_CELL_N` is suppressed (all its figures withheld);
when a buurt row or an age-band column would reveal exactly one suppressed cell through
its published total, the smallest other published cell of that row/column is suppressed
too (repeated until stable). Row, column and overall totals are themselves cells with the
same threshold.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from participation.models import PanelMembership
from surveys.models import Invitation, Response, Survey
from surveys.results import UNKNOWN_AREA, min_cell_n

AGE_BANDS = tuple(PanelMembership.AgeBand.values)
UNKNOWN_AGE = "onbekend"


@dataclass(frozen=True)
class RateCell:
    base: int | None  # invited (panel) or submitted responses (open link)
    started: int | None
    responded: int | None
    rate: float | None  # percentage 0–100 (panel only)
    suppressed: bool


@dataclass
class RateRow:
    buurt: str
    cells: dict[str, RateCell] = field(default_factory=dict)  # age band -> cell
    total: RateCell | None = None


@dataclass
class ResponseRateOverview:
    kind: str  # "invitations" (panel) or "responses" (open link)
    min_cell_n: int
    age_bands: list[str]
    rows: list[RateRow]
    age_band_totals: dict[str, RateCell]
    total: RateCell


_Counts = tuple[int, int, int]  # base, started, responded


def _counts_panel(survey: Survey) -> dict[tuple[str, str], _Counts]:
    rows = (
        Invitation.objects.filter(survey=survey)
        .annotate(buurt_code=F("membership__buurt__code"), band=F("membership__age_band"))
        .values("buurt_code", "band")
        .annotate(
            invited=Count("pk"),
            started=Count("pk", filter=Q(used_at__isnull=False)),
            responded=Count("pk", filter=Q(responded_at__isnull=False)),
        )
    )
    return {
        (r["buurt_code"] or UNKNOWN_AREA, r["band"] or UNKNOWN_AGE): (
            r["invited"],
            r["started"],
            r["responded"],
        )
        for r in rows
    }


def _counts_open(survey: Survey) -> dict[tuple[str, str], _Counts]:
    rows = (
        Response.objects.submitted()
        .filter(survey=survey)
        .values("buurt__code", "age_band")
        .annotate(n=Count("pk"))
    )
    return {
        (r["buurt__code"] or UNKNOWN_AREA, r["age_band"] or UNKNOWN_AGE): (r["n"], r["n"], r["n"])
        for r in rows
    }


def _cell(counts: _Counts, *, panel: bool, hidden: bool) -> RateCell:
    base, started, responded = counts
    if hidden:
        return RateCell(None, None, None, None, True)
    rate = round(100.0 * responded / base, 1) if panel and base else None
    return RateCell(base, started if panel else None, responded, rate, False)


def _complementary(cells: dict[tuple[str, str], _Counts], hidden: set, minimum: int) -> None:
    """Suppress a second cell in every row/column that has exactly one hidden cell."""

    def groups() -> list[list[tuple[str, str]]]:
        by_row: dict[str, list] = defaultdict(list)
        by_col: dict[str, list] = defaultdict(list)
        for key in cells:
            by_row[key[0]].append(key)
            by_col[key[1]].append(key)
        return [*by_row.values(), *by_col.values()]

    changed = True
    while changed:
        changed = False
        for keys in groups():
            total = sum(cells[k][0] for k in keys)
            if total < minimum:
                continue  # the total is suppressed too: nothing to recover
            hidden_here = [k for k in keys if k in hidden]
            shown = sorted((cells[k][0], k) for k in keys if k not in hidden)
            if len(hidden_here) == 1 and shown:
                hidden.add(shown[0][1])
                changed = True


def _lone_hidden(counts: dict, hidden: set, axis: int, value: str) -> bool:
    """A row/column of one cell that is suppressed: its total would reveal it."""
    keys = [k for k in counts if k[axis] == value]
    return len(keys) == 1 and keys[0] in hidden


def _margin_hidden(
    totals: dict[str, _Counts], forced: set[str], overall: _Counts, minimum: int
) -> set[str]:
    """Suppressed marginal totals: below the threshold or forced; when exactly one is
    suppressed and the overall total is published, also the smallest other one."""
    hidden = {key for key, c in totals.items() if c[0] < minimum} | forced
    if len(hidden) == 1 and overall[0] >= minimum:
        shown = sorted((c[0], key) for key, c in totals.items() if key not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return hidden


def _sum(counts: list[_Counts]) -> _Counts:
    return (
        sum(c[0] for c in counts),
        sum(c[1] for c in counts),
        sum(c[2] for c in counts),
    )


def response_rate_overview(*, survey: Survey) -> ResponseRateOverview:
    """Response rates (panel) or response counts (open link) by buurt × age band."""
    panel = survey.distribution == Survey.Distribution.PANEL_ONLY
    counts = _counts_panel(survey) if panel else _counts_open(survey)
    minimum = min_cell_n()
    hidden = {key for key, c in counts.items() if c[0] < minimum}
    _complementary(counts, hidden, minimum)
    bands = list(AGE_BANDS) + ([UNKNOWN_AGE] if any(k[1] == UNKNOWN_AGE for k in counts) else [])
    buurten = sorted({k[0] for k in counts}, key=lambda c: (c == UNKNOWN_AREA, c))
    row_totals = {b: _sum([c for k, c in counts.items() if k[0] == b]) for b in buurten}
    band_totals_raw = {b: _sum([c for k, c in counts.items() if k[1] == b]) for b in bands}
    overall = _sum(list(counts.values()))
    hidden_rows = _margin_hidden(
        row_totals, {b for b in buurten if _lone_hidden(counts, hidden, 0, b)}, overall, minimum
    )
    hidden_bands = _margin_hidden(
        band_totals_raw, {b for b in bands if _lone_hidden(counts, hidden, 1, b)}, overall, minimum
    )
    rows = []
    for buurt in buurten:
        row = RateRow(buurt=buurt)
        for band in bands:
            key = (buurt, band)
            if key in counts:
                row.cells[band] = _cell(counts[key], panel=panel, hidden=key in hidden)
        row.total = _cell(row_totals[buurt], panel=panel, hidden=buurt in hidden_rows)
        rows.append(row)
    band_totals = {
        band: _cell(band_totals_raw[band], panel=panel, hidden=band in hidden_bands)
        for band in bands
    }
    return ResponseRateOverview(
        kind="invitations" if panel else "responses",
        min_cell_n=minimum,
        age_bands=bands,
        rows=rows,
        age_band_totals=band_totals,
        total=_cell(overall, panel=panel, hidden=overall[0] < minimum),
    )
