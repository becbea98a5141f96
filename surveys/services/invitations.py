"""Write use cases for panel invitations: single invitations, waves (all or a stratified
sample, with a fatigue window) and the token rotation behind every invitation e-mail.

Tokens are random (`secrets.token_urlsafe(32)`) and only their hash is stored, so a token
exists in plain text only in the e-mail that carries it: every e-mail (first invitation or
reminder) gets a fresh token and earlier links stop working (`invitation_mail_prepare`).
Authorisation: `surveys.manage_waves`, checked by the caller.
"""

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import AreaLevel, code_is_valid, parent_code_of
from participation.models import PanelMembership, User
from surveys.exceptions import (
    InvitationNotPossibleError,
    SurveyClosedError,
    SurveyNotOpenError,
    WaveInvalidError,
    WaveIssuedError,
)
from surveys.models import Invitation, InvitationWave, Survey
from surveys.panel_reach import panel_memberships_eligible
from surveys.tokens import invitation_token_hash, token_new

AGE_BANDS = tuple(PanelMembership.AgeBand.values)
_STRATUM = re.compile(r"^([^|]+)\|([^|]+)$")


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation and its token; the token is not stored and cannot be shown again."""

    invitation: Invitation
    token: str


def _default_expiry(now: datetime, survey: Survey) -> datetime:
    expires = now + timedelta(days=_setting("SURVEYS_INVITATION_VALID_DAYS", 28))
    return min(expires, survey.closes_at) if survey.closes_at else expires


def _membership_invitable(survey: Survey, membership: PanelMembership) -> None:
    if survey.panel_id is None or membership.panel_id != survey.panel_id:
        raise InvitationNotPossibleError(
            _("Dit panellid hoort niet bij het panel van deze vragenlijst.")
        )
    if membership.withdrawn_at is not None or membership.user is None:
        raise InvitationNotPossibleError(_("Dit panellidmaatschap is beëindigd."))
    if not membership.user.is_active:
        raise InvitationNotPossibleError(_("Het account van dit panellid is niet actief."))


@transaction.atomic
def invitation_create(
    *,
    survey: Survey,
    membership: PanelMembership,
    wave: InvitationWave | None = None,
    expires_at: datetime | None = None,
) -> IssuedInvitation:
    """Invite one panel member (at most once per survey); returns the token once."""
    survey = Survey.objects.get(pk=survey.pk)
    membership = PanelMembership.objects.select_related("user").get(pk=membership.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    _membership_invitable(survey, membership)
    token = token_new()
    invitation = Invitation(
        survey=survey,
        membership=membership,
        wave=wave,
        token_hash=invitation_token_hash(token),
        expires_at=expires_at or _default_expiry(timezone.now(), survey),
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        raise InvitationNotPossibleError(
            _("Dit panellid is al uitgenodigd voor deze vragenlijst.")
        ) from exc
    return IssuedInvitation(invitation=invitation, token=token)


def _targets_check(mode: str, targets: Any) -> dict[str, int]:
    if mode == InvitationWave.Mode.ALL:
        if targets:
            raise WaveInvalidError(_("Bij 'alle geschikte panelleden' horen geen aantallen."))
        return {}
    if mode != InvitationWave.Mode.STRATIFIED:
        raise WaveInvalidError(_("Onbekende selectie %(mode)s.") % {"mode": mode})
    if not isinstance(targets, Mapping) or not targets:
        raise WaveInvalidError(_("Geef per stratum het aantal uit te nodigen panelleden."))
    clean: dict[str, int] = {}
    for key, count in targets.items():
        match = _STRATUM.match(key) if isinstance(key, str) else None
        area, band = match.groups() if match else ("", "")
        area_ok = (
            area == "*"
            or code_is_valid(area, AreaLevel.BUURT)
            or code_is_valid(area, AreaLevel.WIJK)
        )
        if not match or not area_ok or (band != "*" and band not in AGE_BANDS):
            raise WaveInvalidError(
                _(
                    "Stratum %(key)r is ongeldig; gebruik 'buurtcode|leeftijdsgroep', met een "
                    "wijkcode of * voor het gebied en * voor alle leeftijden."
                )
                % {"key": key},
                extra={"stratum": key},
            )
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise WaveInvalidError(
                _("Het aantal voor %(key)s moet een positief geheel getal zijn.") % {"key": key},
                extra={"stratum": key},
            )
        clean[key] = count
    return clean


@transaction.atomic
def invitation_wave_create(
    *,
    survey: Survey,
    name: str,
    created_by: User | None,
    mode: str,
    targets: Mapping[str, int] | None = None,
    fatigue_window_days: int = 90,
    max_invitations: int | None = None,
) -> InvitationWave:
    """Define an invitation wave; nothing is sent until `invitation_wave_issue`.

    mode "all": every eligible member (a random `max_invitations` of them when set).
    mode "stratified": per stratum "<buurt code | wijk code | *>|<age band | *>" a random
    sample of that many eligible members (strata are filled in the given order; a member
    is drawn at most once). Eligible: active membership of the survey's panel with an
    active account, not yet invited for this survey and not invited for any survey in the
    last `fatigue_window_days` days."""
    survey = Survey.objects.get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    if survey.panel_id is None:
        raise WaveInvalidError(_("Deze vragenlijst heeft geen burgerpanel."))
    if not name.strip():
        raise WaveInvalidError(_("Geef de ronde een naam."))
    if max_invitations is not None and max_invitations < 1:
        raise WaveInvalidError(_("Het maximum moet minstens 1 zijn."))
    if fatigue_window_days < 0:
        raise WaveInvalidError(_("De rustperiode kan niet negatief zijn."))
    return InvitationWave.objects.create(
        survey=survey,
        name=name.strip(),
        created_by=created_by,
        mode=mode,
        targets=_targets_check(mode, targets or {}),
        fatigue_window_days=fatigue_window_days,
        max_invitations=max_invitations,
    )


def _eligible_memberships(wave: InvitationWave, now: datetime) -> list[PanelMembership]:
    return list(
        panel_memberships_eligible(
            survey=wave.survey, fatigue_window_days=wave.fatigue_window_days, now=now
        ).select_related("buurt")
    )


def _in_stratum(membership: PanelMembership, area: str, band: str) -> bool:
    if band != "*" and membership.age_band != band:
        return False
    if area == "*":
        return True
    buurt = membership.buurt
    if buurt is None:
        return False
    if area.startswith("BU"):
        return buurt.code == area
    return (buurt.parent_code or parent_code_of(buurt.code)) == area


def wave_draw(wave: InvitationWave, eligible: list[PanelMembership]) -> list[PanelMembership]:
    """The random selection of a wave from the eligible members."""
    rng = secrets.SystemRandom()
    if wave.mode == InvitationWave.Mode.ALL:
        chosen = list(eligible)
        if wave.max_invitations is not None and len(chosen) > wave.max_invitations:
            chosen = rng.sample(chosen, wave.max_invitations)
        return chosen
    chosen, taken = [], set()
    for key, count in wave.targets.items():
        area, band = key.split("|")
        pool = [m for m in eligible if m.pk not in taken and _in_stratum(m, area, band)]
        drawn = rng.sample(pool, min(count, len(pool)))
        chosen += drawn
        taken.update(m.pk for m in drawn)
    if wave.max_invitations is not None:
        chosen = chosen[: wave.max_invitations]
    return chosen


@transaction.atomic
def invitation_wave_issue(*, wave: InvitationWave) -> list[Invitation]:
    """Draw the wave, create its invitations and queue one e-mail per invitation (after
    commit). The survey must be published and taking responses."""
    from surveys.tasks import invitation_send_task

    wave = InvitationWave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    if wave.issued_at is not None:
        raise WaveIssuedError()
    survey = wave.survey
    now = timezone.now()
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    if not survey.accepts_responses_at(now):
        raise SurveyNotOpenError()
    chosen = wave_draw(wave, _eligible_memberships(wave, now))
    expires_at = _default_expiry(now, survey)
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                membership=membership,
                wave=wave,
                # A placeholder hash: the real token is made when the e-mail is sent.
                token_hash=invitation_token_hash(token_new()),
                expires_at=expires_at,
            )
            for membership in chosen
        ]
    )
    wave.issued_at = now
    wave.save(update_fields=["issued_at"])
    ids = list(Invitation.objects.filter(wave=wave).order_by("pk").values_list("pk", flat=True))

    def enqueue() -> None:
        for invitation_id in ids:
            invitation_send_task.enqueue(invitation_id=invitation_id, reminder=False)

    transaction.on_commit(enqueue)
    return invitations


@transaction.atomic
def invitation_mail_prepare(*, invitation: Invitation, reminder: bool) -> str | None:
    """Rotate the token of an invitation about to be e-mailed and record the mailing;
    returns the new token, or None when nothing should be sent (already started or
    answered, expired, membership withdrawn, account inactive, survey not open)."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey", "membership__user")
        .get(pk=invitation.pk)
    )
    now = timezone.now()
    membership = invitation.membership
    if (
        invitation.used_at is not None
        or invitation.responded_at is not None
        or invitation.expires_at <= now
        or membership is None
        or membership.withdrawn_at is not None
        or membership.user is None
        or not membership.user.is_active
        or not invitation.survey.accepts_responses_at(now)
    ):
        return None
    token = token_new()
    invitation.token_hash = invitation_token_hash(token)
    if reminder:
        invitation.reminder_count += 1
        invitation.last_reminded_at = now
    else:
        invitation.sent_at = now
    invitation.save(update_fields=["token_hash", "reminder_count", "last_reminded_at", "sent_at"])
    return token


