"""Responding: open link (device check, throttles), invitations (token misuse), resume and
partial saves, submit (conditions, required, hidden answers), anonymity of the Response."""

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone

from geo.models import Area
from participation.models import PanelMembership, User
from participation.services import panel_leave
from surveys.exceptions import (
    AlreadyRespondedError,
    AnswersIncompleteError,
    AnswersInvalidError,
    DeviceIdInvalidError,
    InvitationExpiredError,
    InvitationInvalidError,
    InvitationMembershipEndedError,
    InvitationUsedError,
    PanelOnlySurveyError,
    ResponseSubmittedError,
    ResumeTokenInvalidError,
    SurveyClosedError,
    SurveyNotOpenError,
    TooManyStartsError,
)
from surveys.models import Answer, Invitation, OpenAnswerModeration, Response, Survey
from surveys.selectors import response_answers_get, response_get_for_resume
from surveys.services import (
    invitation_create,
    response_save_answers,
    response_start_open,
    response_start_with_invitation,
    response_submit,
    survey_close,
)
from surveys.tokens import device_hash, invitation_token_hash
from tests.geo.factories import AreaFactory
from tests.surveys.helpers import build_survey, device, member, q, submit_open

pytestmark = pytest.mark.django_db

AGE_OPTIONS = [{"value": v, "label": v} for v in ("15-24", "25-44", "45-64", "65+")]
SEX_OPTIONS = [{"value": v, "label": v} for v in ("man", "vrouw", "anders", "liever_niet")]


def test_response_has_no_link_to_user_membership_or_invitation():
    related = {
        f.related_model
        for f in Response._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
    }
    assert not related & {User, PanelMembership, Invitation}
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    invitation_fields = {f.name for f in Invitation._meta.get_fields()}
    assert not {"response", "response_id"} & invitation_fields


# --- Open link ------------------------------------------------------------------------------


def test_open_start_is_indicative_and_stores_only_hashes(make_survey):
    survey = make_survey(questions=[q("Q1")])
    other = make_survey(questions=[q("Q1")])
    start = response_start_open(survey=survey, device_id="my-device-123456")
    response = start.response
    assert response.channel == Response.Channel.OPEN_LINK
    assert response.is_indicative is True
    assert response.device_hash == device_hash(survey_id=survey.pk, device_id="my-device-123456")
    assert "my-device-123456" not in response.device_hash
    assert response.device_hash != device_hash(survey_id=other.pk, device_id="my-device-123456")
    assert start.resume_token not in response.resume_token_hash
    assert len(start.resume_token) >= 43
    assert len(response.ref) == 12


def test_open_start_refused_for_panel_only_surveys(panel_survey):
    survey, _panel = panel_survey()
    with pytest.raises(PanelOnlySurveyError):
        response_start_open(survey=survey, device_id=device())


