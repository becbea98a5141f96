"""Query budgets of responding through the API (start, save, submit), so the submit path
cannot slide back into per-request questionnaire loading or N+1 queries. The budgets count
every statement, savepoints included, with the published questionnaire already cached (the
first request of a process loads it once); they do not grow with the number of questions
or answers."""

from contextlib import nullcontext

import pytest
from rest_framework.test import APIClient

from surveys.models import Answer, OpenAnswerModeration, Response, Survey
from surveys.selectors import (
    questionnaire_get_cached,
    survey_version_draft,
    survey_version_published,
)
from surveys.services import invitation_create, question_add, survey_new_version, survey_publish
from tests.surveys.helpers import device, member, q

pytestmark = pytest.mark.django_db

ROWS = [{"key": f"r{i}", "label": f"R{i}", "label_en": f"R{i}"} for i in range(12)]
OVERLAST_ROWS = [{**row, "cluster": "overige"} for row in ROWS]
AGE = [{"value": "15-24", "label": "15-24"}, {"value": "25-44", "label": "25-44"}]
SEX = [{"value": "man", "label": "man"}, {"value": "vrouw", "label": "vrouw"}]


def _questions(extra: int) -> list[dict]:
    return [
        q("Q1", required=True),
        q("Q2", "mark_1_10", required=True),
        q("G", "grid", scale="agree_5", rows=ROWS, required=True),
        q("O", "overlast_grid", rows=OVERLAST_ROWS, required=True),
        q("M", "multiple_choice"),
        q("T", "open_text"),
        q("C", condition={"question": "Q1", "operator": "equals", "value": "a"}),
        q("H", condition={"question": "Q1", "operator": "equals", "value": "b"}),
        *[q(f"X{i}", "frequency") for i in range(extra)],
        q("B1", options=AGE, profile_field="age_band"),
        q("B2", options=SEX, profile_field="sex"),
        q("B3", "buurt_choice", profile_field="buurt"),
    ]


def _answers(n: int, extra: int, *, open_link: bool) -> dict:
    answers = {
        "Q1": "a",
        "Q2": 7,
        "G": {row["key"]: "eens" for row in ROWS},
        "O": {row["key"]: {"komt_voor": "ja", "overlast": "veel"} for row in ROWS},
        "M": ["a", "b"],
        "T": f"Antwoord {n}",
        "C": "c",
        "H": "a",  # hidden (Q1 is not b): discarded at submit
        **{f"X{i}": "soms" for i in range(extra)},
    }
    if open_link:
        answers.update({"B1": "25-44", "B2": "man", "B3": "BU05469000"})
    return answers


def _respond(
    client: APIClient, survey: Survey, n: int, extra: int, start_body: dict, budget=None
) -> None:
    """Start, save every answer and submit; with `budget` (request → (max queries,
    django_assert_max_num_queries)), each request must stay within its number."""

    def within(step: str):
        return budget[1](budget[0][step]) if budget else nullcontext()

    base = f"/api/v1/surveys/{survey.slug}/responses/"
    with within("start"):
        started = client.post(base, start_body, format="json")
    assert started.status_code == 201, started.json()
    auth = {"HTTP_X_RESUME_TOKEN": started.json()["resume_token"]}
    answers = _answers(n, extra, open_link="device_id" in start_body)
    with within("save"):
        saved = client.patch(base + "current/", {"answers": answers}, format="json", **auth)
    assert saved.status_code == 200, saved.json()
    with within("submit"):
        submitted = client.post(base + "current/submit/", **auth)
    assert submitted.status_code == 200, submitted.json()


@pytest.fixture
def open_survey(make_survey, buurten):
    def make(extra: int) -> Survey:
        return make_survey(questions=_questions(extra))

    return make


@pytest.fixture
def panel_survey_with(panel_survey, buurten):
    def make(extra: int) -> tuple[Survey, object]:
        return panel_survey(questions=_questions(extra))

    return make


