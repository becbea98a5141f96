"""Aggregated, disclosure-controlled survey results and the indicators of domain.md §9.

Rules (settings-driven, defaults in brackets):

* Every published figure has an unweighted base *n*: the respondents it is computed on
  (the valid answers, "weet niet" excluded). A figure whose base is below
  `SURVEYS_MIN_CELL_N` (10) is suppressed: value None, `suppressed=True`, and its counts
  are withheld too. For answers that are areas (buurt questions, locations) every area is
  itself a cell: areas with fewer than `SURVEYS_MIN_CELL_N` answers are suppressed.
* Breakdowns by buurt or wijk publish only groups with at least `SURVEYS_MIN_CELL_N`
  respondents; when exactly one group would be suppressed, the next smallest is suppressed
  too, so the hidden group cannot be recovered from the total (complementary suppression).
* Open answers are shown only as the moderated public text of approved answers, and only
  when at least `SURVEYS_MIN_OPEN_K` (5) distinct respondents answered the question.

Weighting (domain.md §9.1, §9.2, `surveys.weighting`): respondents are weighted by raking to
the CBS population margins (age band, sex, wijk) of the municipality; every figure carries the
weighted value, its 95 % interval (Wilson for percentages, ±1.96·sd_w/√n_eff for means), the
unweighted base n, the Kish effective n and the unweighted value. Suppression always uses the
unweighted n. Without usable population figures, or when the set mixes open-link and panel
responses, the figures are unweighted (every wᵢ = 1) and `SurveyResults.weighting.reason`
says why; the intervals are then computed with n_eff = n. Results are computed per
questionnaire version (responses answer one fixed version).
"""

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    JSONNull,
    Max,
    Q,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from geo.codes import parent_code_of
from surveys.models import Answer, OpenAnswerModeration, Question, Response, SurveyVersion
from surveys.scales import (
    DONT_KNOW,
    NUISANCE,
    NUISANCE_KEY,
    OCCURS_KEY,
    OVERLAST_CLUSTERS,
    POSITIVE,
    SCALE_MAX_SCORE,
    SCALES,
)
from surveys.selectors import questionnaire_get, questionnaire_questions
from surveys.validation import allowed_values
from surveys.weighting import (
    Weighting,
    effective_n,
    mean_interval,
    strata_count,
    stratum_of,
    unweighted,
    weighting_compute,
    wilson_interval,
)

TOTAL_CLUSTER = "totaal"
MIN_SCALE_ITEMS = 3
UNKNOWN_AREA = "onbekend"


def min_cell_n() -> int:
    return int(getattr(settings, "SURVEYS_MIN_CELL_N", 10))


def min_open_k() -> int:
    return int(getattr(settings, "SURVEYS_MIN_OPEN_K", 5))


