"""Domain support for the respondent pages: the page plan (one page per section, with
conditions), saving one page at a time, and checking an invitation token without using it."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.exceptions import (
    AnswersIncompleteError,
    AnswersInvalidError,
    InvitationExpiredError,
    InvitationInvalidError,
    InvitationUsedError,
    ResponseSubmittedError,
)
from surveys.models import Answer, Invitation
from surveys.selectors import (
    condition_question_codes,
    invitation_get_usable,
    questionnaire_get,
    respondent_pages,
    response_answers_get,
)
from surveys.services import (
    invitation_create,
    response_save_page,
    response_start_open,
    response_start_with_invitation,
    response_submit,
)
from tests.surveys.helpers import build_survey, device, member, q

pytestmark = pytest.mark.django_db

YES = {"question": "Q1", "operator": "equals", "value": "a"}


def _survey():
    return build_survey(
        sections=[
            {"title": "Een", "questions": [q("Q1", required=True), q("Q2", condition=YES)]},
            {
                "title": "Twee",
                "condition": {"question": "Q1", "operator": "equals", "value": "b"},
                "questions": [q("Q3")],
            },
            {"title": "Drie", "questions": [q("Q4", type="frequency", required=True)]},
        ]
    )


def _sections(survey):
    version = survey.versions.get()
    return [section for section, _questions in questionnaire_get(version=version)]


def _start(survey):
    return response_start_open(survey=survey, device_id=device())


def test_condition_question_codes_walks_combinations():
    condition = {"all": [YES, {"any": [{"question": "Q7", "operator": "answered"}]}]}
    assert condition_question_codes(condition) == {"Q1", "Q7"}
    assert condition_question_codes(None) == set()


def test_pages_skip_sections_whose_condition_fails_and_keep_section_numbers():
    survey = _survey()
    response = _start(survey).response

    pages = respondent_pages(response=response)

    assert [p.number for p in pages] == [1, 3]
    first = pages[0]
    assert [q.code for q in first.questions] == ["Q1", "Q2"]
    assert first.pending == {"Q2"}  # depends on Q1 on the same page
    assert [q.code for q in first.shown_questions] == ["Q1"]

    response_save_page(response=response, section=first.section, answers={"Q1": "b"})
    assert [p.number for p in respondent_pages(response=response)] == [1, 2, 3]


def test_pending_question_on_a_later_page_gets_the_earlier_answer_as_context():
    survey = build_survey(
        sections=[
            {"questions": [q("Q1")]},
            {
                "questions": [
                    q("Q2"),
                    q("Q3", condition={"all": [YES, {"question": "Q2", "operator": "answered"}]}),
                ]
            },
        ]
    )
    response = _start(survey).response
    sections = _sections(survey)
    response_save_page(response=response, section=sections[0], answers={"Q1": "a"})

    second = respondent_pages(response=response)[1]

    assert second.pending == {"Q3"}
    assert second.context == {"Q1": {"": "a"}}


def test_save_page_clears_answers_of_questions_hidden_by_this_page():
    survey = _survey()
    response = _start(survey).response
    first = _sections(survey)[0]
    response_save_page(response=response, section=first, answers={"Q1": "a", "Q2": "c"})
    assert response_answers_get(response=response) == {"Q1": {"": "a"}, "Q2": {"": "c"}}

    # Q2 was filled in, then hidden again by changing Q1: its (now invalid) answer is ignored.
    response_save_page(response=response, section=first, answers={"Q1": "b", "Q2": "zzz"})

    assert response_answers_get(response=response) == {"Q1": {"": "b"}}


def test_save_page_with_complete_requires_shown_required_questions_and_writes_nothing():
    survey = _survey()
    response = _start(survey).response
    first, _second, third = _sections(survey)
    response_save_page(response=response, section=third, answers={"Q4": "vaak"})

    with pytest.raises(AnswersIncompleteError) as exc:
        response_save_page(response=response, section=first, answers={"Q1": None}, complete=True)
    assert [e["question"] for e in exc.value.extra["errors"]] == ["Q1"]

    with pytest.raises(AnswersIncompleteError):
        response_save_page(response=response, section=third, answers={"Q4": None}, complete=True)
    assert response_answers_get(response=response) == {"Q4": {"": "vaak"}}

    # Without `complete` ("save and continue later") an empty answer simply clears it.
    response_save_page(response=response, section=third, answers={"Q4": None})
    assert not Answer.objects.exists()


def test_save_page_reports_every_invalid_shown_answer_and_saves_nothing():
    survey = build_survey(
        questions=[q("Q1", type="multiple_choice", max_choices=1), q("Q2", type="number")]
    )
    response = _start(survey).response
    (section,) = _sections(survey)

    with pytest.raises(AnswersInvalidError) as exc:
        response_save_page(
            response=response, section=section, answers={"Q1": ["a", "b"], "Q2": "x"}
        )

    assert [e["question"] for e in exc.value.extra["errors"]] == ["Q1", "Q2"]
    assert not Answer.objects.exists()


def test_save_page_overlast_row_needs_second_step_only_when_going_on():
    rows = [{"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"}]
    survey = build_survey(questions=[q("Q7", type="overlast_grid", rows=rows)])
    response = _start(survey).response
    (section,) = _sections(survey)
    answer = {"Q7": {"rommel": {"komt_voor": "ja"}}}

    response_save_page(response=response, section=section, answers=answer)
    with pytest.raises(AnswersIncompleteError) as exc:
        response_save_page(response=response, section=section, answers=answer, complete=True)

    assert exc.value.extra["errors"][0]["row"] == "rommel"


def test_save_page_refuses_sections_of_another_survey_and_submitted_responses():
    survey, other = _survey(), _survey()
    start = _start(survey)
    with pytest.raises(AnswersInvalidError):
        response_save_page(response=start.response, section=_sections(other)[0], answers={})
    first, _second, third = _sections(survey)
    response_save_page(response=start.response, section=first, answers={"Q1": "a"})
    response_save_page(response=start.response, section=third, answers={"Q4": "soms"})
    response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(ResponseSubmittedError):
        response_save_page(response=start.response, section=first, answers={"Q1": "a"})


def test_invitation_can_be_checked_without_using_it(panel_survey):
    survey, panel = panel_survey()
    issued = invitation_create(survey=survey, membership=member(panel))

    assert invitation_get_usable(survey=survey, token=issued.token) == issued.invitation
    assert Invitation.objects.get().used_at is None

    response_start_with_invitation(survey=survey, token=issued.token)
    with pytest.raises(InvitationUsedError):
        invitation_get_usable(survey=survey, token=issued.token)


def test_invitation_check_refuses_expired_other_survey_and_garbage(panel_survey):
    survey, panel = panel_survey()
    other, _panel = panel_survey()
    expired = invitation_create(
        survey=survey,
        membership=member(panel),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    elsewhere = invitation_create(survey=other, membership=member(_panel))

    with pytest.raises(InvitationExpiredError):
        invitation_get_usable(survey=survey, token=expired.token)
    with pytest.raises(InvitationInvalidError):
        invitation_get_usable(survey=survey, token=elsewhere.token)
    with pytest.raises(InvitationInvalidError):
        invitation_get_usable(survey=survey, token="garbage")
