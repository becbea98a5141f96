"""The CSV export before it was streamed (kept verbatim below the imports as the reference
for tests/surveys/test_export_streaming.py): every answer of the version loaded into Python
at once, open-answer k counted in Python."""

import csv
import re
from collections.abc import Iterator
from typing import Any, TextIO

from geo.codes import parent_code_of
from surveys.models import Answer, OpenAnswerModeration, Question, Response, SurveyVersion
from surveys.results import min_open_k
from surveys.scales import DONT_KNOW, NUISANCE_KEY, OCCURS_KEY
from surveys.selectors import questionnaire_get, questionnaire_questions

FIXED_COLUMNS = ["ref", "channel", "indicative", "buurt", "wijk", "age_band", "sex"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_safe(value: Any) -> str:
    """A cell value that spreadsheet software will not evaluate as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _columns(question: Question) -> list[str]:
    if question.type == Question.Type.GRID:
        return [f"{question.code}.{key}" for key in question.row_keys]
    if question.type == Question.Type.OVERLAST_GRID:
        return [
            f"{question.code}.{key}.{part}"
            for key in question.row_keys
            for part in (OCCURS_KEY, NUISANCE_KEY)
        ]
    if question.type == Question.Type.LOCATION:
        return [f"{question.code}.{part}" for part in ("buurt", "lat", "lon")]
    return [question.code]


def _cells(question: Question, rows: dict[str, Any], public_text: str) -> list[Any]:
    if question.type == Question.Type.GRID:
        return [rows.get(key) for key in question.row_keys]
    if question.type == Question.Type.OVERLAST_GRID:
        cells: list[Any] = []
        for key in question.row_keys:
            value = rows.get(key)
            if value == DONT_KNOW:
                cells += [DONT_KNOW, ""]
            elif isinstance(value, dict):
                cells += [value.get(OCCURS_KEY), value.get(NUISANCE_KEY)]
            else:
                cells += ["", ""]
        return cells
    value = rows.get("")
    if question.type == Question.Type.LOCATION:
        if isinstance(value, dict):
            lat, lon = value.get("lat"), value.get("lon")
            return [
                value.get("buurt"),
                round(lat, 3) if lat is not None else "",
                round(lon, 3) if lon is not None else "",
            ]
        return [value, "", ""]
    if question.type == Question.Type.MULTIPLE_CHOICE and isinstance(value, list):
        return ["|".join(value)]
    if question.type == Question.Type.OPEN_TEXT:
        return [public_text]
    return [value]


def responses_csv_rows(*, version: SurveyVersion) -> Iterator[list[str]]:
    """The export as rows of strings (header first)."""
    questions = questionnaire_questions(questionnaire=questionnaire_get(version=version))
    yield [*FIXED_COLUMNS, *(c for q in questions for c in _columns(q))]
    responses = (
        Response.objects.submitted()
        .filter(survey_version=version)
        .select_related("buurt")
        .order_by("ref")
    )
    answers: dict[Any, dict[int, dict[str, Any]]] = {}
    answer_ids: dict[tuple[Any, int], int] = {}
    for answer_id, response_id, question_id, row_key, value in Answer.objects.filter(
        response__in=responses
    ).values_list("pk", "response_id", "question_id", "row_key", "value"):
        answers.setdefault(response_id, {}).setdefault(question_id, {})[row_key] = value
        answer_ids[(response_id, question_id)] = answer_id
    open_ids = [q.pk for q in questions if q.type == Question.Type.OPEN_TEXT]
    k = _open_answer_counts(answers, open_ids)
    public_texts = dict(
        OpenAnswerModeration.objects.filter(
            answer__question_id__in=[qid for qid in open_ids if k.get(qid, 0) >= min_open_k()],
            answer__response__in=responses,
            status=OpenAnswerModeration.Status.APPROVED,
        ).values_list("answer_id", "public_text")
    )
    for response in responses:
        buurt = response.buurt.code if response.buurt else ""
        wijk = (response.buurt.parent_code or parent_code_of(buurt) or "") if response.buurt else ""
        row = [
            response.ref,
            response.channel,
            "1" if response.is_indicative else "0",
            buurt,
            wijk,
            response.age_band,
            response.sex,
        ]
        by_question = answers.get(response.pk, {})
        for question in questions:
            public_text = public_texts.get(answer_ids.get((response.pk, question.pk)), "")
            row += _cells(question, by_question.get(question.pk, {}), public_text)
        yield [csv_safe(cell) for cell in row]


def _open_answer_counts(
    answers: dict[Any, dict[int, dict[str, Any]]], question_ids: list[int]
) -> dict[int, int]:
    """Distinct respondents with an open answer, per question id."""
    counts: dict[int, int] = {}
    for by_question in answers.values():
        for qid in question_ids:
            if by_question.get(qid, {}).get(""):
                counts[qid] = counts.get(qid, 0) + 1
    return counts


def responses_csv_write(*, version: SurveyVersion, out: TextIO) -> int:
    """Write the export to a text stream; returns the number of response rows."""
    writer = csv.writer(out)
    count = -1
    for row in responses_csv_rows(version=version):
        writer.writerow(row)
        count += 1
    return count