# --- Result types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    """One published figure (a percentage 0–100 or a mean) with its unweighted base n.

    `value` is the weighted figure when `weighted`, else the unweighted one;
    `unweighted_value` is always the unweighted figure. `ci_low`/`ci_high` is the 95 %
    interval of `value` computed with the Kish effective n `n_eff` (= n when unweighted)."""

    value: float | None
    n: int | None
    suppressed: bool
    ci_low: float | None = None
    ci_high: float | None = None
    n_eff: float | None = None
    unweighted_value: float | None = None
    weighted: bool = False

    @classmethod
    def of(cls, value: float | None, n: int, *, minimum: int) -> "Stat":
        if n < minimum or n == 0 or value is None:
            return cls(value=None, n=None, suppressed=True)
        return cls(value=value, n=n, suppressed=False)


@dataclass(frozen=True)
class Cell:
    count: int | None
    percentage: float | None  # unweighted: count / n
    suppressed: bool
    weighted_percentage: float | None = None  # None when the results are unweighted
    # Σ count·weight, unrounded (for indicators built from cells); not published.
    weight: float = field(default=0.0, compare=False, repr=False)


@dataclass(frozen=True)
class Distribution:
    """Counts and percentages per answer value over the valid base `n`."""

    n: int | None
    dont_know: int | None
    suppressed: bool
    cells: dict[str, Cell]
    mean: Stat | None = None
    positive: Stat | None = None  # % top-2 for agree_5 / satisfied_5
    n_eff: float | None = None  # Kish effective n of the valid base
    weighted: bool = False
    # Σ weight and Σ weight² over the valid base, unrounded; not published.
    weight_total: float = field(default=0.0, compare=False, repr=False)
    square_total: float = field(default=0.0, compare=False, repr=False)


@dataclass(frozen=True)
class OverlastRow:
    occurs: Stat  # % komt voor
    much: Stat  # % veel overlast ("komt niet voor" counts as no overlast)
    levels: Distribution  # niet / veel / een beetje / geen


@dataclass(frozen=True)
class ClusterResult:
    occurs: Stat  # % with ≥1 item that occurs (I9)
    much: Stat  # % with "veel overlast" on ≥1 item (I5–I8)


@dataclass
class QuestionResult:
    code: str
    type: str
    text: str
    text_en: str
    indicator_codes: list[str]
    distribution: Distribution | None = None
    rows: dict[str, Distribution] = field(default_factory=dict)
    overlast_rows: dict[str, OverlastRow] = field(default_factory=dict)
    clusters: dict[str, ClusterResult] = field(default_factory=dict)
    scale_score: Stat | None = None  # 0–10 (I10, I11)
    any_yes: Stat | None = None  # yes/no grids: % with ≥1 "ja" (I12)
    open_answers: list[str] | None = None
    open_answers_suppressed: bool = False


@dataclass
class GroupResults:
    code: str
    n: int | None
    suppressed: bool
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    n_eff: float | None = None


@dataclass
class SurveyResults:
    version_number: int
    indicative: bool
    n: int | None
    suppressed: bool
    min_cell_n: int
    min_open_k: int
    questions: dict[str, QuestionResult]
    breakdown_level: str | None = None
    groups: list[GroupResults] = field(default_factory=list)
    weighting: Weighting = field(default_factory=lambda: unweighted("no_responses"))
    n_eff: float | None = None


# --- Loading: aggregated in the database ----------------------------------------------
#
# Nothing is loaded per respondent. Two grouped queries per call (plus one for the group
# sizes and, for open questions, one for k):
#
# * value counts: (question, row, value) → count, over all answers of the version. Every
#   distribution, mean, "% positive" and overlast item figure depends only on this multiset.
# * respondent patterns: for grids and overlast grids the per-respondent figures (clusters,
#   scale score, "≥1 ja") need the combination of a respondent's rows. An inner query reduces
#   each (response, question) to a few small numbers (per cluster: the highest item state;
#   for a scale grid: the sum and count of the item scores; for a yes/no grid: the highest
#   answer), the outer query counts respondents per combination.
#
# With a breakdown both are grouped by the response's buurt as well; the overall figures are
# the union of the groups. When the results are weighted both are also grouped by the
# response's stratum (wijk, age band, sex), whose members share one weight. Multisets are
# lists of (value, count, weight) triples ("Weighted"); the weight is 1.0 when unweighted.

Weighted = list[tuple[Any, int, float]]
AreaKey = tuple[str, str]  # (buurt code, wijk code) of a response; "" when unknown
NOT_GROUPED: AreaKey = ("", "")

# Item states of an overlast row (MAX over a cluster's rows gives the respondent's state).
_FALSE, _TRUE = 1, 2


@dataclass
class _Counts:
    """Aggregated answers of one set of respondents."""

    n: int = 0
    weight_sum: float = 0.0  # Σw over the respondents
    square_sum: float = 0.0  # Σw²
    values: dict[tuple[int, str], Weighted] = field(default_factory=lambda: defaultdict(list))
    patterns: dict[int, Weighted] = field(default_factory=lambda: defaultdict(list))
    open_k: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: "_Counts") -> None:
        self.n += other.n
        self.weight_sum += other.weight_sum
        self.square_sum += other.square_sum
        for key, pairs in other.values.items():
            self.values[key] += pairs
        for key, pairs in other.patterns.items():
            self.patterns[key] += pairs
        for key, k in other.open_k.items():
            self.open_k[key] += k


@dataclass(frozen=True)
class _Slot:
    """One per-respondent number of a grid question, computed in the database."""

    name: str
    question_id: int
    aggregate: Any  # Max / Sum / Count over a Case expression on the question's answers


def _is_scale_grid(question: Question) -> bool:
    return question.type == "grid" and question.scale in SCALE_MAX_SCORE


def _overlast_clusters(question: Question) -> dict[str, list[str]]:
    """Row keys per cluster (the CBS clusters in order, then any other, then "totaal"),
    without the empty ones."""
    clusters: dict[str, list[str]] = {c: [] for c in OVERLAST_CLUSTERS}
    for row in question.rows:
        clusters.setdefault(row["cluster"], []).append(row["key"])
    clusters[TOTAL_CLUSTER] = [row["key"] for row in question.rows]
    return {name: keys for name, keys in clusters.items() if keys}


def _stored_in(texts: Sequence[str], stored: dict[str, Any]) -> Q:
    """Answers whose stored value is one of `texts`: as text on SQLite (the column is text),
    as jsonb values on PostgreSQL (no cast per row)."""
    if connection.vendor == "postgresql":
        return Q(value__in=[stored[text] for text in texts])
    return Q(raw__in=list(texts))


def _state(
    question: Question, keys: list[str], states: dict[str, int | None], texts: dict[str, Any]
) -> Case | Value:
    """MAX-able state of a respondent's rows `keys`: per stored answer text its state."""
    whens = []
    for state in (_TRUE, _FALSE):
        matching = sorted(text for text, s in states.items() if s == state)
        if matching and keys:
            condition = Q(question_id=question.pk, row_key__in=keys) & _stored_in(matching, texts)
            whens.append(When(condition, then=Value(state)))
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=None, output_field=IntegerField())


