"""The per-respondent implementation of `surveys.results.survey_results` before results were
aggregated in the database (kept verbatim as the reference for tests/surveys/
test_results_aggregated.py): every answer loaded into Python, figures computed per respondent."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from geo.codes import parent_code_of
from surveys.models import Answer, OpenAnswerModeration, Question, Response, SurveyVersion
from surveys.results import (
    MIN_SCALE_ITEMS,
    TOTAL_CLUSTER,
    UNKNOWN_AREA,
    Cell,
    ClusterResult,
    Distribution,
    GroupResults,
    OverlastRow,
    QuestionResult,
    Stat,
    SurveyResults,
    min_cell_n,
    min_open_k,
)
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

RowAnswers = dict[str, Any]


# --- Loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Respondent:
    buurt: str
    wijk: str
    answers: dict[int, RowAnswers]  # question id -> rows


def _exact_mean(values: list) -> float:
    """The correctly rounded mean, independent of the order of the values. A plain float sum
    depends on the order (responses have random uuids, so their order varies between runs),
    and at a rounding boundary (x.xx5) that flips the published figure; survey_results sums
    exactly, and so must the reference it is compared with."""
    return float(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def _load(version: SurveyVersion, channel: str | None) -> list[_Respondent]:
    responses = Response.objects.submitted().filter(survey_version=version)
    if channel:
        responses = responses.filter(channel=channel)
    meta = {
        pk: (code or "", parent or "")
        for pk, code, parent in responses.values_list("pk", "buurt__code", "buurt__parent_code")
    }
    answers: dict[Any, dict[int, RowAnswers]] = defaultdict(dict)
    rows = Answer.objects.filter(response__in=responses).values_list(
        "response_id", "question_id", "row_key", "value"
    )
    for response_id, question_id, row_key, value in rows:
        answers[response_id].setdefault(question_id, {})[row_key] = value
    return [
        _Respondent(
            buurt=code,
            wijk=parent or (parent_code_of(code) or "" if code else ""),
            answers=answers.get(pk, {}),
        )
        for pk, (code, parent) in meta.items()
    ]


# --- Computation ----------------------------------------------------------------------------


def _pct(count: int, n: int) -> float:
    return round(100.0 * count / n, 1) if n else 0.0


def _distribution(
    values: Sequence[Any],
    categories: Sequence[str],
    *,
    minimum: int,
    multi: bool = False,
    scale: str = "",
    numeric: bool = False,
    cell_minimum: int = 0,
) -> Distribution:
    dont_know = sum(1 for v in values if v == DONT_KNOW)
    valid = [v for v in values if v is not None and v != DONT_KNOW]
    n = len(valid)
    counter: Counter = Counter()
    for v in valid:
        counter.update(v if multi else [v])
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
        numbers = [v for v in valid if isinstance(v, int | float)]
        mean = Stat.of(
            round(_exact_mean(numbers), 2) if numbers else None,
            len(numbers),
            minimum=minimum,
        )
    positive = None
    if scale in POSITIVE:
        positive = Stat.of(
            _pct(sum(1 for v in valid if v in POSITIVE[scale]), n), n, minimum=minimum
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


def _overlast(
    question: Question, answered: list[RowAnswers], result: QuestionResult, minimum: int
) -> None:
    levels = ["niet", *(p.value for p in NUISANCE)]
    for row in question.rows:
        key = row["key"]
        items = [_overlast_item(a.get(key)) for a in answered]
        occurs = [o for o, _m in items if o is not None]
        much = [m for _o, m in items if m is not None]
        level_values = []
        for a in answered:
            value = a.get(key)
            if value == DONT_KNOW:
                level_values.append(DONT_KNOW)
            elif isinstance(value, dict) and value.get(OCCURS_KEY) == "nee":
                level_values.append("niet")
            elif isinstance(value, dict) and value.get(NUISANCE_KEY):
                level_values.append(value[NUISANCE_KEY])
        result.overlast_rows[key] = OverlastRow(
            occurs=Stat.of(_pct(sum(occurs), len(occurs)), len(occurs), minimum=minimum),
            much=Stat.of(_pct(sum(much), len(much)), len(much), minimum=minimum),
            levels=_distribution(level_values, levels, minimum=minimum),
        )
    clusters: dict[str, list[str]] = {c: [] for c in OVERLAST_CLUSTERS}
    for row in question.rows:
        clusters.setdefault(row["cluster"], []).append(row["key"])
    clusters[TOTAL_CLUSTER] = [row["key"] for row in question.rows]
    for cluster, keys in clusters.items():
        if not keys:
            continue
        occurs_flags, much_flags = [], []
        for a in answered:
            items = [_overlast_item(a.get(k)) for k in keys]
            occurs = [o for o, _m in items if o is not None]
            much = [m for _o, m in items if m is not None]
            if occurs:
                occurs_flags.append(any(occurs))
            if much:
                much_flags.append(any(much))
        result.clusters[cluster] = ClusterResult(
            occurs=Stat.of(
                _pct(sum(occurs_flags), len(occurs_flags)), len(occurs_flags), minimum=minimum
            ),
            much=Stat.of(_pct(sum(much_flags), len(much_flags)), len(much_flags), minimum=minimum),
        )


def _scale_score(question: Question, answered: list[RowAnswers], minimum: int) -> Stat:
    """Per respondent: items scored 0..max (reverse-coded rows flipped), at least
    min(3, rows) valid items; sᵢ = 10·mean/max. The figure is the mean of sᵢ (domain.md
    §9 I10/I11)."""
    top = SCALE_MAX_SCORE[question.scale]
    scores = {p.value: p.score for p in SCALES[question.scale]}
    needed = min(MIN_SCALE_ITEMS, len(question.rows))
    per_respondent = []
    for a in answered:
        items = []
        for row in question.rows:
            score = scores.get(a.get(row["key"]))
            if score is not None:
                items.append(top - score if row.get("reverse") else score)
        if len(items) >= needed:
            per_respondent.append(10.0 * (sum(items) / len(items)) / top)
    mean = round(_exact_mean(per_respondent), 2) if per_respondent else None
    return Stat.of(mean, len(per_respondent), minimum=minimum)


def _open_answers(
    question: Question, answered: list[RowAnswers], response_filter: Any
) -> tuple[list[str] | None, bool]:
    k = sum(1 for a in answered if a.get(""))
    if k < min_open_k():
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
    respondents: Sequence[_Respondent],
    *,
    minimum: int,
    response_filter: Any = None,
) -> QuestionResult:
    answered = [r.answers[question.pk] for r in respondents if question.pk in r.answers]
    result = QuestionResult(
        code=question.code,
        type=question.type,
        text=question.text,
        text_en=question.text_en,
        indicator_codes=list(question.indicator_codes),
    )
    kind = question.type
    values = [a.get("") for a in answered]
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
        buurten = [v.get("buurt") if isinstance(v, dict) else v for v in values]
        result.distribution = _distribution(buurten, [], minimum=minimum, cell_minimum=minimum)
    elif kind == "open_text":
        if response_filter is not None:
            result.open_answers, result.open_answers_suppressed = _open_answers(
                question, answered, response_filter
            )
        else:
            result.open_answers_suppressed = True
    elif kind == "grid":
        categories = allowed_values(question)
        for row in question.rows:
            result.rows[row["key"]] = _distribution(
                [a.get(row["key"]) for a in answered],
                categories,
                minimum=minimum,
                scale=question.scale,
            )
        if question.scale in SCALE_MAX_SCORE:
            result.scale_score = _scale_score(question, answered, minimum)
        if question.scale == "yes_no":
            flags = []
            for a in answered:
                valid = [a.get(row["key"]) for row in question.rows]
                valid = [v for v in valid if v in ("ja", "nee")]
                if valid:
                    flags.append("ja" in valid)
            result.any_yes = Stat.of(_pct(sum(flags), len(flags)), len(flags), minimum=minimum)
    elif kind == "overlast_grid":
        _overlast(question, answered, result, minimum)
    return result


def _complementary(groups: list[tuple[str, list[_Respondent]]], minimum: int) -> set[str]:
    suppressed = {code for code, members in groups if len(members) < minimum}
    if len(suppressed) == 1 and len(groups) > 1:
        published = sorted(
            ((len(members), code) for code, members in groups if code not in suppressed)
        )
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
    respondents = _load(version, channel)
    response_filter = Response.objects.submitted().filter(survey_version=version)
    if channel:
        response_filter = response_filter.filter(channel=channel)
    total_suppressed = len(respondents) < minimum
    results = SurveyResults(
        version_number=version.number,
        indicative=version.survey.results_indicative
        if channel is None
        else channel == Response.Channel.OPEN_LINK,
        n=None if total_suppressed else len(respondents),
        suppressed=total_suppressed,
        min_cell_n=minimum,
        min_open_k=min_open_k(),
        questions={
            q.code: _question_result(
                q, respondents, minimum=minimum, response_filter=response_filter
            )
            for q in questions
        },
        breakdown_level=breakdown,
    )
    if breakdown:
        by_area: dict[str, list[_Respondent]] = defaultdict(list)
        for respondent in respondents:
            code = respondent.buurt if breakdown == "buurt" else respondent.wijk
            by_area[code or UNKNOWN_AREA].append(respondent)
        groups = sorted(by_area.items())
        hidden = _complementary(groups, minimum)
        for code, members in groups:
            if code in hidden:
                results.groups.append(GroupResults(code=code, n=None, suppressed=True))
                continue
            results.groups.append(
                GroupResults(
                    code=code,
                    n=len(members),
                    suppressed=False,
                    questions={
                        q.code: _question_result(q, members, minimum=minimum) for q in questions
                    },
                )
            )
    return results
