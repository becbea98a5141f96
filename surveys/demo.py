"""Leiden demo burgerpanel and two survey waves (2023 and 2025), for `seed_demo`.

* About 2,000 synthetic panel members (accounts `panellid-NNNN@demo.buurtstem.invalid`, a
  reserved domain that can never receive mail, no password), spread over the 54 Leiden
  buurten by their inhabitants of 15 and over, with plausible age bands (more students in
  the centre, older people joining panels more readily) and sex, each consenting to the
  panel's demo consent text.
* Two waves of the template survey (`surveys.template`), panel-only, every active member
  invited. Response rates rise with age (about 30 % of 15–24 to 65 % of 65+) and dip a
  little in 2025; some members start without finishing; 4 % leave the panel between waves.
* Answers follow a latent "problem level" per buurt: the Stationskwartier and the centre
  (horeca, drunk people, parking), Leiden-Noord, Slaaghwijk and parts of Zuidwest score
  worse on overlast and feeling unsafe; the Professoren-, Burgemeesters- and Houtkwartier
  better. By 2025 the Stationskwartier, De Kooi, Noorderkwartier, Slaaghwijk and Boshuizen
  improved visibly; the busiest horeca buurten got a little worse.

Responding goes through the services — starting with the invitation token, saving and
submitting answers, closing the survey — so responses are anonymous exactly like real ones
(no link to a member or invitation; only buurt, age band and sex copies). The 2,000 members
and each wave's invitations are inserted in bulk (`_members_join`, `_invite`): the same rows
`user_create`, `panel_join` and `invitation_create` write (only token hashes stored), with
their checks made once for the batch.
The services stamp "now", so one clearly marked demo-only step then moves the dates of each
wave into its fieldwork period (`_backdate`).

Deterministic for a given `seed` (numpy Generator; tokens and response refs are random but
never affect results). Idempotent: existing members are kept, a wave whose survey exists is
skipped; each wave is one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from geo.codes import AreaLevel, parent_code_of
from geo.models import Area, AreaPopulation
from participation.models import Burgerpanel, ConsentText, PanelMembership, User
from participation.selectors import burgerpanel_get_by_slug, consent_text_current
from participation.services import (
    burgerpanel_create,
    consent_text_create,
    consent_text_publish,
    panel_leave,
)
from participation.taxonomy import taxonomy_seed_default
from surveys.exceptions import SurveyClosedError
from surveys.models import Invitation, Response, Survey, SurveyVersion
from surveys.selectors import questionnaire_get, questionnaire_questions
from surveys.services import (
    response_save_answers,
    response_start_with_invitation,
    response_submit,
    survey_close,
    survey_publish,
    survey_update,
)
from surveys.template import survey_create_from_template
from surveys.tokens import invitation_token_hash, token_new

DEMO_MUNICIPALITY_CODE = "GM0546"
DEMO_EMAIL_DOMAIN = "demo.buurtstem.invalid"
DEMO_PANEL_NAME = "Burgerpanel Leiden"  # the same panel as participation.demo
DEMO_PANEL_SLUG = "burgerpanel-leiden"
DEMO_CONSENT_BODY = (
    "Ik doe mee aan het Burgerpanel Leiden. De gemeente mag mij per e-mail uitnodigen voor "
    "vragenlijsten over veiligheid in mijn buurt. Mijn buurt, leeftijdsgroep en geslacht "
    "worden alleen gebruikt om de panelsamenstelling te bewaken en uitkomsten te wegen. Ik "
    "kan mij altijd uitschrijven; dan worden deze gegevens gewist."
)
MEMBERS = 2000
SEED = 20231002
LEAVE_SHARE = 0.04  # members who leave the panel between the waves
UNFINISHED_SHARE = 0.05  # of those who start, share that never submits


@dataclass(frozen=True)
class Wave:
    year: int
    slug: str
    opens: date
    closes: date
    response_factor: float


WAVES = (
    Wave(2023, "veiligheid-leiden-2023", date(2023, 10, 2), date(2023, 11, 13), 1.0),
    Wave(2025, "veiligheid-leiden-2025", date(2025, 10, 6), date(2025, 11, 17), 0.9),
)

AGE_BANDS = ("15-24", "25-44", "45-64", "65+")
JOIN_PROPENSITY = np.array([0.6, 0.9, 1.2, 1.35])  # panels recruit older people more easily
RESPONSE_RATE = {"15-24": 0.32, "25-44": 0.42, "45-64": 0.55, "65+": 0.66}
SEXES = ("man", "vrouw", "anders", "liever_niet")
SEX_SHARES = (0.485, 0.49, 0.01, 0.015)
CENTRE_WIJKEN = ("WK054600", "WK054601", "WK054602")
STUDENT_SHARE = {True: 0.40, False: 0.22}  # of 15–64 in 15–24: centre wijken / elsewhere
MEN_SHARE = 0.49  # demo model for the sex ratio (CBS `men`/`women` are not shipped)
MODELLED_NOTE = (
    "demo: 15–24, 25–44, 45–64, mannen en vrouwen gemodelleerd uit CBS inwoners, 0–14 en 65+"
)

# Latent problem level (0 = quiet, 1 = much overlast and feeling unsafe) in 2023.
LEVEL_2023: dict[str, float] = {
    "BU05460000": 0.50, "BU05460001": 0.45, "BU05460002": 0.42, "BU05460003": 0.42,
    "BU05460100": 0.55, "BU05460101": 0.50, "BU05460102": 0.52, "BU05460103": 0.58,
    "BU05460104": 0.50, "BU05460105": 0.48, "BU05460106": 0.50, "BU05460107": 0.48,
    "BU05460108": 0.45, "BU05460109": 0.40,
    "BU05460200": 0.78,
    "BU05460300": 0.55, "BU05460301": 0.62, "BU05460302": 0.68,
    "BU05460400": 0.35, "BU05460401": 0.30, "BU05460402": 0.15, "BU05460403": 0.12,
    "BU05460404": 0.16, "BU05460405": 0.35, "BU05460406": 0.30, "BU05460407": 0.25,
    "BU05460408": 0.25, "BU05460409": 0.20,
    "BU05460500": 0.25, "BU05460501": 0.40, "BU05460502": 0.30, "BU05460503": 0.45,
    "BU05460504": 0.52, "BU05460505": 0.30, "BU05460506": 0.45, "BU05460507": 0.45,
    "BU05460600": 0.40, "BU05460601": 0.45, "BU05460602": 0.40,
    "BU05460700": 0.30, "BU05460701": 0.14, "BU05460702": 0.20, "BU05460703": 0.15,
    "BU05460704": 0.35,
    "BU05460800": 0.55, "BU05460801": 0.30, "BU05460802": 0.30, "BU05460803": 0.45,
    "BU05460804": 0.35, "BU05460805": 0.35,
    "BU05460900": 0.30, "BU05460901": 0.28, "BU05460902": 0.30, "BU05460903": 0.35,
}  # fmt: skip
DEFAULT_LEVEL = 0.30
# Change by 2025 (negative = better); every other buurt drifts by GENERAL_CHANGE.
CHANGE_2025: dict[str, float] = {
    "BU05460200": -0.22,  # Stationskwartier: area approach, camera's, more handhaving
    "BU05460302": -0.25,  # De Kooi: wijkaanpak
    "BU05460301": -0.20,  # Noorderkwartier
    "BU05460300": -0.10,  # Groenoord
    "BU05460800": -0.18,  # Slaaghwijk
    "BU05460504": -0.12,  # Boshuizen
    "BU05460000": 0.08,  # Pieterswijk: busier horeca
    "BU05460103": 0.07,  # Pancras-Oost
}
GENERAL_CHANGE = -0.02

# Overlast grid: occurs probability = base + slope·level (+ centre bonus in the centre).
OVERLAST_ITEMS: dict[str, tuple[float, float, float]] = {
    "rommel": (0.40, 0.55, 0.05),
    "straatmeubilair": (0.10, 0.50, 0.05),
    "bekladding": (0.15, 0.55, 0.15),
    "hondenpoep": (0.55, 0.30, 0.0),
    "dronken_mensen": (0.03, 0.55, 0.25),
    "drugs": (0.04, 0.60, 0.05),
    "buurtbewoners": (0.15, 0.30, 0.0),
    "lastigvallen": (0.02, 0.40, 0.05),
    "jongeren": (0.08, 0.65, 0.0),
    "te_hard_rijden": (0.60, 0.20, -0.05),
    "parkeren": (0.45, 0.15, 0.20),
    "agressief_verkeer": (0.28, 0.30, 0.05),
    "horeca": (0.02, 0.10, 0.50),
}
VICTIM_ITEMS: dict[str, tuple[float, float]] = {
    "inbraak": (0.015, 0.05),
    "fietsdiefstal": (0.07, 0.12),
    "vernieling": (0.04, 0.10),
    "bedreiging": (0.02, 0.07),
    "mishandeling": (0.005, 0.025),
    "online_oplichting": (0.05, 0.02),
}
PRIORITY_WEIGHTS: dict[str, tuple[float, float]] = {  # slug: (base, per level)
    "verkeersveiligheid": (3.0, 0.0),
    "fysieke-kwaliteit": (2.2, 1.0),
    "jeugdoverlast": (0.8, 4.0),
    "sociale-kwaliteit": (1.0, 1.0),
    "veelvoorkomende-criminaliteit-hic": (1.2, 2.5),
    "veiligheidsgevoel": (0.8, 2.5),
    "alcohol-drugs-jeugd": (0.4, 2.5),
    "ondermijning": (0.3, 1.0),
    "digitale-veiligheid": (0.8, 0.0),
}
SATISFIED = ("zeer_ontevreden", "ontevreden", "neutraal", "tevreden", "zeer_tevreden")
AGREE = ("helemaal_oneens", "oneens", "neutraal", "eens", "helemaal_eens")


@dataclass
class WaveResult:
    slug: str
    created: bool
    invited: int
    responses: int


@dataclass
class SurveysDemoResult:
    members_created: int
    members_total: int
    waves: list[WaveResult] = field(default_factory=list)

    def summary(self) -> str:
        waves = ", ".join(
            f"{w.slug}: {w.responses} responses of {w.invited} invited"
            + ("" if w.created else " (existing)")
            for w in self.waves
        )
        return (
            f"burgerpanel: {self.members_total} members ({self.members_created} created); {waves}"
        )


@dataclass(frozen=True)
class _Member:
    index: int
    email: str
    buurt: str
    age_band: str
    sex: str
    leaves: bool


# --- Members ----------------------------------------------------------------------------------


def demo_email(index: int) -> str:
    return f"panellid-{index + 1:04d}@{DEMO_EMAIL_DOMAIN}"


def _ensure_reference_data() -> dict[str, Area]:
    buurten = {
        a.code: a
        for a in Area.objects.filter(level=AreaLevel.BUURT, code__startswith="BU0546").order_by(
            "code", "-year"
        )
    }
    if not buurten:
        from geo.demo import leiden_areas_seed

        leiden_areas_seed()
        return _ensure_reference_data()
    taxonomy_seed_default()
    return buurten


def _demo_panel() -> tuple[Burgerpanel, ConsentText]:
    try:
        panel = burgerpanel_get_by_slug(slug=DEMO_PANEL_SLUG)
    except Burgerpanel.DoesNotExist:
        panel = burgerpanel_create(
            name=DEMO_PANEL_NAME, slug=DEMO_PANEL_SLUG, municipality_codes=[DEMO_MUNICIPALITY_CODE]
        )
    consent_text = consent_text_current(panel=panel)
    if consent_text is None:
        draft = panel.consent_texts.filter(published_at__isnull=True).order_by("version").first()
        consent_text = consent_text_publish(
            consent_text=draft or consent_text_create(panel=panel, body=DEMO_CONSENT_BODY)
        )
    return panel, consent_text


def _age_shares(code: str, population: AreaPopulation | None) -> np.ndarray:
    """Shares of the four age bands among inhabitants of 15+ (CBS gives 0–14 and 65+)."""
    inhabitants = (population.inhabitants if population else None) or 0
    young = (population.age_0_14 if population else None) or round(0.1 * inhabitants)
    old = (population.age_65_plus if population else None) or round(0.15 * inhabitants)
    middle = max(inhabitants - young - old, 1)
    students = STUDENT_SHARE[parent_code_of(code) in CENTRE_WIJKEN]
    shares = np.array(
        [middle * students, middle * (1 - students) * 0.6, middle * (1 - students) * 0.4, old],
        dtype=float,
    )
    return shares / shares.sum()


MODELLED_FIELDS = ("age_15_24", "age_25_44", "age_45_64", "men", "women")


def population_model_for_weighting_seed() -> int:
    """Demo only. The shipped CBS key figures give inhabitants, 0–14 and 65+ per area, not
    the three middle age bands nor men and women, which weighting needs (surveys.weighting).
    Fill those empty figures of the Leiden wijken with the age model the panel is drawn
    from (`_age_shares`) and the sex ratio `MEN_SHARE`, and the gemeente's with the wijk
    sums; the rows' `source` says so. Figures CBS gave or withheld are never touched.
    Returns the number of rows completed."""
    done = 0
    wijk_rows = AreaPopulation.objects.filter(
        area__level=AreaLevel.WIJK, area__code__startswith="WK" + DEMO_MUNICIPALITY_CODE[2:]
    ).select_related("area")
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODELLED_FIELDS, 0))
    for row in wijk_rows:
        if None in (row.inhabitants, row.age_0_14, row.age_65_plus):
            continue
        middle = max(row.inhabitants - row.age_0_14 - row.age_65_plus, 0)
        students = STUDENT_SHARE[row.area.code in CENTRE_WIJKEN]
        young = round(middle * students)
        adults = round(middle * (1 - students) * 0.6)
        men = round(row.inhabitants * MEN_SHARE)
        model = {
            "age_15_24": young,
            "age_25_44": adults,
            "age_45_64": middle - young - adults,
            "men": men,
            "women": row.inhabitants - men,
        }
        for name, value in model.items():
            totals[row.year][name] += value
        done += _fill(row, model)
    for row in AreaPopulation.objects.filter(
        area__level=AreaLevel.GEMEENTE, area__code=DEMO_MUNICIPALITY_CODE, year__in=list(totals)
    ):
        done += _fill(row, totals[row.year])
    return done


def _fill(row: AreaPopulation, model: dict[str, int]) -> int:
    empty = [f for f in MODELLED_FIELDS if getattr(row, f) is None and not row.is_suppressed(f)]
    if not empty:
        return 0
    for name in empty:
        setattr(row, name, model[name])
    row.source = f"{row.source}; {MODELLED_NOTE}" if row.source else MODELLED_NOTE
    row.save(update_fields=[*empty, "source", "updated_at"])
    return 1


def _plan_members(rng: np.random.Generator, buurten: dict[str, Area], n: int) -> list[_Member]:
    populations = {
        p.area.code: p
        for p in AreaPopulation.objects.filter(area__in=buurten.values())
        .select_related("area")
        .order_by("area__code", "year")
    }
    codes = sorted(buurten)
    adults = np.array(
        [
            max((populations[c].inhabitants or 0) - (populations[c].age_0_14 or 0), 0)
            if c in populations
            else 0
            for c in codes
        ],
        dtype=float,
    )
    if adults.sum() == 0:
        adults = np.ones(len(codes))
    buurt_idx = rng.choice(len(codes), size=n, p=adults / adults.sum())
    sex_idx = rng.choice(len(SEXES), size=n, p=SEX_SHARES)
    leaves = rng.random(n) < LEAVE_SHARE
    members = []
    for i in range(n):
        code = codes[buurt_idx[i]]
        shares = _age_shares(code, populations.get(code)) * JOIN_PROPENSITY
        band = AGE_BANDS[rng.choice(4, p=shares / shares.sum())]
        members.append(_Member(i, demo_email(i), code, band, SEXES[sex_idx[i]], bool(leaves[i])))
    return members


def _members_ensure(
    plan: list[_Member], buurten: dict[str, Area]
) -> tuple[dict[int, PanelMembership], int]:
    """Create the planned members that do not exist yet; returns the active memberships by
    member index and the number created."""
    panel, consent_text = _demo_panel()
    by_email = {
        m.user.email: m
        for m in PanelMembership.objects.filter(
            panel=panel, withdrawn_at__isnull=True, user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}"
        ).select_related("user", "buurt")
    }
    existing_users = set(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list("email", flat=True)
    )
    new = [
        m for m in plan if m.email not in by_email and m.email not in existing_users
    ]  # members who left the panel earlier stay out
    memberships: dict[int, PanelMembership] = {
        m.index: by_email[m.email] for m in plan if m.email in by_email
    }
    with transaction.atomic():
        memberships.update(_members_join(new, panel, consent_text, buurten))
    return memberships, len(new)


def _members_join(
    new: list[_Member], panel: Burgerpanel, consent_text: ConsentText, buurten: dict[str, Area]
) -> dict[int, PanelMembership]:
    """What `user_create` (no password, verified primary e-mail address) and `panel_join`
    write for each new member, in three bulk inserts instead of 2,000 × 2 service calls. The
    services' checks are made here for the whole batch: new, valid and lower-case e-mail
    addresses, an open panel, its current consent text and buurten of its municipality."""
    if not new:
        return {}
    panel = Burgerpanel.objects.get(pk=panel.pk)
    current = consent_text_current(panel=panel)
    if not panel.is_active or current is None or current.pk != consent_text.pk:
        raise ValueError("The demo panel must be open, with its consent text published.")
    for code in {m.buurt for m in new}:
        buurt = buurten[code]
        if buurt.level != AreaLevel.BUURT or not panel.covers_buurt(buurt):
            raise ValueError(f"{code} is not a buurt of the demo panel.")
    emails = [User.objects.normalize_email(m.email).lower() for m in new]
    if (
        len(set(emails)) != len(emails)
        or User.objects.filter(email__in=emails).exists()
        or EmailAddress.objects.filter(email__in=emails).exists()
    ):
        raise ValueError("Demo e-mail addresses must be new.")
    users = []
    for email in emails:
        validate_email(email)
        user = User(email=email)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    if any(user.pk is None for user in users):  # backends without RETURNING
        by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        for user in users:
            user.pk = by_email[user.email]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    now = timezone.now()
    joined = PanelMembership.objects.bulk_create(
        [
            PanelMembership(
                user=user,
                panel=panel,
                buurt=buurten[member.buurt],
                age_band=member.age_band,
                sex=member.sex,
                consent_text=current,
                consented_at=now,
            )
            for member, user in zip(new, users, strict=True)
        ]
    )
    return {member.index: m for member, m in zip(new, joined, strict=True)}


# --- Answers ----------------------------------------------------------------------------------


def _clip(p: float) -> float:
    return min(max(p, 0.0), 1.0)


def _level(code: str, year: int) -> float:
    level = LEVEL_2023.get(code, DEFAULT_LEVEL)
    if year >= 2025:
        level += CHANGE_2025.get(code, GENERAL_CHANGE)
    return _clip(level)


def _ordinal(rng: np.random.Generator, mean: float, values: tuple[str, ...], sd: float = 0.9):
    score = round(min(max(float(rng.normal(mean, sd)), 0), len(values) - 1))
    return values[score]


def _frequency(rng: np.random.Generator, p_often: float, p_sometimes: float) -> str:
    u = rng.random()
    if u < 0.02:
        return "weet_niet"
    if u < 0.02 + _clip(p_often):
        return "vaak"
    if u < 0.02 + _clip(p_often) + _clip(p_sometimes):
        return "soms"
    return "nooit"


def _answers(
    rng: np.random.Generator,
    member: _Member,
    year: int,
    priorities: list[str],
) -> dict[str, Any]:
    """One respondent's answers, driven by the buurt's problem level in that year."""
    level = _clip(_level(member.buurt, year) + rng.normal(0, 0.12))
    centre = parent_code_of(member.buurt) in CENTRE_WIJKEN
    woman = member.sex == "vrouw"
    old = member.age_band == "65+"
    young = member.age_band == "15-24"
    answers: dict[str, Any] = {
        "Q1": int(min(max(round(rng.normal(8.0 - 2.6 * level, 0.85)), 1), 10)),
        "Q2": int(min(max(round(rng.normal(7.9 - 3.1 * level, 0.95)), 1), 10)),
        "Q3": _frequency(rng, 0.01 + 0.16 * level, 0.10 + 0.45 * level + 0.05 * woman),
        "Q4": _frequency(
            rng, 0.02 + 0.20 * level + 0.04 * woman, 0.15 + 0.40 * level + 0.08 * woman
        ),
        "Q5": _frequency(rng, 0.01 + 0.12 * level, 0.08 + 0.30 * level + 0.05 * old),
    }
    if rng.random() < (0.45 if old else 0.22):
        answers["Q6"] = "kom_daar_niet"
    else:
        answers["Q6"] = "ja" if rng.random() < 0.12 + 0.55 * level - 0.05 * young else "nee"

    overlast = {}
    for key, (base, slope, centre_bonus) in OVERLAST_ITEMS.items():
        if rng.random() < 0.02:
            overlast[key] = "weet_niet"
            continue
        if rng.random() >= _clip(base + slope * level + centre_bonus * centre):
            overlast[key] = {"komt_voor": "nee"}
            continue
        u = rng.random()
        nuisance = "veel" if u < 0.06 + 0.45 * level else "een_beetje" if u < 0.6 else "geen"
        overlast[key] = {"komt_voor": "ja", "overlast": nuisance}
    answers["Q7"] = overlast

    facilities = {}
    for key in ("straten", "groen", "verlichting", "speelplekken", "jongeren"):
        unknown = {"speelplekken": 0.15, "jongeren": 0.3}.get(key, 0.03)
        facilities[key] = (
            "weet_niet"
            if rng.random() < unknown
            else _ordinal(rng, 3.0 - 1.4 * level - 0.5 * (key == "jongeren"), SATISFIED)
        )
    answers["Q8"] = facilities
    cohesion = 2.9 - 1.3 * level
    answers["Q9"] = {
        "kennen_elkaar": _ordinal(rng, 4 - cohesion - 0.3, AGREE),
        "prettig": _ordinal(rng, cohesion + 0.2, AGREE),
        "gezellig": _ordinal(rng, cohesion - 0.2, AGREE),
        "thuis": _ordinal(rng, cohesion, AGREE),
    }
    victim = {
        key: "ja"
        if rng.random() < base + slope * level + (0.08 if key == "fietsdiefstal" and young else 0)
        else "nee"
        for key, (base, slope) in VICTIM_ITEMS.items()
    }
    answers["Q10"] = victim
    if "ja" in victim.values():
        answers["Q11"] = "ja" if rng.random() < 0.45 else "nee"
    answers["Q12"] = "weet_niet" if rng.random() < 0.08 else _ordinal(rng, 2.3 - 0.9 * level, AGREE)
    answers["Q13"] = (
        "weet_niet" if rng.random() < 0.15 else _ordinal(rng, 2.4 - 0.8 * level, SATISFIED)
    )
    if priorities and rng.random() < 0.85:
        weights = np.array(
            [
                PRIORITY_WEIGHTS.get(slug, (0.25, 0.0))[0]
                + PRIORITY_WEIGHTS.get(slug, (0.25, 0.0))[1] * level
                + (2.5 if slug == "veilig-uitgaan-horeca" and centre else 0.0)
                for slug in priorities
            ]
        )
        count = int(rng.integers(1, 4))
        chosen = rng.choice(len(priorities), size=count, replace=False, p=weights / weights.sum())
        answers["Q14"] = [priorities[i] for i in sorted(chosen)]
    return answers


# --- Waves ------------------------------------------------------------------------------------


@dataclass
class _Done:
    """What happened to one invitation (kept in memory only, to backdate the rows)."""

    invitation: Invitation
    started_day: int | None = None
    response: Response | None = None
    submitted_day: int | None = None
    minute: int = 0


def _response_day(rng: np.random.Generator, days: int) -> int:
    """Most answers in the first days, bumps after the reminders on day 7 and 14."""
    u = rng.random()
    start = 0 if u < 0.6 else 7 if u < 0.85 else 14
    return min(start + int(rng.exponential(2.0)), days - 1)


def _local(day: date, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)) + timedelta(minutes=minute))


def _run_wave(
    wave: Wave,
    rng: np.random.Generator,
    plan: list[_Member],
    memberships: dict[int, PanelMembership],
) -> WaveResult:
    panel, _consent = _demo_panel()
    survey = survey_create_from_template(
        created_by=None,
        municipality_code=DEMO_MUNICIPALITY_CODE,
        panel=panel,
        distribution=Survey.Distribution.PANEL_ONLY,
        slug=wave.slug,
    )
    survey = survey_update(
        survey=survey,
        data={
            "title": f"Buurtenquête veiligheid {wave.year}",
            "title_en": f"Neighbourhood safety survey {wave.year}",
        },
    )
    version = survey_publish(survey=survey)
    survey.refresh_from_db()
    questions = questionnaire_questions(questionnaire=questionnaire_get(version=version))
    q14 = next(q for q in questions if q.code == "Q14")
    priorities = [o["value"] for o in q14.options]
    days = (wave.closes - wave.opens).days
    done: list[_Done] = []
    responses = 0
    invited = [m for m in plan if m.index in memberships]
    issued = _invite(survey, [memberships[m.index] for m in invited])
    for member, (invitation, token) in zip(invited, issued, strict=True):
        item = _Done(invitation)
        done.append(item)
        rate = RESPONSE_RATE[member.age_band] * wave.response_factor
        if rng.random() >= rate / (1 - UNFINISHED_SHARE):
            continue
        item.started_day = _response_day(rng, days)
        item.minute = int(rng.integers(8 * 60, 22 * 60))
        start = response_start_with_invitation(survey=survey, token=token)
        if rng.random() < UNFINISHED_SHARE:
            continue  # started, never finished: deleted when the survey closes
        response_save_answers(
            response=start.response, answers=_answers(rng, member, wave.year, priorities)
        )
        item.response = response_submit(response=start.response, resume_token=start.resume_token)
        item.submitted_day = item.started_day
        responses += 1
    survey_close(survey=survey)
    _backdate(wave, survey, version, done)
    return WaveResult(slug=wave.slug, created=True, invited=len(done), responses=responses)


def _invite(survey: Survey, members: list[PanelMembership]) -> list[tuple[Invitation, str]]:
    """What `invitation_create` writes for each member (a token shown once, only its hash
    stored), in one bulk insert; its checks are made here: the survey is open, every member
    is an active member of its panel with an active account."""
    survey = Survey.objects.get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    active = set(
        PanelMembership.objects.filter(
            pk__in=[m.pk for m in members],
            panel_id=survey.panel_id,
            withdrawn_at__isnull=True,
            user__is_active=True,
        ).values_list("pk", flat=True)
    )
    if len(active) != len(members):
        raise ValueError("Only active members of the survey's panel can be invited.")
    now = timezone.now()
    expires_at = now + timedelta(days=settings.SURVEYS_INVITATION_VALID_DAYS)
    if survey.closes_at:
        expires_at = min(expires_at, survey.closes_at)
    tokens = [token_new() for _ in members]
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                membership=membership,
                token_hash=invitation_token_hash(token),
                expires_at=expires_at,
            )
            for membership, token in zip(members, tokens, strict=True)
        ]
    )
    return list(zip(invitations, tokens, strict=True))


def _backdate(wave: Wave, survey: Survey, version: SurveyVersion, done: list[_Done]) -> None:
    """DEMO ONLY: move the wave into its fieldwork period (the services stamp "now").
    Invitation bookkeeping stays at day precision, as the services keep it."""
    opens = _local(wave.opens, 9 * 60)
    closes = _local(wave.closes, 0)
    Survey.objects.filter(pk=survey.pk).update(
        created_at=opens - timedelta(days=21),
        updated_at=closes,
        opens_at=opens,
        closes_at=closes,
        closed_at=closes,
    )
    SurveyVersion.objects.filter(pk=version.pk).update(
        created_at=opens - timedelta(days=21), published_at=opens - timedelta(days=1)
    )
    # Invitations share their dates per (start day, outcome): one UPDATE per group.
    Invitation.objects.filter(survey=survey).update(
        created_at=opens, sent_at=opens, expires_at=closes
    )
    groups: dict[tuple[int | None, bool], list[int]] = defaultdict(list)
    for item in done:
        groups[(item.started_day, item.response is not None)].append(item.invitation.pk)
    for (day, answered), ids in groups.items():
        reminders = 2 if day is None else (0 if day < 7 else 1 if day < 14 else 2)
        used = _local(wave.opens + timedelta(days=day), 0) if day is not None else None
        Invitation.objects.filter(pk__in=ids).update(
            used_at=used,
            responded_at=used if answered else None,
            reminder_count=reminders,
            last_reminded_at=opens + timedelta(days=7 * reminders) if reminders else None,
        )
    submitted = []
    for item in done:
        if item.response is not None:
            started = _local(wave.opens + timedelta(days=item.started_day), item.minute)
            finished = started + timedelta(minutes=11)
            response = Response(pk=item.response.pk)
            response.started_at = started
            response.last_saved_at = response.submitted_at = finished
            submitted.append(response)
    Response.objects.bulk_update(
        submitted, ["started_at", "last_saved_at", "submitted_at"], batch_size=500
    )


def _leave(plan: list[_Member], memberships: dict[int, PanelMembership]) -> None:
    for member in plan:
        if member.leaves and member.index in memberships:
            panel_leave(membership=memberships.pop(member.index))


def surveys_demo_seed(*, members: int = MEMBERS, seed: int = SEED) -> SurveysDemoResult:
    """Seed the demo burgerpanel and both survey waves (idempotent, deterministic)."""
    rng = np.random.default_rng(seed)
    buurten = _ensure_reference_data()
    population_model_for_weighting_seed()
    plan = _plan_members(rng, buurten, members)
    memberships, created = _members_ensure(plan, buurten)
    result = SurveysDemoResult(members_created=created, members_total=0)
    for number, wave in enumerate(WAVES):
        wave_rng = np.random.default_rng([seed, wave.year])
        existing = Survey.objects.filter(slug=wave.slug).first()
        if existing is not None:
            result.waves.append(
                WaveResult(
                    slug=wave.slug,
                    created=False,
                    invited=existing.invitations.count(),
                    responses=existing.responses.filter(submitted_at__isnull=False).count(),
                )
            )
            continue
        with transaction.atomic():
            if number > 0:
                _leave(plan, memberships)
            result.waves.append(_run_wave(wave, wave_rng, plan, memberships))
    result.members_total = PanelMembership.objects.filter(
        panel__slug=DEMO_PANEL_SLUG, withdrawn_at__isnull=True
    ).count()
    return result
