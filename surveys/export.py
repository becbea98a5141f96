"""CSV export of anonymous responses (policy staff: `surveys.export_responses`).

One row per submitted response of one questionnaire version, ordered by the random
response reference (so row order reveals nothing about when someone answered). Columns:
ref, channel, indicative, buurt, wijk, age_band, sex, then per question

* one column `<code>` (multiple choice: selected values joined with "|"),
* grids: `<code>.<row>`; overlast grid: `<code>.<row>.komt_voor` and `<code>.<row>.overlast`,
* location: `<code>.buurt`, `<code>.lat`, `<code>.lon` (rounded to 3 decimals, ≈100 m; the
  free-text description is not exported),
* open answers: the moderated public text of approved answers only, and only when the
  question reaches SURVEYS_MIN_OPEN_K respondents.

Streamed: `responses_csv_rows` pages through the submitted responses in chunks, so memory
stays flat however many responses there are (docs/benchmarks.md, surveys).

Never exported: timestamps, device or token hashes, and anything about users, panel
memberships or invitations (the Response holds none of it). Cells that a spreadsheet would
read as a formula are prefixed with an apostrophe (CSV injection).
"""

import csv
import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from django.db.models import Count, JSONNull, TextField
from django.db.models.functions import Cast

from geo.codes import parent_code_of
from surveys.models import Answer, OpenAnswerModeration, Question, Response, SurveyVersion
from surveys.results import min_open_k
from surveys.scales import DONT_KNOW, NUISANCE_KEY, OCCURS_KEY
from surveys.selectors import questionnaire_get, questionnaire_questions

FIXED_COLUMNS = ["ref", "channel", "indicative", "buurt", "wijk", "age_band", "sex"]
RESPONSE_FIELDS = (
    "pk", "ref", "channel", "is_indicative", "buurt_id", "buurt__code", "buurt__parent_code",
    "age_band", "sex",
)  # fmt: skip
CHUNK_SIZE = 2000
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


def responses_csv_rows(
    *, version: SurveyVersion, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """The export as rows of strings (header first).

    A generator with flat memory: submitted responses are read `chunk_size` at a time in
    `ref` order (keyset paging on the unique ref), each chunk's answers and moderated open
    texts in one query each. Before the first chunk one grouped query decides which open
    questions reach SURVEYS_MIN_OPEN_K respondents."""
    questions = questionnaire_questions(questionnaire=questionnaire_get(version=version))
    yield [*FIXED_COLUMNS, *(c for q in questions for c in _columns(q))]
    submitted = Response.objects.submitted().filter(survey_version=version)
    open_ids = [q.pk for q in questions if q.type == Question.Type.OPEN_TEXT]
    exported_open_ids = _open_questions_reaching_k(submitted, open_ids)
    after: str | None = None
    while True:
        page = submitted.order_by("ref")
        if after is not None:
            page = page.filter(ref__gt=after)
        chunk = list(page.values_list(*RESPONSE_FIELDS)[:chunk_size])
        if not chunk:
            return
        yield from _chunk_rows(chunk, questions, exported_open_ids)
        if len(chunk) < chunk_size:
            return
        after = chunk[-1][1]


def _chunk_rows(
    chunk: list[tuple[Any, ...]], questions: list[Question], exported_open_ids: list[int]
) -> Iterator[list[str]]:
    response_ids = [values[0] for values in chunk]
    answers: dict[Any, dict[int, dict[str, Any]]] = {}
    answer_ids: dict[tuple[Any, int], int] = {}
    # Values come as stored JSON text, each distinct text of the chunk decoded once (most
    # answers are one of a few scale values); `_cells` only reads the decoded values.
    decoded: dict[str, Any] = {}
    for answer_id, response_id, question_id, row_key, raw in (
        Answer.objects.filter(response_id__in=response_ids)
        .annotate(raw=Cast("value", TextField()))
        .order_by("response_id", "question_id", "row_key")
        .values_list("pk", "response_id", "question_id", "row_key", "raw")
    ):
        if raw not in decoded:
            decoded[raw] = json.loads(raw)
        answers.setdefault(response_id, {}).setdefault(question_id, {})[row_key] = decoded[raw]
        answer_ids[(response_id, question_id)] = answer_id
    public_texts: dict[int, str] = {}
    if exported_open_ids:
        public_texts = dict(
            OpenAnswerModeration.objects.filter(
                answer__question_id__in=exported_open_ids,
                answer__response_id__in=response_ids,
                status=OpenAnswerModeration.Status.APPROVED,
            )
            .order_by()
            .values_list("answer_id", "public_text")
        )
    for pk, ref, channel, is_indicative, buurt_id, code, parent_code, age_band, sex in chunk:
        buurt = code if buurt_id is not None else ""
        wijk = (parent_code or parent_code_of(buurt) or "") if buurt_id is not None else ""
        row = [ref, channel, "1" if is_indicative else "0", buurt, wijk, age_band, sex]
        by_question = answers.get(pk, {})
        for question in questions:
            answer_id = answer_ids.get((pk, question.pk))
            public_text = public_texts.get(answer_id, "") if answer_id is not None else ""
            row += _cells(question, by_question.get(question.pk, {}), public_text)
        yield [csv_safe(cell) for cell in row]


def _open_questions_reaching_k(submitted: Any, question_ids: list[int]) -> list[int]:
    """The open questions answered by at least SURVEYS_MIN_OPEN_K respondents (open answers
    are non-empty strings; one answer per respondent and question)."""
    if not question_ids:
        return []
    given = (
        Answer.objects.filter(response__in=submitted, question_id__in=question_ids, row_key="")
        .exclude(value=JSONNull())
        .exclude(value="")
        .values("question_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return sorted(row["question_id"] for row in given if row["n"] >= min_open_k())


def responses_csv_write(*, version: SurveyVersion, out: TextIO) -> int:
    """Write the export to a text stream; returns the number of response rows."""
    writer = csv.writer(out)
    count = -1
    for row in responses_csv_rows(version=version):
        writer.writerow(row)
        count += 1
    return count


class _Echo:
    """A file-like object whose `write` returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def responses_csv_lines(*, version: SurveyVersion) -> Iterator[str]:
    """The export as CSV text lines (same format as `responses_csv_write`), for streaming."""
    writer = csv.writer(_Echo())
    for row in responses_csv_rows(version=version):
        yield writer.writerow(row)