def _flag_state(flag: bool | None) -> int | None:
    return None if flag is None else (_TRUE if flag else _FALSE)


def _slots(questions: Sequence[Question], stored: dict[int, dict[str, Any]]) -> list[_Slot]:
    """The per-respondent numbers to compute; `stored` maps each question's stored answer
    texts to their values (so the database compares texts, and Python decides what a value
    means, exactly as for the distributions)."""
    slots: list[_Slot] = []

    def add(question: Question, aggregate: Any) -> None:
        slots.append(_Slot(f"s{len(slots)}", question.pk, aggregate))

    for question in questions:
        texts = stored.get(question.pk, {})
        if question.type == "overlast_grid":
            items = {text: _overlast_item(value) for text, value in texts.items()}
            occurs = {text: _flag_state(o) for text, (o, _m) in items.items()}
            much = {text: _flag_state(m) for text, (_o, m) in items.items()}
            for keys in _overlast_clusters(question).values():
                add(question, Max(_state(question, keys, occurs, texts)))
                add(question, Max(_state(question, keys, much, texts)))
        elif _is_scale_grid(question):
            top = SCALE_MAX_SCORE[question.scale]
            scores = {p.value: p.score for p in SCALES[question.scale]}
            normal = [r["key"] for r in question.rows if not r.get("reverse")]
            reverse = [r["key"] for r in question.rows if r.get("reverse")]
            by_score: dict[int, list[str]] = defaultdict(list)
            for text, value in texts.items():
                score = scores.get(value) if isinstance(value, str) else None
                if score is not None:
                    by_score[score].append(text)
            whens = []
            for score, matching in sorted(by_score.items()):
                for keys, points in ((normal, score), (reverse, top - score)):
                    if keys:
                        condition = Q(question_id=question.pk, row_key__in=keys) & _stored_in(
                            matching, texts
                        )
                        whens.append(When(condition, then=Value(points)))
            item = Case(*whens, default=None, output_field=IntegerField()) if whens else None
            add(question, Sum(item) if item else Value(None, output_field=IntegerField()))
            add(question, Count(item) if item else Value(0))
        elif question.type == "grid" and question.scale == "yes_no":
            keys = [r["key"] for r in question.rows]
            states = {
                text: _TRUE if value == "ja" else _FALSE if value == "nee" else None
                for text, value in texts.items()
            }
            add(question, Max(_state(question, keys, states, texts)))
    return slots


def _submitted(version: SurveyVersion, channel: str | None) -> Any:
    responses = Response.objects.submitted().filter(survey_version=version)
    if channel:
        responses = responses.filter(channel=channel)
    return responses


def _area_columns(grouped: bool, stratified: bool) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    if grouped or stratified:
        columns["area_buurt"] = F("response__buurt__code")
        columns["area_wijk"] = F("response__buurt__parent_code")
    if stratified:
        columns["area_age"] = F("response__age_band")
        columns["area_sex"] = F("response__sex")
    return columns


def _area_key(grouped: bool, buurt: str | None, parent: str | None) -> AreaKey:
    if not grouped:
        return NOT_GROUPED
    code = buurt or ""
    return code, parent or (parent_code_of(code) or "" if code else "")


def _row_key_and_weight(
    row: Mapping[str, Any], grouped: bool, weighting: Weighting
) -> tuple[AreaKey, float]:
    buurt, wijk = row.get("area_buurt"), row.get("area_wijk")
    weight = 1.0
    if weighting.weighted:
        weight = weighting.weight(
            stratum_of(buurt, wijk, row.get("area_age") or "", row.get("area_sex") or "")
        )
    return _area_key(grouped, buurt, wijk), weight


