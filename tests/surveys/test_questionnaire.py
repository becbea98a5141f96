"""Questionnaire services: create/update, editing a draft, publish (validation + freeze),
new versions, close."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.exceptions import (
    DraftVersionExistsError,
    NoDraftVersionError,
    QuestionInvalidError,
    QuestionnaireInvalidError,
    SectionInvalidError,
    SurveyClosedError,
    SurveyInvalidError,
    VersionFrozenError,
)
from surveys.models import Invitation, Question, Response, Survey
from surveys.selectors import (
    questionnaire_get,
    survey_version_draft,
    survey_version_published,
)
from surveys.services import (
    question_add,
    question_delete,
    question_move,
    question_update,
    response_start_open,
    response_start_with_invitation,
    section_add,
    section_delete,
    section_move,
    section_update,
    survey_close,
    survey_create,
    survey_new_version,
    survey_publish,
    survey_update,
    surveys_close_due,
)
from surveys.services.invitations import invitation_create
from tests.participation.factories import BurgerpanelFactory, UserFactory
from tests.surveys.helpers import build_survey, device, member, q, submit_open

pytestmark = pytest.mark.django_db


def codes(version):
    return [[q.code for q in qs] for _s, qs in questionnaire_get(version=version)]


# --- Survey ---------------------------------------------------------------------------------


def test_survey_create_makes_a_draft_with_version_1():
    user = UserFactory()
    survey = survey_create(
        created_by=user,
        slug="veiligheid-2026",
        title="Veiligheid 2026",
        distribution=Survey.Distribution.OPEN_LINK,
        municipality_code="GM0546",
    )
    assert survey.status == Survey.Status.DRAFT
    assert survey.results_indicative is True
    assert survey.created_by == user
    assert [v.number for v in survey.versions.all()] == [1]
    assert survey_version_draft(survey=survey).number == 1
    assert survey_version_published(survey=survey) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"municipality_code": "0546"}, "geen geldige CBS-gemeentecode"),
        ({"distribution": "panel_only"}, "panel nodig"),
        ({"slug": "niet geldig!"}, "slug"),
        ({"distribution": "per_post"}, "per_post"),
    ],
)
def test_survey_create_refuses_invalid_settings(kwargs, message):
    data = {
        "created_by": None,
        "slug": "s",
        "title": "T",
        "distribution": "open_link",
        "municipality_code": "GM0546",
        **kwargs,
    }
    with pytest.raises(SurveyInvalidError) as exc:
        survey_create(**data)
    assert message in str(exc.value) or message in str(exc.value.extra)


def test_survey_create_refuses_a_panel_of_another_municipality():
    panel = BurgerpanelFactory(municipality_codes=["GM0599"])
    with pytest.raises(SurveyInvalidError, match="werft niet in gemeente GM0546"):
        survey_create(
            created_by=None,
            slug="s",
            title="T",
            distribution="panel_only",
            panel=panel,
            municipality_code="GM0546",
        )


def test_survey_create_refuses_closing_before_opening():
    now = timezone.now()
    with pytest.raises(SurveyInvalidError, match="na de openingsdatum"):
        survey_create(
            created_by=None,
            slug="s",
            title="T",
            distribution="open_link",
            municipality_code="GM0546",
            opens_at=now,
            closes_at=now - dt.timedelta(days=1),
        )


def test_survey_update_changes_title_anytime_but_distribution_only_before_publication():
    survey = build_survey(questions=[q("Q1")], publish=False)
    survey = survey_update(survey=survey, data={"title": "Nieuw", "distribution": "open_link"})
    assert survey.title == "Nieuw"
    survey_publish(survey=survey)
    survey_update(survey=survey, data={"title_en": "New"})
    with pytest.raises(VersionFrozenError, match="distribution"):
        survey_update(survey=survey, data={"distribution": "panel_only"})
    with pytest.raises(SurveyInvalidError, match="status"):
        survey_update(survey=survey, data={"status": "draft"})
    survey_close(survey=survey)
    with pytest.raises(SurveyClosedError):
        survey_update(survey=survey, data={"title": "Te laat"})


# --- Editing a draft ------------------------------------------------------------------------


def test_sections_and_questions_are_added_moved_and_deleted_with_contiguous_positions():
    survey = build_survey(questions=[q("Q1"), q("Q2"), q("Q3")], publish=False)
    version = survey_version_draft(survey=survey)
    second = section_add(version=version, title="Tweede")
    first = version.sections.get(position=0)
    assert codes(version) == [["Q1", "Q2", "Q3"], []]

    question_move(question=version.questions.get(code="Q3"), position=0)
    assert codes(version) == [["Q3", "Q1", "Q2"], []]
    question_move(question=version.questions.get(code="Q1"), position=0, section=second)
    assert codes(version) == [["Q3", "Q2"], ["Q1"]]
    assert [q.position for q in first.questions.order_by("position")] == [0, 1]

    section_move(section=second, position=0)
    assert codes(version) == [["Q1"], ["Q3", "Q2"]]
    question_add(section=first, position=1, **q("Q4"))
    assert codes(version) == [["Q1"], ["Q3", "Q4", "Q2"]]

    question_delete(question=version.questions.get(code="Q4"))
    assert codes(version) == [["Q1"], ["Q3", "Q2"]]
    section_delete(section=first)
    assert codes(version) == [["Q1"]]
    assert version.sections.get().position == 0


def test_question_add_refuses_duplicate_codes_and_invalid_definitions():
    survey = build_survey(questions=[q("Q1")], publish=False)
    section = survey_version_draft(survey=survey).sections.get()
    with pytest.raises(QuestionInvalidError, match="al in gebruik"):
        question_add(section=section, **q("Q1"))
    with pytest.raises(QuestionInvalidError, match="twee antwoordmogelijkheden") as exc:
        question_add(section=section, **q("Q2", options=[{"value": "a", "label": "A"}]))
    assert exc.value.extra["question"] == "Q2"


def test_question_update_changes_fields_and_themes_and_refuses_unknown_fields():
    from participation.models import Theme
    from participation.taxonomy import taxonomy_seed_default

    taxonomy_seed_default()
    theme = Theme.objects.get(slug="veiligheidsgevoel", municipality_code="")
    survey = build_survey(questions=[q("Q1"), q("Q2")], publish=False)
    question = survey_version_draft(survey=survey).questions.get(code="Q1")
    question = question_update(
        question=question,
        data={"type": "frequency", "options": [], "required": True, "themes": [theme]},
    )
    assert question.type == "frequency"
    assert list(question.themes.all()) == [theme]
    with pytest.raises(QuestionInvalidError, match="bestaan niet"):
        question_update(question=question, data={"version": 3})
    with pytest.raises(QuestionInvalidError, match="al in gebruik"):
        question_update(question=question, data={"code": "Q2"})


def test_section_condition_shape_is_checked_when_editing():
    survey = build_survey(questions=[q("Q1")], publish=False)
    version = survey_version_draft(survey=survey)
    with pytest.raises(SectionInvalidError, match="Voorwaarde"):
        section_add(version=version, condition={"question": "Q1", "operator": "ongeveer"})
    section = section_add(version=version, condition={"question": "Q1", "operator": "answered"})
    with pytest.raises(SectionInvalidError):
        section_update(section=section, data={"position": 4})


# --- Publish: validation and freeze ---------------------------------------------------------


def test_publish_refuses_an_inconsistent_questionnaire_and_lists_every_problem():
    survey = build_survey(
        questions=[
            q("Q1", condition={"question": "Q2", "operator": "equals", "value": "a"}),
            q("Q2"),
            q("Q3", condition={"question": "Q2", "operator": "equals", "value": "z"}),
        ],
        publish=False,
    )
    with pytest.raises(QuestionnaireInvalidError) as exc:
        survey_publish(survey=survey)
    errors = exc.value.extra["errors"]
    assert {e["question"] for e in errors} == {"Q1", "Q3"}
    assert "2 problemen" in str(exc.value)
    assert survey_version_draft(survey=survey) is not None
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_publish_refuses_an_empty_questionnaire():
    survey = build_survey(questions=[], publish=False)
    with pytest.raises(QuestionnaireInvalidError, match="nog geen vragen"):
        survey_publish(survey=survey)


def test_publish_freezes_the_version_and_editing_it_is_refused():
    survey = build_survey(questions=[q("Q1")])
    version = survey_version_published(survey=survey)
    section = version.sections.get()
    question = version.questions.get()
    assert survey.status == Survey.Status.PUBLISHED
    assert version.is_published
    refused = [
        lambda: section_add(version=version),
        lambda: section_update(section=section, data={"title": "x"}),
        lambda: section_move(section=section, position=0),
        lambda: section_delete(section=section),
        lambda: question_add(section=section, **q("Q2")),
        lambda: question_update(question=question, data={"text": "Anders?"}),
        lambda: question_move(question=question, position=0),
        lambda: question_delete(question=question),
    ]
    for attempt in refused:
        with pytest.raises(VersionFrozenError):
            attempt()
    question.refresh_from_db()
    assert question.text == "Vraag Q1?"
    with pytest.raises(NoDraftVersionError):
        survey_publish(survey=survey)


def test_new_version_copies_the_questionnaire_and_publishing_it_moves_new_responses():
    from participation.models import Theme
    from participation.taxonomy import taxonomy_seed_default

    taxonomy_seed_default()
    theme = Theme.objects.get(slug="jeugdoverlast", municipality_code="")
    survey = build_survey(
        sections=[
            {"title": "Een", "questions": [q("Q1", themes=[theme], indicator_codes=["I13"])]},
            {
                "title": "Twee",
                "condition": {"question": "Q1", "operator": "equals", "value": "a"},
                "questions": [q("Q2", type="frequency", required=True)],
            },
        ]
    )
    v1 = survey_version_published(survey=survey)
    early = submit_open(survey, {"Q1": "b"})

    v2 = survey_new_version(survey=survey)
    with pytest.raises(DraftVersionExistsError):
        survey_new_version(survey=survey)
    assert v2.number == 2
    assert not v2.is_published
    assert codes(v2) == codes(v1)
    copied = v2.questions.get(code="Q1")
    assert copied.pk != v1.questions.get(code="Q1").pk
    assert list(copied.themes.all()) == [theme]
    assert copied.indicator_codes == ["I13"]
    assert v2.sections.get(title="Twee").condition == v1.sections.get(title="Twee").condition

    # Responses keep going to v1 until v2 is published.
    assert response_start_open(survey=survey, device_id=device()).response.survey_version == v1
    question_update(question=copied, data={"text": "Nieuwe tekst?"})
    survey_publish(survey=survey)
    assert response_start_open(survey=survey, device_id=device()).response.survey_version == v2
    assert v1.questions.get(code="Q1").text == "Vraag Q1?"
    early.refresh_from_db()
    assert early.survey_version == v1


# --- Close ----------------------------------------------------------------------------------


def test_close_deletes_unsubmitted_responses_and_wipes_pseudonymous_hashes():
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("Q1")], panel=panel)
    submitted = submit_open(survey, {"Q1": "a"})
    pending = response_start_open(survey=survey, device_id=device()).response
    issued = invitation_create(survey=survey, membership=member(panel))
    response_start_with_invitation(survey=survey, token=issued.token)
    assert Invitation.objects.get().receipt_hash

    survey_close(survey=survey)

    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert survey.closed_at is not None
    assert not Response.objects.filter(pk=pending.pk).exists()
    assert list(Response.objects.values_list("pk", flat=True)) == [submitted.pk]
    assert Response.objects.get().device_hash == ""
    assert Invitation.objects.get().receipt_hash == ""
    with pytest.raises(SurveyClosedError):
        survey_close(survey=survey)
    with pytest.raises(SurveyClosedError):
        survey_publish(survey=survey)
    with pytest.raises(SurveyClosedError):
        survey_new_version(survey=survey)


def test_surveys_close_due_closes_only_surveys_past_their_closing_time():
    now = timezone.now()
    due = build_survey(questions=[q("Q1")], closes_at=now + dt.timedelta(hours=1))
    later = build_survey(questions=[q("Q1")], closes_at=now + dt.timedelta(days=3))
    Survey.objects.filter(pk=due.pk).update(closes_at=now - dt.timedelta(minutes=1))
    assert surveys_close_due() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Survey.Status.CLOSED
    assert later.status == Survey.Status.PUBLISHED


def test_question_type_choices_cover_every_validated_type():
    from surveys.validation import QUESTION_TYPES

    assert set(Question.Type.values) == set(QUESTION_TYPES)
