"""Read use cases, scheduled tasks and the admin."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Survey
from surveys.selectors import (
    questionnaire_get,
    response_counts,
    response_questions_visible,
    survey_get_by_slug,
    survey_list_accepting_responses,
    survey_version_published,
)
from surveys.services import response_save_answers, response_start_open
from surveys.tasks import invitation_reminders_task, surveys_close_due_task
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import build_survey, device, member, q, submit_open, submit_panel

pytestmark = pytest.mark.django_db


def test_survey_list_accepting_responses_only_lists_open_surveys():
    open_now = build_survey(questions=[q("Q1")])
    build_survey(questions=[q("Q1")], publish=False)
    build_survey(questions=[q("Q1")], opens_at=timezone.now() + dt.timedelta(days=1))
    panel = build_survey(questions=[q("Q1")], distribution="panel_only", panel=BurgerpanelFactory())
    assert set(survey_list_accepting_responses()) == {open_now, panel}
    assert list(survey_list_accepting_responses(distribution="open_link")) == [open_now]
    assert survey_get_by_slug(slug=open_now.slug) == open_now
    with pytest.raises(Survey.DoesNotExist):
        survey_get_by_slug(slug="bestaat-niet")


def test_questionnaire_get_returns_sections_with_ordered_questions():
    survey = build_survey(
        sections=[
            {"title": "Een", "questions": [q("Q1"), q("Q2")]},
            {"title": "Twee", "questions": [q("Q3")]},
        ]
    )
    questionnaire = questionnaire_get(version=survey_version_published(survey=survey))
    assert [(s.title, [x.code for x in qs]) for s, qs in questionnaire] == [
        ("Een", ["Q1", "Q2"]),
        ("Twee", ["Q3"]),
    ]


def test_response_questions_visible_follows_the_saved_answers():
    survey = build_survey(
        questions=[
            q("Q1"),
            q("Q2", condition={"question": "Q1", "operator": "equals", "value": "a"}),
        ]
    )
    start = response_start_open(survey=survey, device_id=device())
    assert [x.code for x in response_questions_visible(response=start.response)] == ["Q1"]
    response_save_answers(response=start.response, answers={"Q1": "a"})
    assert [x.code for x in response_questions_visible(response=start.response)] == ["Q1", "Q2"]


def test_response_counts_per_channel():
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("Q1")], panel=panel)
    submit_open(survey, {"Q1": "a"})
    submit_panel(survey, member(panel), {"Q1": "b"})
    response_start_open(survey=survey, device_id=device())
    counts = response_counts(survey=survey)
    assert (counts.started, counts.submitted) == (3, 2)
    assert (counts.submitted_open_link, counts.submitted_panel) == (1, 1)


def test_scheduled_tasks_call_their_services():
    survey = build_survey(questions=[q("Q1")], closes_at=timezone.now() + dt.timedelta(hours=1))
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    assert surveys_close_due_task.call() == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert invitation_reminders_task.call() == 0


@pytest.mark.parametrize(
    "model", ["survey", "surveyversion", "question", "response", "invitation", "invitationwave",
              "openanswermoderation"]
)  # fmt: skip
def test_admin_changelists_render(admin_client, model):
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("Q1"), q("T", type="open_text")], panel=panel)
    submit_panel(survey, member(panel), {"Q1": "a", "T": "Tekst"})
    response = admin_client.get(reverse(f"admin:surveys_{model}_changelist"))
    assert response.status_code == 200


def test_admin_publish_action_goes_through_the_service(admin_client):
    draft = build_survey(questions=[q("Q1")], publish=False)
    empty = build_survey(questions=[], publish=False)
    response = admin_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "publish", "_selected_action": [draft.pk, empty.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    empty.refresh_from_db()
    assert draft.status == Survey.Status.PUBLISHED
    assert empty.status == Survey.Status.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert any("nog geen vragen" in m for m in messages)