def _aggregate(
    version: SurveyVersion,
    channel: str | None,
    questions: Sequence[Question],
    *,
    grouped: bool,
    sizes: Mapping[AreaKey, tuple[int, float, float]],
    weighting: Weighting,
) -> dict[AreaKey, _Counts]:
    """The aggregated answers per area of the respondent (one entry `NOT_GROUPED` unless
    `grouped`). `sizes` holds the respondents per area key: (n, Σw, Σw²)."""
    responses = _submitted(version, channel)
    counts: dict[AreaKey, _Counts] = defaultdict(_Counts)
    for key, (n, weight_sum, square_sum) in sizes.items():
        counts[key].n += n
        counts[key].weight_sum += weight_sum
        counts[key].square_sum += square_sum
    if not counts or not questions:
        return counts
    by_id = {q.pk: q for q in questions}
    answers = Answer.objects.filter(response__in=responses, question_id__in=list(by_id))
    areas = _area_columns(grouped, weighting.weighted)
    area_names = list(areas)

    # Answers are compared as stored text: each distinct text is decoded once, here.
    answers = answers.annotate(raw=Cast("value", TextField()), **areas)
    open_ids = [q.pk for q in questions if q.type == "open_text"]
    value_counts = (
        answers.exclude(question_id__in=open_ids)
        .values("question_id", "row_key", "raw", *area_names)
        .annotate(n=Count("pk"))
        .order_by()
    )
    stored: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in value_counts:
        key, weight = _row_key_and_weight(row, grouped, weighting)
        texts = stored[row["question_id"]]
        if row["raw"] not in texts:
            texts[row["raw"]] = json.loads(row["raw"])
        value = texts[row["raw"]]
        counts[key].values[(row["question_id"], row["row_key"])].append((value, row["n"], weight))

    if open_ids:
        # k: respondents with an open answer (open answers are non-empty strings).
        given = (
            answers.filter(question_id__in=open_ids, row_key="")
            .exclude(value=JSONNull())
            .exclude(value="")
            .values("question_id", *area_names)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in given:
            key, _weight = _row_key_and_weight(row, grouped, weighting)
            counts[key].open_k[row["question_id"]] += row["n"]

    # One query per grid question, so each answer row evaluates only its own question's slots.
    all_slots = _slots(questions, stored)
    qn = connection.ops.quote_name
    for question_id in sorted({slot.question_id for slot in all_slots}):
        slots = [slot for slot in all_slots if slot.question_id == question_id]
        inner = (
            answers.filter(question_id=question_id)
            .values("response_id", *area_names)
            .annotate(**{slot.name: slot.aggregate for slot in slots})
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        columns = ", ".join(qn(c) for c in [*area_names, *(slot.name for slot in slots)])
        # Identifiers are quoted fixed names; the inner SQL and its params come from the ORM.
        outer = f"SELECT {columns}, COUNT(*) FROM ({sql}) per_response GROUP BY {columns}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(outer, params)
            for row in cursor.fetchall():
                named = dict(zip(area_names, row[: len(area_names)], strict=True))
                key, weight = _row_key_and_weight(named, grouped, weighting)
                pattern = tuple(row[len(area_names) : -1])
                counts[key].patterns[question_id].append((pattern, row[-1], weight))
    return counts


# --- Computation ----------------------------------------------------------------------------


def _pct(count: int, n: int) -> float:
    return round(100.0 * count / n, 1) if n else 0.0


def _mean(numbers: Weighted) -> float | None:
    """Unweighted mean of counted numbers: exact for integers (as a plain sum is), and the
    correctly rounded exact mean when floats are involved."""
    count = sum(c for _v, c, _w in numbers)
    if not count:
        return None
    if all(isinstance(v, int) for v, _c, _w in numbers):
        return sum(v * c for v, c, _w in numbers) / count
    return float(sum((Fraction(v) * c for v, c, _w in numbers), Fraction(0)) / count)


def _weight_totals(entries: Weighted) -> tuple[float, float]:
    """(Σ count·w, Σ count·w²), correctly rounded (independent of the order of entries)."""
    return math.fsum(c * w for _v, c, w in entries), math.fsum(c * w * w for _v, c, w in entries)


def _suppressed_stat() -> Stat:
    return Stat(None, None, True)


def _percent_stat(
    *, yes: int, n: int, yes_weight: float, weight_sum: float, n_eff: float, weighted: bool,
    minimum: int,
) -> Stat:  # fmt: skip
    """A percentage with its Wilson 95 % interval on n_eff; suppressed on the unweighted n."""
    if n < minimum or n == 0:
        return _suppressed_stat()
    plain = _pct(yes, n)
    if not weighted:
        share, n_eff = yes / n, float(n)
    else:
        share = min(max(yes_weight / weight_sum, 0.0), 1.0) if weight_sum > 0 else 0.0
    low, high = wilson_interval(share, n_eff) if n_eff > 0 else (share, share)
    return Stat(
        value=round(100.0 * share, 1) if weighted else plain,
        n=n,
        suppressed=False,
        ci_low=round(100.0 * low, 1),
        ci_high=round(100.0 * high, 1),
        n_eff=round(n_eff, 1),
        unweighted_value=plain,
        weighted=weighted,
    )


def _mean_stat(numbers: Weighted, *, weighted: bool, minimum: int, digits: int = 2) -> Stat:
    """A mean ± 1.96·sd_w/√n_eff; suppressed on the unweighted n."""
    n = sum(c for _v, c, _w in numbers)
    if n < minimum or n == 0:
        return _suppressed_stat()
    plain = round(_mean(numbers), digits)  # type: ignore[arg-type]
    interval = mean_interval(numbers if weighted else [(v, c, 1.0) for v, c, _w in numbers])
    if interval is None:  # no positive weight (weights are ≥ 0.2, so only without values)
        return _suppressed_stat()
    mean, low, high, n_eff = interval
    if not weighted:  # centre the interval on the exact mean
        half = (high - low) / 2
        mean = _mean(numbers) or 0.0
        low, high = mean - half, mean + half
    return Stat(
        value=round(mean, digits) if weighted else plain,
        n=n,
        suppressed=False,
        ci_low=round(low, digits),
        ci_high=round(high, digits),
        n_eff=round(n_eff, 1),
        unweighted_value=plain,
        weighted=weighted,
    )


def _distribution(
    values: Weighted,
    categories: Sequence[Any],
    *,
    minimum: int,
    weighted: bool,
    multi: bool = False,
    scale: str = "",
    numeric: bool = False,
    cell_minimum: int = 0,
) -> Distribution:
    dont_know = sum(c for v, c, _w in values if v == DONT_KNOW)
    valid = [(v, c, w) for v, c, w in values if v is not None and v != DONT_KNOW]
    n = sum(c for _v, c, _w in valid)
    counter: Counter = Counter()
    weights: dict[Any, list[float]] = defaultdict(list)
    for v, c, w in valid:
        for item in v if multi else (v,):
            counter[item] += c
            weights[item].append(c * w)
    keys = list(categories) or sorted(counter, key=str)
    if n < minimum:
        cells = {str(k): Cell(None, None, True) for k in keys}
        return Distribution(
            n=None,
            dont_know=None,
            suppressed=True,
            cells=cells,
            mean=_suppressed_stat() if numeric else None,
            positive=_suppressed_stat() if scale in POSITIVE else None,
            weighted=weighted,
        )
    weight_sum, square_sum = _weight_totals(valid)
    n_eff = effective_n(weight_sum, square_sum) if weighted else float(n)
    cells = {}
    for k in keys:
        count = counter.get(k, 0)
        weight = math.fsum(weights.get(k, ()))
        if cell_minimum and count < cell_minimum:
            cells[str(k)] = Cell(None, None, True)
        else:
            cells[str(k)] = Cell(
                count,
                _pct(count, n),
                False,
                weighted_percentage=round(100.0 * weight / weight_sum, 1)
                if weighted and weight_sum > 0
                else None,
                weight=weight if weighted else float(count),
            )
    mean = None
    if numeric:
        numbers = [(v, c, w) for v, c, w in valid if isinstance(v, int | float)]
        mean = _mean_stat(numbers, weighted=weighted, minimum=minimum)
    positive = None
    if scale in POSITIVE:
        top = [(v, c, w) for v, c, w in valid if v in POSITIVE[scale]]
        positive = _percent_stat(
            yes=sum(c for _v, c, _w in top),
            n=n,
            yes_weight=_weight_totals(top)[0],
            weight_sum=weight_sum,
            n_eff=n_eff,
            weighted=weighted,
            minimum=minimum,
        )
    return Distribution(
        n=n,
        dont_know=dont_know,
        suppressed=False,
        cells=cells,
        mean=mean,
        positive=positive,
        n_eff=round(n_eff, 1),
        weighted=weighted,
        weight_total=weight_sum if weighted else float(n),
        square_total=square_sum if weighted else float(n),
    )


def _overlast_item(value: Any) -> tuple[bool | None, bool | None]:
    """(occurs, much) for one row answer; None where the answer gives no valid value."""
    if not isinstance(value, dict):
        return None, None
    if value.get(OCCURS_KEY) == "nee":
        return False, False
    if value.get(OCCURS_KEY) == "ja":
        level = value.get(NUISANCE_KEY)
        return True, (level == "veel") if level is not None else None
    return None, None


def _share_of(flags: Weighted, minimum: int, *, weighted: bool) -> Stat:
    """% True among counted, weighted booleans (None = no valid value, left out)."""
    valid = [(flag, c, w) for flag, c, w in flags if flag is not None]
    yes = [(flag, c, w) for flag, c, w in valid if flag]
    weight_sum, square_sum = _weight_totals(valid)
    return _percent_stat(
        yes=sum(c for _f, c, _w in yes),
        n=sum(c for _f, c, _w in valid),
        yes_weight=_weight_totals(yes)[0],
        weight_sum=weight_sum,
        n_eff=effective_n(weight_sum, square_sum),
        weighted=weighted,
        minimum=minimum,
    )


def _state_share(states: Weighted, minimum: int, *, weighted: bool) -> Stat:
    """% of respondents in state _TRUE among those with a state (None = no valid item)."""
    return _share_of(
        [(None if s is None else s == _TRUE, c, w) for s, c, w in states],
        minimum,
        weighted=weighted,
    )


def _overlast(
    question: Question, counts: _Counts, result: QuestionResult, minimum: int, weighted: bool
) -> None:
    levels = ["niet", *(p.value for p in NUISANCE)]
    for row in question.rows:
        key = row["key"]
        values = counts.values.get((question.pk, key), [])
        items = [(_overlast_item(v), c, w) for v, c, w in values]
        level_values: Weighted = []
        for value, c, w in values:
            if value == DONT_KNOW:
                level_values.append((DONT_KNOW, c, w))
            elif isinstance(value, dict) and value.get(OCCURS_KEY) == "nee":
                level_values.append(("niet", c, w))
            elif isinstance(value, dict) and value.get(NUISANCE_KEY):
                level_values.append((value[NUISANCE_KEY], c, w))
        result.overlast_rows[key] = OverlastRow(
            occurs=_share_of([(o, c, w) for (o, _m), c, w in items], minimum, weighted=weighted),
            much=_share_of([(m, c, w) for (_o, m), c, w in items], minimum, weighted=weighted),
            levels=_distribution(level_values, levels, minimum=minimum, weighted=weighted),
        )
    patterns = counts.patterns.get(question.pk, [])
    for index, cluster in enumerate(_overlast_clusters(question)):
        result.clusters[cluster] = ClusterResult(
            occurs=_state_share(
                [(p[2 * index], c, w) for p, c, w in patterns], minimum, weighted=weighted
            ),
            much=_state_share(
                [(p[2 * index + 1], c, w) for p, c, w in patterns], minimum, weighted=weighted
            ),
        )


def _scale_score(question: Question, counts: _Counts, minimum: int, weighted: bool) -> Stat:
    """Per respondent: items scored 0..max (reverse-coded rows flipped), at least
    min(3, rows) valid items; sᵢ = 10·mean/max. The figure is the (weighted) mean of sᵢ
    (domain.md §9 I10/I11)."""
    top = SCALE_MAX_SCORE[question.scale]
    needed = min(MIN_SCALE_ITEMS, len(question.rows))
    per_respondent: Weighted = []
    for (total, items), c, w in counts.patterns.get(question.pk, []):
        if items and items >= needed:
            per_respondent.append((10.0 * (total / items) / top, c, w))
    return _mean_stat(per_respondent, weighted=weighted, minimum=minimum)


def _open_answers(
    question: Question, counts: _Counts, response_filter: Any
) -> tuple[list[str] | None, bool]:
    if counts.open_k.get(question.pk, 0) < min_open_k():
        return None, True
    texts = list(
        OpenAnswerModeration.objects.filter(
            answer__question=question,
            answer__response__in=response_filter,
            status=OpenAnswerModeration.Status.APPROVED,
        ).values_list("public_text", flat=True)
    )
    return sorted(texts), False


def _question_result(
    question: Question,
    counts: _Counts,
    *,
    minimum: int,
    weighted: bool,
    response_filter: Any = None,
) -> QuestionResult:
    result = QuestionResult(
        code=question.code,
        type=question.type,
        text=question.text,
        text_en=question.text_en,
        indicator_codes=list(question.indicator_codes),
    )
    kind = question.type
    values = counts.values.get((question.pk, ""), [])
    common = {"minimum": minimum, "weighted": weighted}
    if kind in ("single_choice", "agree_5", "satisfied_5", "frequency"):
        result.distribution = _distribution(values, allowed_values(question), scale=kind, **common)
    elif kind == "multiple_choice":
        result.distribution = _distribution(values, allowed_values(question), multi=True, **common)
    elif kind == "mark_1_10":
        result.distribution = _distribution(values, list(range(1, 11)), numeric=True, **common)
    elif kind == "number":
        full = _distribution(values, [], numeric=True, **common)
        # Individual numbers are not published, only the mean.
        result.distribution = replace(full, cells={})
    elif kind == "buurt_choice":
        result.distribution = _distribution(values, [], cell_minimum=minimum, **common)
    elif kind == "location":
        buurten = [(v.get("buurt") if isinstance(v, dict) else v, c, w) for v, c, w in values]
        result.distribution = _distribution(buurten, [], cell_minimum=minimum, **common)
    elif kind == "open_text":
        if response_filter is not None:
            result.open_answers, result.open_answers_suppressed = _open_answers(
                question, counts, response_filter
            )
        else:
            result.open_answers_suppressed = True
    elif kind == "grid":
        categories = allowed_values(question)
        for row in question.rows:
            result.rows[row["key"]] = _distribution(
                counts.values.get((question.pk, row["key"]), []),
                categories,
                scale=question.scale,
                **common,
            )
        if question.scale in SCALE_MAX_SCORE:
            result.scale_score = _scale_score(question, counts, minimum, weighted)
        if question.scale == "yes_no":
            result.any_yes = _state_share(
                [(p[0], c, w) for p, c, w in counts.patterns.get(question.pk, [])],
                minimum,
                weighted=weighted,
            )
    elif kind == "overlast_grid":
        _overlast(question, counts, result, minimum, weighted)
    return result


def _complementary(groups: list[tuple[str, int]], minimum: int) -> set[str]:
    suppressed = {code for code, n in groups if n < minimum}
    if len(suppressed) == 1 and len(groups) > 1:
        published = sorted((n, code) for code, n in groups if code not in suppressed)
        suppressed.add(published[0][1])
    return suppressed


def _n_eff(counts: _Counts, weighted: bool) -> float:
    return round(effective_n(counts.weight_sum, counts.square_sum) if weighted else counts.n, 1)


def survey_results(
    *,
    version: SurveyVersion,
    channel: str | None = None,
    breakdown: str | None = None,
) -> SurveyResults:
    """Results of one questionnaire version: per question, and with `breakdown` "buurt" or
    "wijk" also per area (groups under the threshold are suppressed as a whole).
    `channel` ("open_link" / "panel") restricts to one channel.

    Figures are weighted to the population (`surveys.weighting`, raked at gemeente level on
    the responses analysed) when figures allow and the responses come from one channel;
    otherwise unweighted, with the reason in `weighting`."""
    if breakdown not in (None, "buurt", "wijk"):
        raise ValueError(f"Unknown breakdown {breakdown!r}")
    if channel not in (None, *Response.Channel.values):
        raise ValueError(f"Unknown channel {channel!r}")
    minimum = min_cell_n()
    grouped = breakdown is not None
    questionnaire = questionnaire_get(version=version)
    questions = questionnaire_questions(questionnaire=questionnaire)
    response_filter = _submitted(version, channel)
    strata = strata_count(responses=response_filter)
    per_stratum: dict[Any, int] = defaultdict(int)
    for (_channel, _buurt, stratum), n in strata.items():
        per_stratum[stratum] += n
    weighting = weighting_compute(
        version=version,
        counts=per_stratum,
        channels=len({channel_ for channel_, _b, _s in strata}),
    )
    sizes: dict[AreaKey, tuple[int, float, float]] = {}
    for (_channel, buurt, stratum), n in sorted(strata.items()):
        key = (buurt, stratum[0]) if grouped else NOT_GROUPED
        w = weighting.weight(stratum)
        old = sizes.get(key, (0, 0.0, 0.0))
        sizes[key] = (old[0] + n, old[1] + n * w, old[2] + n * w * w)
    by_area = _aggregate(
        version, channel, questions, grouped=grouped, sizes=sizes, weighting=weighting
    )
    total = _Counts()
    for _key, counts in sorted(by_area.items()):
        total.add(counts)
    weighted = weighting.weighted
    total_suppressed = total.n < minimum
    results = SurveyResults(
        version_number=version.number,
        indicative=version.survey.results_indicative
        if channel is None
        else channel == Response.Channel.OPEN_LINK,
        n=None if total_suppressed else total.n,
        suppressed=total_suppressed,
        min_cell_n=minimum,
        min_open_k=min_open_k(),
        questions={
            q.code: _question_result(
                q, total, minimum=minimum, weighted=weighted, response_filter=response_filter
            )
            for q in questions
        },
        breakdown_level=breakdown,
        weighting=weighting,
        n_eff=None if total_suppressed else _n_eff(total, weighted),
    )
    if breakdown:
        groups: dict[str, _Counts] = defaultdict(_Counts)
        for (buurt, wijk), counts in sorted(by_area.items()):
            groups[(buurt if breakdown == "buurt" else wijk) or UNKNOWN_AREA].add(counts)
        ordered = sorted(groups.items())
        hidden = _complementary([(code, counts.n) for code, counts in ordered], minimum)
        for code, counts in ordered:
            if code in hidden:
                results.groups.append(GroupResults(code=code, n=None, suppressed=True))
                continue
            results.groups.append(
                GroupResults(
                    code=code,
                    n=counts.n,
                    suppressed=False,
                    questions={
                        q.code: _question_result(q, counts, minimum=minimum, weighted=weighted)
                        for q in questions
                    },
                    n_eff=_n_eff(counts, weighted),
                )
            )
    return results


# --- Indicators (domain.md §9) --------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator: `value` is weighted when `weighted` (else unweighted), with its 95 %
    interval, the unweighted base `n` (suppression is decided on it), the Kish effective n
    and the unweighted value."""

    code: str
    question: str
    key: str  # "" or the cluster / option / row it is about
    value: float | None
    n: int | None
    suppressed: bool
    unit: str  # "percent", "mark", "score_0_10"
    ci_low: float | None = None
    ci_high: float | None = None
    n_eff: float | None = None
    weighted: bool = False
    unweighted_value: float | None = None


CLUSTER_INDICATORS = {
    "I5": "fysieke_verloedering",
    "I6": "sociale_overlast",
    "I7": "verkeersoverlast",
    "I8": TOTAL_CLUSTER,
}


def _share(distribution: Distribution | None, values: Iterable[str]) -> Stat:
    """% of the valid base with one of `values`, from a distribution's cells."""
    if distribution is None or distribution.suppressed or not distribution.n:
        return Stat(None, None, True)
    cells = [distribution.cells[v] for v in values if v in distribution.cells]
    return _percent_stat(
        yes=sum(cell.count or 0 for cell in cells),
        n=distribution.n,
        yes_weight=math.fsum(cell.weight for cell in cells),
        weight_sum=distribution.weight_total,
        n_eff=effective_n(distribution.weight_total, distribution.square_total),
        weighted=distribution.weighted,
        minimum=1,  # the distribution itself is already above the threshold
    )


def _value(stat: Stat | None) -> float:
    return stat.value if stat is not None and stat.value is not None else 0.0


def indicators_compute(*, questions: dict[str, QuestionResult]) -> list[IndicatorValue]:
    """The §9 indicators I1–I17 from question results, by the indicator codes the
    questions are tagged with (the formula follows from the code and the question type).
    Works on `SurveyResults.questions` and on each `GroupResults.questions`."""
    out: list[IndicatorValue] = []

    def add(code: str, q: QuestionResult, stat: Stat | None, unit: str, key: str = "") -> None:
        stat = stat or Stat(None, None, True)
        out.append(
            IndicatorValue(
                code=code,
                question=q.code,
                key=key,
                value=stat.value,
                n=stat.n,
                suppressed=stat.suppressed,
                unit=unit,
                ci_low=stat.ci_low,
                ci_high=stat.ci_high,
                n_eff=stat.n_eff,
                weighted=stat.weighted,
                unweighted_value=stat.unweighted_value,
            )
        )

    for q in questions.values():
        for code in q.indicator_codes:
            d = q.distribution
            if code == "I1":
                add(code, q, _share(d, ("vaak", "soms")), "percent")
            elif code in ("I2", "I16"):
                add(code, q, _share(d, ("vaak",)), "percent")
                if code == "I16":
                    add(code, q, _share(d, ("vaak", "soms")), "percent", key="vaak_of_soms")
            elif code in ("I3", "I4"):
                add(code, q, d.mean if d else None, "mark")
            elif code in CLUSTER_INDICATORS:
                cluster = q.clusters.get(CLUSTER_INDICATORS[code])
                add(code, q, cluster.much if cluster else None, "percent", CLUSTER_INDICATORS[code])
            elif code == "I9":
                for name, cluster in q.clusters.items():
                    add(code, q, cluster.occurs, "percent", key=name)
            elif code in ("I10", "I11"):
                add(code, q, q.scale_score, "score_0_10")
            elif code == "I12":
                add(code, q, q.any_yes, "percent")
                for key, row in q.rows.items():
                    add(code, q, _share(row, ("ja",)), "percent", key=key)
            elif code == "I13":
                add(code, q, _share(d, ("ja",)), "percent")
            elif code in ("I14", "I15"):
                add(code, q, d.positive if d else None, "percent")
            elif code == "I17" and d is not None:
                stats = {
                    key: _share(d, (key,)) if not cell.suppressed else None
                    for key, cell in d.cells.items()
                }
                # Ranked by the published (weighted) share; ties keep the option order.
                for key, stat in sorted(stats.items(), key=lambda item: -(_value(item[1]))):
                    add(code, q, stat, "percent", key=key)
    return out
