"""The streamed CSV export equals the export before streaming (tests/surveys/
export_reference.py, which loaded every answer at once) on seeded random data, reads the
responses in chunks with a number of queries that depends on the chunks, not on the
responses, and is served by the staff page as a streaming response with the same bytes."""

import csv
import io
import math
import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.export import CHUNK_SIZE, responses_csv_lines, responses_csv_rows
from surveys.models import Answer, OpenAnswerModeration, Question, Response
from surveys.selectors import survey_version_published
from tests.frontend.test_staff_survey_pages import make_user, sign_in
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory
from tests.surveys import export_reference
from tests.surveys.helpers import build_survey, q
from tests.surveys.test_results_aggregated import AGREE_ROWS, OVERLAST_ROWS, random_value

pytestmark = pytest.mark.django_db

# The questionnaire (sections, questions, their themes) and the open-answer k query; then per
# page the responses, their answers and their moderated open texts (the last page may be empty).
FIXED_QUERIES = 4
QUERIES_PER_CHUNK = 3

OPEN_TEXTS = ["Meer licht", "=HYPERLINK(1)", "Bel 06-12345678", "@iedereen", "-3"]


def random_export_survey(seed: int, respondents: int):
    """A published version with every question type and `respondents` responses (about 10%
    not submitted), open answers in every moderation state, plus a second survey whose
    responses must not appear. Bulk inserted: thousands of responses in a few seconds."""
    rng = random.Random(seed)
    areas = [
        AreaFactory(code="BU05469000", col=0),
        AreaFactory(code="BU05469001", col=1),
        AreaFactory(code="BU05469100", col=2, parent_code=""),
    ]
    survey = build_survey(
        panel=BurgerpanelFactory(),
        questions=[
            q("F", type="frequency", allow_dont_know=True),
            q("M", type="multiple_choice"),
            q("N", type="number", min_value=0, max_value=100),
            q("L", type="location"),
            q("T", type="open_text"),
            q("U", type="open_text"),  # answered by too few respondents: never exported
            q("O", type="overlast_grid", rows=OVERLAST_ROWS, allow_dont_know=True),
            q("C", type="grid", scale="agree_5", rows=AGREE_ROWS, allow_dont_know=True),
        ],
    )
    other = build_survey(questions=[q("F", type="frequency")])
    version = survey_version_published(survey=survey)
    questions = {question.code: question for question in Question.objects.filter(version=version)}
    kinds = {"O": "overlast", "C": "agree"}
    codes = [a.code for a in areas]
    now = timezone.now()
    responses = [
        Response(
            survey=survey,
            survey_version=version,
            channel=rng.choice(["open_link", "panel"]),
            is_indicative=rng.random() < 0.5,
            submitted_at=None if rng.random() < 0.1 else now - timedelta(minutes=i),
            buurt=rng.choice([*areas, None]),
            age_band=rng.choice(["", "15-24", "45-64", "65+"]),
            sex=rng.choice(["", "vrouw", "man"]),
        )
        for i in range(respondents)
    ]
    other_version = survey_version_published(survey=other)
    responses += [
        Response(survey=other, survey_version=other_version, channel="open_link", submitted_at=now)
        for _ in range(20)
    ]
    Response.objects.bulk_create(responses)
    answers = []
    u_answers = 0
    for response in responses:
        if response.survey_id == other.pk:
            continue
        for code, question in questions.items():
            if rng.random() < 0.15:
                continue  # skipped (or hidden by a condition)
            if code == "U":
                if u_answers >= 2:
                    continue
                u_answers += 1
            if code in kinds:
                for row in question.rows:
                    if rng.random() < 0.85:
                        value = random_value(rng, kinds[code], codes)
                        answers.append(Answer(response=response, question=question,
                                              row_key=row["key"], value=value))  # fmt: skip
            elif question.type == "open_text":
                value = rng.choice(OPEN_TEXTS)
                answers.append(Answer(response=response, question=question, value=value))
            else:
                value = random_value(rng, question.type, codes)
                answers.append(Answer(response=response, question=question, value=value))
    Answer.objects.bulk_create(answers, batch_size=2000)
    statuses = ["pending", "approved", "approved", "rejected"]
    OpenAnswerModeration.objects.bulk_create(
        [
            OpenAnswerModeration(
                answer=answer,
                status=rng.choice(statuses),
                public_text=rng.choice(["Meer licht", "=1+1", "Bel [verwijderd]", ""]),
            )
            for answer in Answer.objects.filter(question__type="open_text")
        ],
        batch_size=2000,
    )
    return version


def reference_text(version) -> str:
    out = io.StringIO()
    export_reference.responses_csv_write(version=version, out=out)
    return out.getvalue()


def test_streamed_export_equals_the_reference_in_few_queries(
    settings, django_assert_max_num_queries
):
    settings.SURVEYS_MIN_OPEN_K = 3
    version = random_export_survey(seed=3, respondents=3000)
    submitted = Response.objects.submitted().filter(survey_version=version).count()
    reference = list(export_reference.responses_csv_rows(version=version))
    assert len(reference) == submitted + 1 > 2500

    for chunk_size in (CHUNK_SIZE, 1000, 999):
        pages = math.ceil(submitted / chunk_size) + 1  # at most one empty last page
        with django_assert_max_num_queries(FIXED_QUERIES + QUERIES_PER_CHUNK * pages):
            rows = list(responses_csv_rows(version=version, chunk_size=chunk_size))
        assert rows == reference, chunk_size

    header = reference[0]
    t_cells = {row[header.index("T")] for row in reference[1:]}
    assert {"Meer licht", "'=1+1"} <= t_cells  # approved public texts, formula-safe
    assert {row[header.index("U")] for row in reference[1:]} == {""}  # below k


def test_export_of_exactly_one_chunk_and_of_no_responses(settings):
    settings.SURVEYS_MIN_OPEN_K = 1
    version = random_export_survey(seed=7, respondents=40)
    submitted = Response.objects.submitted().filter(survey_version=version).count()
    reference = list(export_reference.responses_csv_rows(version=version))

    assert list(responses_csv_rows(version=version, chunk_size=submitted)) == reference
    assert list(responses_csv_rows(version=version, chunk_size=1)) == reference
    Response.objects.filter(survey_version=version).update(submitted_at=None)
    assert list(responses_csv_rows(version=version)) == [reference[0]]


def test_csv_lines_equal_the_reference_file(settings):
    settings.SURVEYS_MIN_OPEN_K = 2
    version = random_export_survey(seed=11, respondents=200)
    assert "".join(responses_csv_lines(version=version)) == reference_text(version)


def test_staff_page_streams_the_same_csv(client, settings):
    settings.SURVEYS_MIN_OPEN_K = 2
    version = random_export_survey(seed=5, respondents=2300)  # two chunks
    sign_in(client, make_user("policy_staff"))

    response = client.get(reverse("frontend:staff-survey-export", args=[version.survey.pk]))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"{version.survey.slug}-v{version.number}-antwoorden.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    content = b"".join(response.streaming_content).decode()
    assert content == reference_text(version)
    assert len(list(csv.reader(io.StringIO(content)))) > CHUNK_SIZE + 1
