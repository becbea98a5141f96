"""Who a wave can invite: the eligible panel members (the pool `invitation_wave_issue`
draws from) and, for planning the strata of a wave, their counts per buurt × age band and
how many the fatigue limit keeps out. Only counts leave `wave_candidates`.

Response rates of sent invitations are in `surveys.response_rates`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from participation.models import PanelMembership
from participation.selectors import consent_text_current
from surveys.models import Invitation, InvitationWave, Survey

ALL = "*"


def panel_memberships_eligible(
    *, survey: Survey, fatigue_window_days: int, now: datetime | None = None
) -> QuerySet[PanelMembership]:
    """Members a wave for `survey` may draw from: an active membership of the survey's
    panel with an active account, consent to the panel's **current** consent text (members
    who have not yet agreed to a newer text are asked first; docs/burgerpanel.md), not yet
    invited for this survey and not invited for any survey in the last
    `fatigue_window_days` days (the fatigue limit)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=fatigue_window_days)
    return (
        _panel_memberships_with_current_consent(survey=survey)
        .exclude(
            Exists(
                Invitation.objects.filter(membership=OuterRef("pk")).filter(
                    Q(survey=survey) | Q(created_at__gte=cutoff)
                )
            )
        )
        .order_by("pk")
    )


def _panel_memberships_active(*, survey: Survey) -> QuerySet[PanelMembership]:
    return PanelMembership.objects.filter(
        panel_id=survey.panel_id,
        withdrawn_at__isnull=True,
        user__isnull=False,
        user__is_active=True,
    )


def _panel_memberships_with_current_consent(*, survey: Survey) -> QuerySet[PanelMembership]:
    current = consent_text_current(panel=survey.panel) if survey.panel_id else None
    if current is None:
        return PanelMembership.objects.none()
    return _panel_memberships_active(survey=survey).filter(consent_text=current)


def _not_invited(qs: QuerySet[PanelMembership], survey: Survey) -> QuerySet[PanelMembership]:
    return qs.exclude(Exists(Invitation.objects.filter(membership=OuterRef("pk"), survey=survey)))


# --- Planning a wave ------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateRow:
    """Eligible members of one buurt (code "*" is the whole panel), per age band."""

    code: str
    name: str
    by_band: dict[str, int]
    total: int


@dataclass(frozen=True)
class WaveCandidates:
    fatigue_window_days: int
    eligible: int
    excluded_by_fatigue: int
    awaiting_consent: int  # not invited yet, but their consent is to an older text
    bands: list[tuple[str, str]]
    everyone: CandidateRow
    buurten: list[CandidateRow]


def wave_candidates(*, survey: Survey, fatigue_window_days: int) -> WaveCandidates:
    """How many panel members a new wave could invite, per buurt × age band, how many the
    fatigue limit keeps out and how many wait to agree to the current consent text. Buurten
    without eligible members are left out."""
    bands = [(value, str(label)) for value, label in PanelMembership.AgeBand.choices]
    if survey.panel_id is None:
        empty = CandidateRow(ALL, "", dict.fromkeys((b for b, _l in bands), 0), 0)
        return WaveCandidates(fatigue_window_days, 0, 0, 0, bands, empty, [])
    eligible = panel_memberships_eligible(survey=survey, fatigue_window_days=fatigue_window_days)
    counts: Counter[tuple[str, str, str]] = Counter()
    for code, name, band, n in (
        eligible.order_by()
        .values_list("buurt__code", "buurt__name", "age_band")
        .annotate(n=Count("pk"))
    ):
        counts[(code or "", name or "", band or "")] += n
    not_invited = _not_invited(_panel_memberships_with_current_consent(survey=survey), survey)
    not_invited_any = _not_invited(_panel_memberships_active(survey=survey), survey).count()
    not_invited_count = not_invited.count()
    total = sum(counts.values())

    everyone_bands = dict.fromkeys((b for b, _l in bands), 0)
    per_buurt: dict[tuple[str, str], dict[str, int]] = {}
    for (code, name, band), n in counts.items():
        if band in everyone_bands:
            everyone_bands[band] += n
        if code:
            row = per_buurt.setdefault((code, name), dict.fromkeys((b for b, _l in bands), 0))
            if band in row:
                row[band] += n
    buurt_totals: Counter[tuple[str, str]] = Counter()
    for (code, name, _band), n in counts.items():
        if code:
            buurt_totals[(code, name)] += n
    rows = [
        CandidateRow(code, name, per_buurt[(code, name)], buurt_totals[(code, name)])
        for code, name in sorted(per_buurt, key=lambda key: (key[1], key[0]))
    ]
    return WaveCandidates(
        fatigue_window_days=fatigue_window_days,
        eligible=total,
        excluded_by_fatigue=not_invited_count - total,
        awaiting_consent=not_invited_any - not_invited_count,
        bands=bands,
        everyone=CandidateRow(ALL, "", everyone_bands, total),
        buurten=rows,
    )


def invitation_wave_list(*, survey: Survey) -> QuerySet[InvitationWave]:
    """The waves of a survey, oldest first, with `invited`: the number of invitations."""
    return (
        InvitationWave.objects.filter(survey=survey)
        .select_related("created_by")
        .annotate(invited=Count("invitations"))
        .order_by("created_at", "pk")
    )
