"""Open-answer moderation service and queue."""

import pytest

from surveys.exceptions import ModerationInvalidError
from surveys.models import OpenAnswerModeration
from surveys.selectors import open_answer_moderation_list
from surveys.services import open_answer_moderate, response_save_answers, response_start_open
from tests.participation.factories import UserFactory
from tests.surveys.helpers import build_survey, device, q, submit_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderation():
    survey = build_survey(questions=[q("T", type="open_text")])
    submit_open(survey, {"T": "Het pleintje is 's avonds donker"})
    return OpenAnswerModeration.objects.get()


def test_queue_lists_pending_open_answers_of_submitted_responses_only(moderation):
    survey = moderation.answer.response.survey
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(response=start.response, answers={"T": "Nog niet verstuurd"})
    assert list(open_answer_moderation_list(survey=survey)) == [moderation]
    assert list(open_answer_moderation_list(survey=survey, status="approved")) == []


def test_approve_without_edit_publishes_the_original_text(moderation):
    moderator = UserFactory()
    result = open_answer_moderate(moderation=moderation, moderator=moderator, decision="approved")
    assert result.status == "approved"
    assert result.public_text == "Het pleintje is 's avonds donker"
    assert result.moderated_by == moderator
    assert result.moderated_at is not None


def test_approve_with_an_edited_public_text_and_revise_to_rejected(moderation):
    moderator = UserFactory()
    open_answer_moderate(
        moderation=moderation, moderator=moderator, decision="approved", public_text="  Donker  "
    )
    moderation.refresh_from_db()
    assert moderation.public_text == "Donker"
    assert moderation.answer.value == "Het pleintje is 's avonds donker"  # original kept
    result = open_answer_moderate(moderation=moderation, moderator=moderator, decision="rejected")
    assert (result.status, result.public_text) == ("rejected", "")


@pytest.mark.parametrize(
    ("decision", "public_text", "message"),
    [
        ("approved", "   ", "openbare tekst"),
        ("approved", "x" * 2001, "te lang"),
        ("pending", None, "goedkeuren of afwijzen"),
        ("publish", None, "goedkeuren of afwijzen"),
    ],
)
def test_invalid_moderation_is_refused(moderation, decision, public_text, message):
    with pytest.raises(ModerationInvalidError, match=message):
        open_answer_moderate(
            moderation=moderation,
            moderator=UserFactory(),
            decision=decision,
            public_text=public_text,
        )
    moderation.refresh_from_db()
    assert moderation.status == "pending"