def test_open_start_refused_outside_the_response_window(make_survey):
    draft = make_survey(questions=[q("Q1")], publish=False)
    with pytest.raises(SurveyNotOpenError):
        response_start_open(survey=draft, device_id=device())
    later = make_survey(questions=[q("Q1")], opens_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(SurveyNotOpenError):
        response_start_open(survey=later, device_id=device())
    closed = make_survey(questions=[q("Q1")])
    survey_close(survey=closed)
    with pytest.raises(SurveyClosedError):
        response_start_open(survey=closed, device_id=device())


@pytest.mark.parametrize("device_id", ["", "short", "x" * 201, None])
def test_open_start_needs_a_device_id(make_survey, device_id):
    survey = make_survey(questions=[q("Q1")])
    with pytest.raises(DeviceIdInvalidError):
        response_start_open(survey=survey, device_id=device_id)


def test_one_submitted_response_per_device_by_default(make_survey):
    survey = make_survey(questions=[q("Q1")])
    start = response_start_open(survey=survey, device_id="device-aaaa-1111")
    response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(AlreadyRespondedError):
        response_start_open(survey=survey, device_id="device-aaaa-1111")
    response_start_open(survey=survey, device_id="device-bbbb-2222")  # another device


def test_device_limit_is_a_setting(make_survey, settings):
    settings.SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE = 2
    survey = make_survey(questions=[q("Q1")])
    for _ in range(2):
        start = response_start_open(survey=survey, device_id="gezinstablet-01")
        response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(AlreadyRespondedError):
        response_start_open(survey=survey, device_id="gezinstablet-01")


def test_two_tabs_on_one_device_cannot_both_submit(make_survey):
    survey = make_survey(questions=[q("Q1")])
    first = response_start_open(survey=survey, device_id="device-tabs-0001")
    second = response_start_open(survey=survey, device_id="device-tabs-0001")
    response_submit(response=first.response, resume_token=first.resume_token)
    with pytest.raises(AlreadyRespondedError):
        response_submit(response=second.response, resume_token=second.resume_token)
    assert Response.objects.submitted().count() == 1


def test_starts_per_device_per_hour_are_throttled(make_survey, settings):
    settings.SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR = 2
    survey = make_survey(questions=[q("Q1")])
    for _ in range(2):
        response_start_open(survey=survey, device_id="device-busy-0001")
    with pytest.raises(TooManyStartsError):
        response_start_open(survey=survey, device_id="device-busy-0001")
    Response.objects.update(started_at=timezone.now() - dt.timedelta(hours=2))
    response_start_open(survey=survey, device_id="device-busy-0001")


def test_starts_per_ip_address_are_throttled_without_storing_the_address(make_survey, settings):
    settings.SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR = 2
    survey = make_survey(questions=[q("Q1")])
    for _ in range(2):
        response_start_open(survey=survey, device_id=device(), ip_address="192.0.2.7")
    with pytest.raises(TooManyStartsError):
        response_start_open(survey=survey, device_id=device(), ip_address="192.0.2.7")
    response_start_open(survey=survey, device_id=device(), ip_address="192.0.2.8")
    for response in Response.objects.all():
        assert "192.0.2" not in str(vars(response))


# --- Invitations ----------------------------------------------------------------------------


def test_invitation_start_copies_weighting_data_and_consumes_the_token(panel_survey):
    survey, panel = panel_survey()
    buurt = AreaFactory(code="BU05469000")
    membership = member(panel, buurt=buurt, age_band="65+", sex="man")
    issued = invitation_create(survey=survey, membership=membership)
    assert issued.invitation.token_hash == invitation_token_hash(issued.token)
    assert issued.token not in issued.invitation.token_hash

    start = response_start_with_invitation(survey=survey, token=issued.token)

    response = start.response
    assert response.channel == Response.Channel.PANEL
    assert response.is_indicative is False
    assert (response.buurt, response.age_band, response.sex) == (buurt, "65+", "man")
    assert response.device_hash == ""
    invitation = Invitation.objects.get()
    assert invitation.used_at is not None
    local = timezone.localtime(invitation.used_at)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert invitation.receipt_hash
    assert invitation.receipt_hash != response.resume_token_hash
    assert invitation.responded_at is None

    response_submit(response=response, resume_token=start.resume_token)
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    assert invitation.receipt_hash == ""
    response.refresh_from_db()
    assert response.resume_token_hash == ""


def test_invitation_token_is_single_use(panel_survey):
    survey, panel = panel_survey()
    issued = invitation_create(survey=survey, membership=member(panel))
    start = response_start_with_invitation(survey=survey, token=issued.token)
    with pytest.raises(InvitationUsedError, match="al ingevuld"):
        response_start_with_invitation(survey=survey, token=issued.token)
    response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(InvitationUsedError):
        response_start_with_invitation(survey=survey, token=issued.token)
    assert Response.objects.count() == 1


def test_expired_invitation_is_refused(panel_survey):
    survey, panel = panel_survey()
    issued = invitation_create(
        survey=survey,
        membership=member(panel),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    with pytest.raises(InvitationExpiredError):
        response_start_with_invitation(survey=survey, token=issued.token)
    assert not Response.objects.exists()


def test_invitation_of_another_survey_is_refused(panel_survey):
    survey, panel = panel_survey()
    other = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    issued = invitation_create(survey=other, membership=member(panel))
    with pytest.raises(InvitationInvalidError) as exc:
        response_start_with_invitation(survey=survey, token=issued.token)
    assert exc.value.extra == {"reason": "other_survey"}
    Invitation.objects.get()  # still unused
    assert Invitation.objects.get().used_at is None


def test_invitation_of_a_withdrawn_member_is_refused(panel_survey):
    survey, panel = panel_survey()
    membership = member(panel)
    issued = invitation_create(survey=survey, membership=membership)
    panel_leave(membership=membership)
    with pytest.raises(InvitationMembershipEndedError):
        response_start_with_invitation(survey=survey, token=issued.token)


@pytest.mark.parametrize("token", ["", "garbage", "x" * 500, None, "A" * 43])
def test_garbage_invitation_tokens_are_refused(panel_survey, token):
    survey, panel = panel_survey()
    invitation_create(survey=survey, membership=member(panel))
    with pytest.raises(InvitationInvalidError):
        response_start_with_invitation(survey=survey, token=token)


def test_invitation_for_a_closed_survey_is_refused(panel_survey):
    survey, panel = panel_survey()
    issued = invitation_create(survey=survey, membership=member(panel))
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    survey.refresh_from_db()
    with pytest.raises(SurveyNotOpenError):
        response_start_with_invitation(survey=survey, token=issued.token)


# --- Resume and partial save ----------------------------------------------------------------


def test_resume_with_the_token_returns_the_partial_answers(make_survey):
    survey = make_survey(questions=[q("Q1"), q("Q2", type="frequency"), q("Q3", type="mark_1_10")])
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(response=start.response, answers={"Q1": "b"})
    response_save_answers(response=start.response, answers={"Q3": 9})

    resumed = response_get_for_resume(survey=survey, resume_token=start.resume_token)

    assert resumed.pk == start.response.pk
    assert response_answers_get(response=resumed) == {"Q1": {"": "b"}, "Q3": {"": 9}}
    response_save_answers(response=resumed, answers={"Q1": None, "Q2": "vaak"})
    assert response_answers_get(response=resumed) == {"Q2": {"": "vaak"}, "Q3": {"": 9}}


@pytest.mark.parametrize("token", ["", "wrong-token", None, "x" * 300])
def test_resume_with_a_wrong_token_is_refused(make_survey, token):
    survey = make_survey(questions=[q("Q1")])
    response_start_open(survey=survey, device_id=device())
    with pytest.raises(ResumeTokenInvalidError):
        response_get_for_resume(survey=survey, resume_token=token)


def test_resume_token_of_another_survey_or_a_submitted_response_is_refused(make_survey):
    survey = make_survey(questions=[q("Q1")])
    other = make_survey(questions=[q("Q1")])
    start = response_start_open(survey=survey, device_id=device())
    with pytest.raises(ResumeTokenInvalidError):
        response_get_for_resume(survey=other, resume_token=start.resume_token)
    response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(ResumeTokenInvalidError):
        response_get_for_resume(survey=survey, resume_token=start.resume_token)


def test_save_reports_every_invalid_answer_and_saves_nothing(make_survey):
    survey = make_survey(questions=[q("Q1"), q("Q2", type="mark_1_10"), q("Q3", type="frequency")])
    start = response_start_open(survey=survey, device_id=device())
    with pytest.raises(AnswersInvalidError) as exc:
        response_save_answers(
            response=start.response, answers={"Q1": "a", "Q2": 12, "Q3": "nooit", "Q9": "a"}
        )
    errors = exc.value.extra["errors"]
    assert [(e["question"], e["code"]) for e in errors] == [
        ("Q2", "answer_invalid"),
        ("Q9", "unknown_question"),
    ]
    assert "Vraag Q2" in errors[0]["message"]
    assert not Answer.objects.exists()


def test_grid_rows_are_saved_and_cleared_one_by_one(make_survey):
    rows = [{"key": "r1", "label": "R1"}, {"key": "r2", "label": "R2"}]
    survey = make_survey(questions=[q("G", type="grid", rows=rows, scale="yes_no")])
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(response=start.response, answers={"G": {"r1": "ja"}})
    response_save_answers(response=start.response, answers={"G": {"r2": "nee"}})
    assert response_answers_get(response=start.response) == {"G": {"r1": "ja", "r2": "nee"}}
    response_save_answers(response=start.response, answers={"G": {"r1": None}})
    assert response_answers_get(response=start.response) == {"G": {"r2": "nee"}}


def test_saving_after_submit_or_close_is_refused(make_survey):
    survey = make_survey(questions=[q("Q1")])
    start = response_start_open(survey=survey, device_id=device())
    other = response_start_open(survey=survey, device_id=device())
    response_submit(response=start.response, resume_token=start.resume_token)
    with pytest.raises(ResponseSubmittedError):
        response_save_answers(response=start.response, answers={"Q1": "a"})
    with pytest.raises(ResponseSubmittedError):
        response_submit(response=start.response, resume_token=start.resume_token)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now())
    with pytest.raises(SurveyNotOpenError):
        response_save_answers(response=other.response, answers={"Q1": "a"})


# --- Submit: conditions and required --------------------------------------------------------


def conditional_survey():
    return build_survey(
        sections=[
            {
                "questions": [
                    q("A", required=True),
                    q(
                        "B",
                        type="frequency",
                        required=True,
                        condition={"question": "A", "operator": "equals", "value": "a"},
                    ),
                    q("C", type="open_text", required=False),
                ]
            },
            {
                "condition": {"question": "A", "operator": "in", "value": ["a", "b"]},
                "questions": [q("D", type="mark_1_10", required=True)],
            },
        ]
    )


def test_required_applies_only_to_shown_questions():
    survey = conditional_survey()
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(response=start.response, answers={"A": "c"})
    response = response_submit(response=start.response, resume_token=start.resume_token)
    assert response.submitted_at is not None  # B (question) and D (section) were hidden


def test_submit_lists_missing_required_answers_of_shown_questions():
    survey = conditional_survey()
    start = response_start_open(survey=survey, device_id=device())
    with pytest.raises(AnswersIncompleteError) as exc:
        response_submit(response=start.response, resume_token=start.resume_token)
    assert [e["question"] for e in exc.value.extra["errors"]] == ["A"]
    response_save_answers(response=start.response, answers={"A": "a"})
    with pytest.raises(AnswersIncompleteError) as exc:
        response_submit(response=start.response, resume_token=start.resume_token)
    assert [e["question"] for e in exc.value.extra["errors"]] == ["B", "D"]
    assert Response.objects.get().submitted_at is None


def test_answers_to_hidden_questions_are_discarded_on_submit():
    survey = conditional_survey()
    start = response_start_open(survey=survey, device_id=device())
    # B and D were answered while A was "a"; then A changes to "c", hiding both.
    response_save_answers(response=start.response, answers={"A": "a", "B": "vaak", "D": 4})
    response_save_answers(response=start.response, answers={"A": "c", "C": "Meer licht"})
    response_submit(response=start.response, resume_token=start.resume_token)
    assert response_answers_get(response=start.response) == {
        "A": {"": "c"},
        "C": {"": "Meer licht"},
    }


def test_submit_needs_the_resume_token(make_survey):
    survey = make_survey(questions=[q("Q1")])
    start = response_start_open(survey=survey, device_id=device())
    other = response_start_open(survey=survey, device_id=device())
    with pytest.raises(ResumeTokenInvalidError):
        response_submit(response=start.response, resume_token=other.resume_token)
    with pytest.raises(ResumeTokenInvalidError):
        response_submit(response=start.response, resume_token=None)


def test_overlast_row_answered_ja_needs_the_second_step_at_submit(make_survey):
    rows = [{"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"}]
    survey = make_survey(questions=[q("O", type="overlast_grid", rows=rows)])
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(response=start.response, answers={"O": {"rommel": {"komt_voor": "ja"}}})
    with pytest.raises(AnswersIncompleteError) as exc:
        response_submit(response=start.response, resume_token=start.resume_token)
    assert exc.value.extra["errors"][0]["row"] == "rommel"


def test_submit_queues_open_answers_for_moderation(make_survey):
    survey = make_survey(questions=[q("T", type="open_text"), q("U", type="open_text")])
    submit_open(survey, {"T": "Te weinig licht bij het station"})
    moderation = OpenAnswerModeration.objects.get()
    assert moderation.status == OpenAnswerModeration.Status.PENDING
    assert moderation.answer.question.code == "T"


# --- Background questions -------------------------------------------------------------------


def background_questions(**kwargs):
    return [
        q("Q1"),
        q("B1", profile_field="age_band", options=AGE_OPTIONS, **kwargs),
        q("B2", profile_field="sex", options=SEX_OPTIONS, allow_dont_know=True),
        q("B3", type="buurt_choice", profile_field="buurt"),
    ]


def test_open_link_responses_take_buurt_age_and_sex_from_background_questions(make_survey):
    AreaFactory(code="BU05469001", year=2021, col=5)
    buurt = AreaFactory(code="BU05469001", year=2022, col=5)
    survey = make_survey(questions=background_questions())
    response = submit_open(
        survey, {"Q1": "a", "B1": "15-24", "B2": "weet_niet", "B3": "BU05469001"}
    )
    assert response.age_band == "15-24"
    assert response.sex == ""
    assert response.buurt == buurt  # the latest vintage of the code


def test_panel_responses_are_not_asked_known_background_questions(panel_survey):
    buurt = AreaFactory(code="BU05469000")
    other = AreaFactory(code="BU05469001")
    survey, panel = panel_survey(questions=background_questions(required=True))
    membership = member(panel, buurt=buurt, age_band="25-44", sex="")
    issued = invitation_create(survey=survey, membership=membership)
    start = response_start_with_invitation(survey=survey, token=issued.token)
    # B1 (required) is not shown: the membership gives the age band. B2 is asked (sex unknown).
    response_save_answers(
        response=start.response, answers={"Q1": "a", "B2": "vrouw", "B3": other.code}
    )
    response = response_submit(response=start.response, resume_token=start.resume_token)
    assert (response.buurt, response.age_band, response.sex) == (buurt, "25-44", "")
    assert set(response_answers_get(response=response)) == {"Q1", "B2"}


def test_location_answer_on_the_map_and_as_buurt_plus_description(leiden, make_survey):
    area = Area.objects.filter(level="buurt", code__startswith="BU0546").order_by("code")[3]
    survey = make_survey(questions=[q("L", type="location", required=True)])
    start = response_start_open(survey=survey, device_id=device())
    response_save_answers(
        response=start.response, answers={"L": {"lat": area.label_lat, "lon": area.label_lon}}
    )
    assert response_answers_get(response=start.response)["L"][""]["buurt"] == area.code
    with pytest.raises(AnswersInvalidError, match="niet in een buurt"):
        response_save_answers(response=start.response, answers={"L": {"lat": 52.37, "lon": 4.89}})
    response_save_answers(
        response=start.response,
        answers={"L": {"buurt": area.code, "description": "Tunneltje bij het station"}},
    )
    response_submit(response=start.response, resume_token=start.resume_token)
