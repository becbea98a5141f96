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

Percentages are unweighted (every wᵢ = 1 in the §9 formulas); post-stratification weights
are a follow-up. Results are computed per questionnaire version (responses answer one
fixed version).
"""

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    """One published figure (a percentage 0–100 or a mean) with its base n."""

    value: float | None
    n: int | None
    suppressed: bool

    @classmethod
    def of(cls, value: float | None, n: int, *, minimum: int) -> "Stat":
        if n < minimum or n == 0 or value is None:
            return cls(value=None, n=None, suppressed=True)
        return cls(value=value, n=n, suppressed=False)


@dataclass(frozen=True)
class Cell:
    count: int | None
    percentage: float | None
    suppressed: bool


@dataclass(frozen=True)
class Distribution:
    """Counts and percentages per answer value over the valid base `n`."""

    n: int | None
    dont_know: int | None
    suppressed: bool
    cells: dict[str, Cell]
    mean: Stat | None = None
    positive: Stat | None = None  # % top-2 for agree_5 / satisfied_5


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
# the union of the groups. Multisets are lists of (value, count) pairs ("Weighted").

Weighted = list[tuple[Any, int]]
AreaKey = tuple[str, str]  # (buurt code, wijk code) of a response; "" when unknown
NOT_GROUPED: AreaKey = ("", "")

# Item states of an overlast row (MAX over a cluster's rows gives the respondent's state).
_FALSE, _TRUE = 1, 2


@dataclass
class _Counts:
    """Aggregated answers of one set of respondents."""

    n: int = 0
    values: dict[tuple[int, str], Weighted] = field(default_factory=lambda: defaultdict(list))
    patterns: dict[int, Weighted] = field(default_factory=lambda: defaultdict(list))
    open_k: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: "_Counts") -> None:
        self.n += other.n
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


def _area_columns(grouped: bool) -> dict[str, Any]:
    if not grouped:
        return {}
    return {
        "area_buurt": F("response__buurt__code"),
        "area_wijk": F("response__buurt__parent_code"),
    }


def _area_key(grouped: bool, buurt: str | None, parent: str | None) -> AreaKey:
    if not grouped:
        return NOT_GROUPED
    code = buurt or ""
    return code, parent or (parent_code_of(code) or "" if code else "")


def _aggregate(
    version: SurveyVersion, channel: str | None, questions: Sequence[Question], *, grouped: bool
) -> dict[AreaKey, _Counts]:
    """The aggregated answers per area of the respondent (one entry `NOT_GROUPED` unless
    `grouped`)."""
    responses = _submitted(version, channel)
    counts: dict[AreaKey, _Counts] = defaultdict(_Counts)
    if grouped:
        sizes = responses.values("buurt__code", "buurt__parent_code").annotate(n=Count("pk"))
        for row in sizes.order_by():
            key = _area_key(True, row["buurt__code"], row["buurt__parent_code"])
            counts[key].n += row["n"]
    else:
        counts[NOT_GROUPED].n = responses.count()
    if not counts or not questions:
        return counts
    by_id = {q.pk: q for q in questions}
    answers = Answer.objects.filter(response__in=responses, question_id__in=list(by_id))
    areas = _area_columns(grouped)
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
        key = _area_key(grouped, row.get("area_buurt"), row.get("area_wijk"))
        texts = stored[row["question_id"]]
        if row["raw"] not in texts:
            texts[row["raw"]] = json.loads(row["raw"])
        value = texts[row["raw"]]
        counts[key].values[(row["question_id"], row["row_key"])].append((value, row["n"]))

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
            key = _area_key(grouped, row.get("area_buurt"), row.get("area_wijk"))
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
                key = _area_key(grouped, *(row[: len(area_names)] or (None, None)))
                pattern = tuple(row[len(area_names) : -1])
                counts[key].patterns[question_id].append((pattern, row[-1]))
    return counts


# --- Computation ----------------------------------------------------------------------------


def _pct(count: int, n: int) -> float:
    return round(100.0 * count / n, 1) if n else 0.0


def _mean(numbers: Weighted) -> float | None:
    """Mean of weighted numbers: exact for integers (as a plain sum is), and the correctly
    rounded exact mean when floats are involved."""
    count = sum(c for _v, c in numbers)
    if not count:
        return None
    if all(isinstance(v, int) for v, _c in numbers):
        return sum(v * c for v, c in numbers) / count
    return float(sum((Fraction(v) * c for v, c in numbers), Fraction(0)) / count)


def _distribution(
    values: Weighted,
    categories: Sequence[Any],
    *,
    minimum: int,
    multi: bool = False,
    scale: str = "",
    numeric: bool = False,
    cell_minimum: int = 0,
) -> Distribution:
    dont_know = sum(c for v, c in values if v == DONT_KNOW)
    valid = [(v, c) for v, c in values if v is not None and v != DONT_KNOW]
    n = sum(c for _v, c in valid)
    counter: Counter = Counter()
    for v, c in valid:
        for item in v if multi else (v,):
            counter[item] += c
    keys = list(categories) or sorted(counter, key=str)
    if n < minimum:
        cells = {str(k): Cell(None, None, True) for k in keys}
        return Distribution(
            n=None,
            dont_know=None,
            suppressed=True,
            cells=cells,
            mean=Stat(None, None, True) if numeric else None,
            positive=Stat(None, None, True) if scale in POSITIVE else None,
        )
    cells = {}
    for k in keys:
        count = counter.get(k, 0)
        if cell_minimum and count < cell_minimum:
            cells[str(k)] = Cell(None, None, True)
        else:
            cells[str(k)] = Cell(count, _pct(count, n), False)
    mean = None
    if numeric:
        numbers = [(v, c) for v, c in valid if isinstance(v, int | float)]
        average = _mean(numbers)
        mean = Stat.of(
            round(average, 2) if average is not None else None,
            sum(c for _v, c in numbers),
            minimum=minimum,
        )
    positive = None
    if scale in POSITIVE:
        positive = Stat.of(
            _pct(sum(c for v, c in valid if v in POSITIVE[scale]), n), n, minimum=minimum
        )
    return Distribution(
        n=n, dont_know=dont_know, suppressed=False, cells=cells, mean=mean, positive=positive
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


def _share_of(flags: Weighted, minimum: int) -> Stat:
    """% True among weighted booleans (None = no valid value, left out)."""
    n = sum(c for flag, c in flags if flag is not None)
    yes = sum(c for flag, c in flags if flag)
    return Stat.of(_pct(yes, n), n, minimum=minimum)


def _state_share(states: Weighted, minimum: int) -> Stat:
    """% of respondents in state _TRUE among those with a state (None = no valid item)."""
    return _share_of([(None if s is None else s == _TRUE, c) for s, c in states], minimum)


def _overlast(question: Question, counts: _Counts, result: QuestionResult, minimum: int) -> None:
    levels = ["niet", *(p.value for p in NUISANCE)]
    for row in question.rows:
        key = row["key"]
        values = counts.values.get((question.pk, key), [])
        items = [(_overlast_item(v), c) for v, c in values]
        level_values: Weighted = []
        for value, c in values:
            if value == DONT_KNOW:
                level_values.append((DONT_KNOW, c))
            elif isinstance(value, dict) and value.get(OCCURS_KEY) == "nee":
                level_values.append(("niet", c))
            elif isinstance(value, dict) and value.get(NUISANCE_KEY):
                level_values.append((value[NUISANCE_KEY], c))
        result.overlast_rows[key] = OverlastRow(
            occurs=_share_of([(o, c) for (o, _m), c in items], minimum),
            much=_share_of([(m, c) for (_o, m), c in items], minimum),
            levels=_distribution(level_values, levels, minimum=minimum),
        )
    patterns = counts.patterns.get(question.pk, [])
    for index, cluster in enumerate(_overlast_clusters(question)):
        result.clusters[cluster] = ClusterResult(
            occurs=_state_share([(p[2 * index], c) for p, c in patterns], minimum),
            much=_state_share([(p[2 * index + 1], c) for p, c in patterns], minimum),
        )


def _scale_score(question: Question, counts: _Counts, minimum: int) -> Stat:
    """Per respondent: items scored 0..max (reverse-coded rows flipped), at least
    min(3, rows) valid items; sᵢ = 10·mean/max. The figure is the mean of sᵢ (domain.md
    §9 I10/I11)."""
    top = SCALE_MAX_SCORE[question.scale]
    needed = min(MIN_SCALE_ITEMS, len(question.rows))
    per_respondent: Weighted = []
    for (total, items), c in counts.patterns.get(question.pk, []):
        if items and items >= needed:
            per_respondent.append((10.0 * (total / items) / top, c))
    n = sum(c for _s, c in per_respondent)
    mean = round(_mean(per_respondent), 2) if n else None  # type: ignore[arg-type]
    return Stat.of(mean, n, minimum=minimum)


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
    if kind in ("single_choice", "agree_5", "satisfied_5", "frequency"):
        result.distribution = _distribution(
            values, allowed_values(question), minimum=minimum, scale=kind
        )
    elif kind == "multiple_choice":
        result.distribution = _distribution(
            values, allowed_values(question), minimum=minimum, multi=True
        )
    elif kind == "mark_1_10":
        result.distribution = _distribution(
            values, list(range(1, 11)), minimum=minimum, numeric=True
        )
    elif kind == "number":
        result.distribution = _distribution(values, [], minimum=minimum, numeric=True)
        result.distribution = Distribution(
            n=result.distribution.n,
            dont_know=result.distribution.dont_know,
            suppressed=result.distribution.suppressed,
            cells={},  # individual numbers are not published, only the mean
            mean=result.distribution.mean,
        )
    elif kind == "buurt_choice":
        result.distribution = _distribution(values, [], minimum=minimum, cell_minimum=minimum)
    elif kind == "location":
        buurten = [(v.get("buurt") if isinstance(v, dict) else v, c) for v, c in values]
        result.distribution = _distribution(buurten, [], minimum=minimum, cell_minimum=minimum)
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
                minimum=minimum,
                scale=question.scale,
            )
        if question.scale in SCALE_MAX_SCORE:
            result.scale_score = _scale_score(question, counts, minimum)
        if question.scale == "yes_no":
            result.any_yes = _state_share(
                [(p[0], c) for p, c in counts.patterns.get(question.pk, [])], minimum
            )
    elif kind == "overlast_grid":
        _overlast(question, counts, result, minimum)
    return result


def _complementary(groups: list[tuple[str, int]], minimum: int) -> set[str]:
    suppressed = {code for code, n in groups if n < minimum}
    if len(suppressed) == 1 and len(groups) > 1:
        published = sorted((n, code) for code, n in groups if code not in suppressed)
        suppressed.add(published[0][1])
    return suppressed


def survey_results(
    *,
    version: SurveyVersion,
    channel: str | None = None,
    breakdown: str | None = None,
) -> SurveyResults:
    """Results of one questionnaire version: per question, and with `breakdown` "buurt" or
    "wijk" also per area (groups under the threshold are suppressed as a whole).
    `channel` ("open_link" / "panel") restricts to one channel."""
    if breakdown not in (None, "buurt", "wijk"):
        raise ValueError(f"Unknown breakdown {breakdown!r}")
    minimum = min_cell_n()
    questionnaire = questionnaire_get(version=version)
    questions = questionnaire_questions(questionnaire=questionnaire)
    by_area = _aggregate(version, channel, questions, grouped=breakdown is not None)
    total = _Counts()
    for counts in by_area.values():
        total.add(counts)
    response_filter = _submitted(version, channel)
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
            q.code: _question_result(q, total, minimum=minimum, response_filter=response_filter)
            for q in questions
        },
        breakdown_level=breakdown,
    )
    if breakdown:
        groups: dict[str, _Counts] = defaultdict(_Counts)
        for (buurt, wijk), counts in by_area.items():
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
                        q.code: _question_result(q, counts, minimum=minimum) for q in questions
                    },
                )
            )
    return results


# --- Indicators (domain.md §9) --------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    question: str
    key: str  # "" or the cluster / option / row it is about
    value: float | None
    n: int | None
    suppressed: bool
    unit: str  # "percent", "mark", "score_0_10"


CLUSTER_INDICATORS = {
    "I5": "fysieke_verloedering",
    "I6": "sociale_overlast",
    "I7": "verkeersoverlast",
    "I8": TOTAL_CLUSTER,
}


def _share(distribution: Distribution | None, values: Iterable[str]) -> Stat:
    if distribution is None or distribution.suppressed or not distribution.n:
        return Stat(None, None, True)
    count = sum(distribution.cells[v].count or 0 for v in values if v in distribution.cells)
    return Stat(_pct(count, distribution.n), distribution.n, False)


def indicators_compute(*, questions: dict[str, QuestionResult]) -> list[IndicatorValue]:
    """The §9 indicators I1–I17 from question results, by the indicator codes the
    questions are tagged with (the formula follows from the code and the question type).
    Works on `SurveyResults.questions` and on each `GroupResults.questions`."""
    out: list[IndicatorValue] = []

    def add(code: str, q: QuestionResult, stat: Stat | None, unit: str, key: str = "") -> None:
        stat = stat or Stat(None, None, True)
        out.append(IndicatorValue(code, q.code, key, stat.value, stat.n, stat.suppressed, unit))

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
                ranked = sorted(d.cells.items(), key=lambda item: -(item[1].percentage or 0))
                for key, cell in ranked:
                    stat = Stat(cell.percentage, d.n, False) if not cell.suppressed else None
                    add(code, q, stat, "percent", key=key)
    return out
