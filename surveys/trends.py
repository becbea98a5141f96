"""Trends of the Veiligheidsmonitor indicators between two survey waves (domain.md §9, I20):
the change against the earlier wave (the nulmeting) and whether it is significant by the
conservative rule of non-overlapping 95 % intervals. One channel at a time: open-link results
are indicatief and never go into a trend line with panel results (§9.3)."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.indicators import indicator_rows
from surveys.models import Response, SurveyVersion
from surveys.results import SurveyResults, survey_results
from surveys.selectors import questionnaire_get


@dataclass(frozen=True)
class TrendPoint:
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    weighted: bool


@dataclass(frozen=True)
class TrendRow:
    code: str
    label: str
    about: str
    unit: str  # "percent", "mark", "score_0_10"
    before: TrendPoint
    after: TrendPoint

    @property
    def change(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return round(self.after.value - self.before.value, 1)

    @property
    def significant(self) -> bool | None:
        """True when the two 95 % intervals do not overlap, False when they do, None when
        either is missing (suppressed, or no interval)."""
        b, a = self.before, self.after
        if None in (b.ci_low, b.ci_high, a.ci_low, a.ci_high):
            return None
        return a.ci_low > b.ci_high or a.ci_high < b.ci_low  # type: ignore[operator]


@dataclass(frozen=True)
class Trend:
    before: SurveyVersion
    after: SurveyVersion
    channel: str
    before_weighted: bool
    after_weighted: bool
    rows: list[TrendRow]

    @property
    def comparable_weighting(self) -> bool:
        return self.before_weighted == self.after_weighted


def _points(version: SurveyVersion, results: SurveyResults) -> dict[tuple[str, str], tuple]:
    by_code = {q.code: q for _s, qs in questionnaire_get(version=version) for q in qs}
    out = {}
    for row in indicator_rows(questions_by_code=by_code, results=results.questions):
        v = row.value
        withheld = v.suppressed or v.value is None
        point = TrendPoint(
            value=None if withheld else round(v.value, 1),
            ci_low=None if withheld or v.ci_low is None else round(v.ci_low, 1),
            ci_high=None if withheld or v.ci_high is None else round(v.ci_high, 1),
            n=None if withheld else v.n,
            weighted=v.weighted,
        )
        # Keyed by indicator and what it is about (the cluster, option or grid row): the
        # same indicator from two questionnaires lines up even when question codes differ.
        out[(row.code, v.key)] = (row, point)
    return out


def indicator_trend(
    *, before: SurveyVersion, after: SurveyVersion, channel: str = Response.Channel.PANEL
) -> Trend:
    """The indicators both versions measure, with the change from `before` to `after`."""
    if channel not in Response.Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    results_before = survey_results(version=before, channel=channel)
    results_after = survey_results(version=after, channel=channel)
    earlier = _points(before, results_before)
    later = _points(after, results_after)
    rows = []
    for key, (row, point) in later.items():
        if key not in earlier:
            continue
        rows.append(
            TrendRow(
                code=row.code,
                label=row.label,
                about=row.about,
                unit=row.value.unit,
                before=earlier[key][1],
                after=point,
            )
        )
    rows.sort(key=lambda r: (int(r.code[1:]) if r.code[1:].isdigit() else 99, r.about))
    return Trend(
        before=before,
        after=after,
        channel=channel,
        before_weighted=results_before.weighting.weighted,
        after_weighted=results_after.weighting.weighted,
        rows=rows,
    )