def invitations_due_for_reminder(*, now: datetime | None = None) -> list[int]:
    """Ids of sent invitations that were not started, are still valid and whose last
    e-mail is at least SURVEYS_INVITATION_REMINDER_DAYS (7) old, up to
    SURVEYS_INVITATION_MAX_REMINDERS (2) reminders."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=_setting("SURVEYS_INVITATION_REMINDER_DAYS", 7))
    qs = (
        Invitation.objects.open(now)
        .filter(
            sent_at__isnull=False,
            reminder_count__lt=_setting("SURVEYS_INVITATION_MAX_REMINDERS", 2),
            survey__in=Survey.objects.accepting_responses(now),
            membership__withdrawn_at__isnull=True,
        )
        .filter(
            Q(last_reminded_at__isnull=True, sent_at__lte=cutoff) | Q(last_reminded_at__lte=cutoff)
        )
    )
    return list(qs.order_by("pk").values_list("pk", flat=True))


def invitation_reminders_send() -> int:
    """Queue a reminder e-mail for every invitation due (scheduled daily)."""
    from surveys.tasks import invitation_send_task

    ids = invitations_due_for_reminder()
    for invitation_id in ids:
        invitation_send_task.enqueue(invitation_id=invitation_id, reminder=True)
    return len(ids)
