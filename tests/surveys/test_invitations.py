"""Invitations: single invitations, waves (all / stratified, fatigue window), the e-mail
task with token rotation, and reminders."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from participation.services import panel_leave
from surveys.exceptions import (
    InvitationNotPossibleError,
    InvitationUsedError,
    SurveyClosedError,
    SurveyNotOpenError,
    WaveInvalidError,
    WaveIssuedError,
)
from surveys.models import Invitation, Survey
from surveys.selectors import invitation_stats
from surveys.services import (
    invitation_create,
    invitation_reminders_send,
    invitation_wave_create,
    invitation_wave_issue,
    invitations_due_for_reminder,
    response_start_with_invitation,
    response_submit,
    survey_close,
)
from surveys.tasks import invitation_send_task
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory, UserFactory
from tests.surveys.helpers import build_survey, member, q

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/vragenlijst/[\w-]+/uitnodiging/([\w-]+)/")


def token_in(message) -> str:
    return LINK.search(message.body).group(1)


@pytest.fixture
def panel_and_survey():
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    return panel, survey


def test_invitation_create_refuses_members_of_other_panels_withdrawn_and_duplicates(
    panel_and_survey,
):
    panel, survey = panel_and_survey
    with pytest.raises(InvitationNotPossibleError, match="hoort niet bij het panel"):
        invitation_create(survey=survey, membership=member(BurgerpanelFactory()))
    withdrawn = member(panel)
    panel_leave(membership=withdrawn)
    with pytest.raises(InvitationNotPossibleError, match="beëindigd"):
        invitation_create(survey=survey, membership=withdrawn)
    inactive = member(panel, user=UserFactory(is_active=False))
    with pytest.raises(InvitationNotPossibleError, match="niet actief"):
        invitation_create(survey=survey, membership=inactive)
    membership = member(panel)
    invitation_create(survey=survey, membership=membership)
    with pytest.raises(InvitationNotPossibleError, match="al uitgenodigd"):
        invitation_create(survey=survey, membership=membership)


def test_invitation_expires_at_the_survey_close_at_the_latest(panel_and_survey, settings):
    panel, survey = panel_and_survey
    settings.SURVEYS_INVITATION_VALID_DAYS = 28
    closes = timezone.now() + dt.timedelta(days=3)
    Survey.objects.filter(pk=survey.pk).update(closes_at=closes)
    survey.refresh_from_db()
    issued = invitation_create(survey=survey, membership=member(panel))
    assert issued.invitation.expires_at == closes


# --- Waves ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "targets", "message"),
    [
        ("all", {"*|*": 3}, "geen aantallen"),
        ("stratified", {}, "per stratum"),
        ("stratified", {"BU05469000": 3}, "ongeldig"),
        ("stratified", {"XX|25-44": 3}, "ongeldig"),
        ("stratified", {"*|12-14": 3}, "ongeldig"),
        ("stratified", {"*|*": 0}, "positief"),
        ("random", {}, "Onbekende selectie"),
    ],
)
def test_wave_create_validates_targets(panel_and_survey, mode, targets, message):
    _panel, survey = panel_and_survey
    with pytest.raises(WaveInvalidError, match=message):
        invitation_wave_create(
            survey=survey, name="Ronde 1", created_by=None, mode=mode, targets=targets
        )


def test_wave_needs_a_panel_survey():
    survey = build_survey(questions=[q("Q1")])
    with pytest.raises(WaveInvalidError, match="geen burgerpanel"):
        invitation_wave_create(survey=survey, name="R", created_by=None, mode="all")


def test_wave_all_invites_every_eligible_member_and_mails_them(
    panel_and_survey, django_capture_on_commit_callbacks
):
    panel, survey = panel_and_survey
    members = [member(panel) for _ in range(3)]
    panel_leave(membership=member(panel))  # withdrawn: not invited
    member(BurgerpanelFactory())  # other panel: not invited
    wave = invitation_wave_create(survey=survey, name="Ronde 1", created_by=None, mode="all")

    with django_capture_on_commit_callbacks(execute=True):
        invitations = invitation_wave_issue(wave=wave)

    assert {i.membership_id for i in invitations} == {m.pk for m in members}
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {m.user.email for m in members}
    assert all(i.sent_at for i in Invitation.objects.all())
    # The link in the mail works once.
    token = token_in(mail.outbox[0])
    start = response_start_with_invitation(survey=survey, token=token)
    response_submit(response=start.response, resume_token=start.resume_token)
    stats = invitation_stats(survey=survey)
    assert (stats.invited, stats.sent, stats.started, stats.responded) == (3, 3, 1, 1)
    with pytest.raises(WaveIssuedError):
        invitation_wave_issue(wave=wave)


def test_wave_respects_max_invitations_and_the_fatigue_window(panel_and_survey):
    panel, survey = panel_and_survey
    members = [member(panel) for _ in range(5)]
    other_survey = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    recent = invitation_create(survey=other_survey, membership=members[0]).invitation
    old = invitation_create(survey=other_survey, membership=members[1]).invitation
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=100))
    assert recent.created_at > timezone.now() - dt.timedelta(days=1)

    wave = invitation_wave_create(
        survey=survey, name="R", created_by=None, mode="all", fatigue_window_days=90
    )
    invited = {i.membership_id for i in invitation_wave_issue(wave=wave)}
    assert invited == {m.pk for m in members[1:]}

    capped = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    wave = invitation_wave_create(
        survey=capped, name="R", created_by=None, mode="all", fatigue_window_days=0,
        max_invitations=2,
    )  # fmt: skip
    assert len(invitation_wave_issue(wave=wave)) == 2


def test_stratified_wave_draws_per_buurt_wijk_and_age_band(panel_and_survey):
    panel, survey = panel_and_survey
    bu_a = AreaFactory(code="BU05469000", col=0)
    bu_b = AreaFactory(code="BU05469001", col=1)
    bu_c = AreaFactory(code="BU05469100", col=2)
    young_a = [member(panel, buurt=bu_a, age_band="15-24") for _ in range(4)]
    old_a = [member(panel, buurt=bu_a, age_band="65+") for _ in range(3)]
    mid_b = [member(panel, buurt=bu_b, age_band="25-44") for _ in range(3)]
    wijk_2 = [member(panel, buurt=bu_c, age_band="45-64") for _ in range(3)]
    wave = invitation_wave_create(
        survey=survey,
        name="Gestratificeerd",
        created_by=None,
        mode="stratified",
        targets={
            "BU05469000|15-24": 2,
            "WK054690|25-44": 5,  # more than available: takes all 3
            "WK054691|*": 1,
            "*|65+": 1,
        },
    )
    invited = {i.membership_id for i in invitation_wave_issue(wave=wave)}
    assert len(invited & {m.pk for m in young_a}) == 2
    assert invited >= {m.pk for m in mid_b}
    assert len(invited & {m.pk for m in wijk_2}) == 1
    assert len(invited & {m.pk for m in old_a}) == 1
    assert len(invited) == 7


def test_wave_issue_needs_an_open_survey(panel_and_survey):
    panel, _survey = panel_and_survey
    draft = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel, publish=False)
    wave = invitation_wave_create(survey=draft, name="R", created_by=None, mode="all")
    with pytest.raises(SurveyNotOpenError):
        invitation_wave_issue(wave=wave)
    survey_close(survey=draft)
    with pytest.raises(SurveyClosedError):
        invitation_wave_create(survey=draft, name="R", created_by=None, mode="all")


# --- E-mails and reminders ------------------------------------------------------------------


def test_every_mail_rotates_the_token_so_older_links_stop_working(panel_and_survey):
    panel, survey = panel_and_survey
    invitation = invitation_create(survey=survey, membership=member(panel)).invitation
    assert invitation_send_task.call(invitation_id=invitation.pk) is True
    first = token_in(mail.outbox[0])
    assert invitation_send_task.call(invitation_id=invitation.pk, reminder=True) is True
    second = token_in(mail.outbox[1])
    assert first != second
    assert mail.outbox[1].subject.startswith("Herinnering")
    invitation.refresh_from_db()
    assert (invitation.reminder_count, invitation.last_reminded_at is not None) == (1, True)
    from surveys.exceptions import InvitationInvalidError

    with pytest.raises(InvitationInvalidError):
        response_start_with_invitation(survey=survey, token=first)
    response_start_with_invitation(survey=survey, token=second)
    # Started: no more mails.
    assert invitation_send_task.call(invitation_id=invitation.pk, reminder=True) is False
    assert len(mail.outbox) == 2


def test_no_mail_for_withdrawn_members_or_missing_invitations(panel_and_survey):
    panel, survey = panel_and_survey
    membership = member(panel)
    invitation = invitation_create(survey=survey, membership=membership).invitation
    panel_leave(membership=membership)
    assert invitation_send_task.call(invitation_id=invitation.pk) is False
    assert invitation_send_task.call(invitation_id=999_999) is False
    assert mail.outbox == []


def test_invitation_mail_says_answers_are_anonymous(panel_and_survey):
    panel, survey = panel_and_survey
    invitation = invitation_create(survey=survey, membership=member(panel)).invitation
    invitation_send_task.call(invitation_id=invitation.pk)
    body = mail.outbox[0].body
    assert "anoniem" in body
    assert survey.title in body


def test_reminders_go_to_unstarted_invitations_after_the_interval(panel_and_survey, settings):
    settings.SURVEYS_INVITATION_REMINDER_DAYS = 7
    settings.SURVEYS_INVITATION_MAX_REMINDERS = 2
    panel, survey = panel_and_survey
    now = timezone.now()
    due, fresh, started, maxed = (
        invitation_create(survey=survey, membership=member(panel)) for _ in range(4)
    )
    Invitation.objects.filter(pk__in=[due.invitation.pk, started.invitation.pk]).update(
        sent_at=now - dt.timedelta(days=8)
    )
    Invitation.objects.filter(pk=fresh.invitation.pk).update(sent_at=now - dt.timedelta(days=2))
    Invitation.objects.filter(pk=maxed.invitation.pk).update(
        sent_at=now - dt.timedelta(days=30),
        reminder_count=2,
        last_reminded_at=now - dt.timedelta(days=8),
    )
    response_start_with_invitation(survey=survey, token=started.token)

    assert invitations_due_for_reminder() == [due.invitation.pk]
    assert invitation_reminders_send() == 1
    assert len(mail.outbox) == 1
    due.invitation.refresh_from_db()
    assert due.invitation.reminder_count == 1
    assert invitations_due_for_reminder() == []
    # A week later the reminded invitation and the one sent two days ago are due.
    later = invitations_due_for_reminder(now=now + dt.timedelta(days=8))
    assert later == [due.invitation.pk, fresh.invitation.pk]


def test_used_token_from_a_wave_mail_cannot_start_twice(panel_and_survey):
    panel, survey = panel_and_survey
    invitation = invitation_create(survey=survey, membership=member(panel)).invitation
    invitation_send_task.call(invitation_id=invitation.pk)
    token = token_in(mail.outbox[0])
    response_start_with_invitation(survey=survey, token=token)
    with pytest.raises(InvitationUsedError):
        response_start_with_invitation(survey=survey, token=token)
