"""Wave planning aggregates: the eligible pool (shared with invitation_wave_issue), counts
per buurt × age band, the fatigue limit, and the wave list; plus field-tagged question
errors (for forms and API field errors)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participation.services import panel_consent_renew, panel_leave
from surveys.exceptions import QuestionInvalidError
from surveys.models import Invitation
from surveys.panel_reach import invitation_wave_list, panel_memberships_eligible, wave_candidates
from surveys.selectors import survey_overview_list, survey_version_draft
from surveys.services import invitation_create, invitation_wave_create, question_add, section_add
from surveys.validation import question_definition_errors, question_definition_problems
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory, ConsentTextFactory
from tests.surveys.factories import QuestionFactory
from tests.surveys.helpers import build_survey, member, q, submit_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    noord = AreaFactory(code="BU05469000", name="Noord", col=0)
    zuid = AreaFactory(code="BU05469001", name="Zuid", col=1)
    return panel, survey, noord, zuid


def test_candidates_per_buurt_and_age_band(setup):
    panel, survey, noord, zuid = setup
    for _ in range(3):
        member(panel, buurt=noord, age_band="25-44")
    member(panel, buurt=noord, age_band="65+")
    member(panel, buurt=zuid, age_band="15-24")
    member(panel, buurt=None, age_band="45-64")
    left = member(panel, buurt=zuid, age_band="15-24")
    panel_leave(membership=left)
    member(BurgerpanelFactory(), buurt=noord)  # another panel

    result = wave_candidates(survey=survey, fatigue_window_days=90)

    assert result.eligible == 6
    assert result.excluded_by_fatigue == 0
    assert result.everyone.by_band == {"15-24": 1, "25-44": 3, "45-64": 1, "65+": 1}
    assert [(r.code, r.name, r.total) for r in result.buurten] == [
        ("BU05469000", "Noord", 4),
        ("BU05469001", "Zuid", 1),
    ]
    assert result.buurten[0].by_band == {"15-24": 0, "25-44": 3, "45-64": 0, "65+": 1}


def test_fatigue_limit_and_members_already_invited(setup):
    panel, survey, noord, _zuid = setup
    recent, old, invited_here, fresh = (member(panel, buurt=noord) for _ in range(4))
    other = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    invitation_create(survey=other, membership=recent)
    invitation_create(survey=other, membership=old)
    Invitation.objects.filter(membership=old).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    invitation_create(survey=survey, membership=invited_here)

    result = wave_candidates(survey=survey, fatigue_window_days=90)
    pool = set(panel_memberships_eligible(survey=survey, fatigue_window_days=90))

    assert pool == {old, fresh}
    assert result.eligible == 2
    # Already invited for this survey is not "fatigue": only `recent` is kept out by it.
    assert result.excluded_by_fatigue == 1
    assert wave_candidates(survey=survey, fatigue_window_days=200).excluded_by_fatigue == 2


def test_candidates_of_a_survey_without_panel_are_empty():
    survey = build_survey(questions=[q("Q1")])
    result = wave_candidates(survey=survey, fatigue_window_days=90)
    assert (result.eligible, result.buurten) == (0, [])


def test_wave_list_counts_invitations(setup):
    panel, survey, noord, _zuid = setup
    wave = invitation_wave_create(survey=survey, name="R1", created_by=None, mode="all")
    invitation_create(survey=survey, membership=member(panel, buurt=noord), wave=wave)
    invitation_wave_create(survey=survey, name="R2", created_by=None, mode="all")
    assert [(w.name, w.invited) for w in invitation_wave_list(survey=survey)] == [
        ("R1", 1),
        ("R2", 0),
    ]


def test_survey_overview_list_annotates_versions_and_counts(setup):
    _panel, panel_survey, _n, _z = setup
    open_survey = build_survey(questions=[q("Q1")])
    submit_open(open_survey, {"Q1": "a"})
    draft = build_survey(questions=[q("Q1")], publish=False)
    rows = {s.pk: s for s in survey_overview_list()}
    assert (rows[open_survey.pk].submitted, rows[open_survey.pk].submitted_open_link) == (1, 1)
    assert (rows[draft.pk].latest_version, rows[draft.pk].published_version) == (1, None)
    assert rows[panel_survey.pk].published_version == 1


@pytest.mark.parametrize(
    ("attrs", "field"),
    [
        ({"type": "single_choice", "options": []}, "options"),
        ({"type": "frequency", "rows": [{"key": "a", "label": "A"}]}, "rows"),
        ({"type": "grid", "scale": "", "rows": [{"key": "a", "label": "A"}]}, "scale"),
        ({"type": "open_text", "max_choices": 2}, "max_choices"),
        ({"type": "number", "min_value": 5, "max_value": 1}, "max_value"),
        ({"type": "frequency", "max_length": 10}, "max_length"),
        ({"type": "open_text", "allow_dont_know": True}, "allow_dont_know"),
        ({"type": "frequency", "code": "9x"}, "code"),
        ({"type": "frequency", "text": " "}, "text"),
        ({"type": "frequency", "indicator_codes": ["x"]}, "indicator_codes"),
        ({"type": "frequency", "profile_field": "buurt"}, "profile_field"),
        ({"type": "frequency", "condition": {"operator": "equals"}}, "condition"),
    ],
)
def test_question_problems_name_the_field(attrs, field):
    question = QuestionFactory.build(**attrs)
    problems = question_definition_problems(question)
    assert field in {f for f, _m in problems}
    assert [m for _f, m in problems] == question_definition_errors(question)


def test_question_invalid_error_carries_field_errors():
    survey = build_survey(questions=[], publish=False, sections=[])
    section = section_add(version=survey_version_draft(survey=survey))
    with pytest.raises(QuestionInvalidError) as exc:
        question_add(section=section, code="Q1", type="multiple_choice", text="?", max_choices=1)
    assert "options" in exc.value.extra["fields"]
    assert exc.value.extra["errors"]


def test_members_who_have_not_agreed_to_the_current_consent_text_are_not_invited(setup):
    panel, survey, noord, _zuid = setup
    agreed_before = member(panel, buurt=noord)
    ConsentTextFactory(panel=panel)  # a newer text is published
    agreed_now = member(panel, buurt=noord)

    eligible = panel_memberships_eligible(survey=survey, fatigue_window_days=90)
    result = wave_candidates(survey=survey, fatigue_window_days=90)

    assert list(eligible) == [agreed_now]
    assert (result.eligible, result.awaiting_consent, result.excluded_by_fatigue) == (1, 1, 0)

    # after agreeing to the new text the member is invited again
    panel_consent_renew(membership=agreed_before, consent_text=panel.consent_texts.first())
    assert set(panel_memberships_eligible(survey=survey, fatigue_window_days=90)) == {
        agreed_before,
        agreed_now,
    }