# Budgets: statements per request, the savepoint pair of the write transaction included.
# Submit is the worst case here: one hidden answer to discard (select, cascade to its
# moderation row, delete) and one open answer to queue for moderation (select, insert).
# Before the questionnaire cache and the leaner services (template survey over HTTP): start
# 14, save 16-17, submit 16-17.
OPEN = {"start": 7, "save": 9, "submit": 14}
PANEL = {"start": 8, "save": 8, "submit": 12}


@pytest.mark.parametrize("extra", [0, 20])
def test_open_link_requests_stay_within_their_query_budget(
    open_survey, extra, django_assert_max_num_queries
):
    # given: a published open-link survey whose questionnaire is cached
    survey = open_survey(extra)
    client = APIClient()
    _respond(client, survey, 0, extra, {"device_id": device()})

    # when / then: another respondent answers everything, each request within its fixed
    # number of queries, whatever the questionnaire's size
    budget = (OPEN, django_assert_max_num_queries)
    _respond(client, survey, 1, extra, {"device_id": device()}, budget)

    # and the submit did all it must
    response = Response.objects.get(survey=survey, answers__value="Antwoord 1")
    assert (response.age_band, response.sex, response.buurt.code) == ("25-44", "man", "BU05469000")
    assert not Answer.objects.filter(response=response, question__code="H").exists()
    assert OpenAnswerModeration.objects.filter(answer__response=response).count() == 1


@pytest.mark.parametrize("extra", [0, 20])
def test_panel_requests_stay_within_their_query_budget(
    panel_survey_with, extra, django_assert_max_num_queries
):
    # given: a published panel survey whose questionnaire is cached, two invited members
    survey, panel = panel_survey_with(extra)
    client = APIClient()
    tokens = [invitation_create(survey=survey, membership=member(panel)).token for _ in range(2)]
    _respond(client, survey, 0, extra, {"invitation_token": tokens[0]})

    # when / then: the second member answers everything within the budgets
    budget = (PANEL, django_assert_max_num_queries)
    _respond(client, survey, 1, extra, {"invitation_token": tokens[1]}, budget)

    # and both invitations are marked answered, without a trace of the response
    assert survey.invitations.filter(responded_at__isnull=False, receipt_hash="").count() == 2


def test_the_cached_questionnaire_follows_a_newly_published_version(make_survey):
    # given: a published version, read through the cache
    survey = make_survey(questions=[q("Q1")])
    first = survey_version_published(survey=survey)
    assert [x.code for _s, qs in questionnaire_get_cached(version=first) for x in qs] == ["Q1"]

    # when: a new version with one more question is published
    draft = survey_new_version(survey=survey)
    question_add(section=draft.sections.get(), code="Q2", type="mark_1_10", text="Cijfer?")
    survey_publish(survey=survey)

    # then: each version has its own questionnaire; drafts are never cached
    second = survey_version_published(survey=survey)
    assert second.pk != first.pk
    assert [x.code for _s, qs in questionnaire_get_cached(version=second) for x in qs] == [
        "Q1",
        "Q2",
    ]
    assert [x.code for _s, qs in questionnaire_get_cached(version=first) for x in qs] == ["Q1"]
    assert survey_version_draft(survey=survey) is None


def test_a_draft_questionnaire_is_read_fresh_every_time(make_survey):
    # given: an unpublished survey
    survey = make_survey(questions=[q("Q1")], publish=False)
    draft = survey_version_draft(survey=survey)
    assert [x.code for _s, qs in questionnaire_get_cached(version=draft) for x in qs] == ["Q1"]

    # when: a question is added to the draft
    question_add(section=draft.sections.get(), code="Q2", type="mark_1_10", text="Cijfer?")

    # then: the change is seen at once
    assert [x.code for _s, qs in questionnaire_get_cached(version=draft) for x in qs] == [
        "Q1",
        "Q2",
    ]
