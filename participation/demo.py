"""Demo accounts for every role, created through the services (used by `seed_demo`).

All demo accounts share one password and have a verified e-mail address. The staff accounts
have two-step verification switched on with a fixed, documented TOTP secret: add it to an
authenticator app (manual entry, 6 digits, 30 seconds, SHA-1) to sign in. These credentials
are public, so the accounts are only created with DEBUG on or BUURTSTEM_DEMO_ACCOUNTS=True.

Seeding is idempotent: what exists is left alone (a changed password or TOTP secret is not
reset; delete the account and seed again to restore it).
"""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction

from geo.codes import AreaLevel
from geo.models import Area
from geo.selectors import area_get, area_list
from participation.exceptions import DemoAccountsNotAllowedError
from participation.models import (
    Burgerpanel,
    ConsentText,
    PanelMembership,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.roles import ADMINISTRATOR, MODERATOR, POLICY_STAFF, ROLE_DEFINITIONS
from participation.selectors import (
    burgerpanel_get_by_slug,
    consent_text_current,
    panel_membership_active,
    user_get_by_email,
    user_has_role,
    wijkraad_get_by_slug,
)
from participation.services import (
    burgerpanel_create,
    consent_text_create,
    consent_text_publish,
    panel_join,
    user_create,
    user_role_grant,
    wijkraad_areas_set,
    wijkraad_create,
    wijkraad_member_add,
)

DEMO_PASSWORD = "Buurtstem-demo-2026"  # noqa: S105 (public demo credential, documented)

# Fixed base32 TOTP secrets for the demo staff accounts (public, documented).
DEMO_TOTP_SECRETS = {
    POLICY_STAFF: "BUURTSTEMDEMOBELEIDSMEDEWERKER22",
    MODERATOR: "BUURTSTEMDEMOMODERATOR2345672345",
    ADMINISTRATOR: "BUURTSTEMDEMOBEHEERDER2345672345",
}

RESIDENT_EMAIL = "bewoner@buurtstem.test"
PANEL_MEMBER_EMAIL = "panellid@buurtstem.test"
WIJKRAAD_MEMBER_EMAIL = "wijkraad@buurtstem.test"
POLICY_STAFF_EMAIL = "beleid@buurtstem.test"
MODERATOR_EMAIL = "moderator@buurtstem.test"
ADMINISTRATOR_EMAIL = "beheer@buurtstem.test"

DEMO_MUNICIPALITY_CODE = "GM0546"
DEMO_PANEL_NAME = "Burgerpanel Leiden"
DEMO_PANEL_SLUG = "burgerpanel-leiden"
DEMO_CONSENT_BODY = (
    "Ik doe mee aan het Burgerpanel Leiden. De gemeente mag mij per e-mail uitnodigen voor "
    "vragenlijsten over veiligheid in mijn buurt. Mijn buurt, leeftijdsgroep en geslacht "
    "worden alleen gebruikt om de panelsamenstelling te bewaken en uitkomsten te wegen. Ik "
    "kan mij altijd uitschrijven; dan worden deze gegevens gewist."
)
DEMO_WIJKRAAD_NAME = "Wijkraad Binnenstad"
DEMO_WIJKRAAD_SLUG = "wijkraad-binnenstad"
DEMO_WIJKRAAD_AREA_CODES = ("WK054600", "WK054601")


@dataclass(frozen=True)
class DemoAccount:
    role_label: str
    email: str
    password: str
    totp_secret: str | None = None


def _demo_accounts() -> list[DemoAccount]:
    def staff(role_key: str, email: str) -> DemoAccount:
        return DemoAccount(
            role_label=str(ROLE_DEFINITIONS[role_key].label),
            email=email,
            password=DEMO_PASSWORD,
            totp_secret=DEMO_TOTP_SECRETS[role_key],
        )

    return [
        DemoAccount("Bewoner", RESIDENT_EMAIL, DEMO_PASSWORD),
        DemoAccount("Panellid", PANEL_MEMBER_EMAIL, DEMO_PASSWORD),
        DemoAccount("Wijkraadlid", WIJKRAAD_MEMBER_EMAIL, DEMO_PASSWORD),
        staff(POLICY_STAFF, POLICY_STAFF_EMAIL),
        staff(MODERATOR, MODERATOR_EMAIL),
        staff(ADMINISTRATOR, ADMINISTRATOR_EMAIL),
    ]


def demo_accounts_allowed() -> bool:
    return bool(getattr(settings, "BUURTSTEM_DEMO_ACCOUNTS", settings.DEBUG))


def demo_accounts_seed(*, create: bool = True) -> list[DemoAccount]:
    """The demo accounts; with `create=True` they (and the demo panel and wijkraad) are
    created first where missing. `create=False` writes nothing."""
    accounts = _demo_accounts()
    if not create:
        return accounts
    if not demo_accounts_allowed():
        raise DemoAccountsNotAllowedError()
    with transaction.atomic():
        users = {account.email: _user_ensure(account) for account in accounts}
        for role_key, email in (
            (POLICY_STAFF, POLICY_STAFF_EMAIL),
            (MODERATOR, MODERATOR_EMAIL),
            (ADMINISTRATOR, ADMINISTRATOR_EMAIL),
        ):
            _staff_role_ensure(users[email], role_key)
        _panel_membership_ensure(users[PANEL_MEMBER_EMAIL])
        _wijkraad_membership_ensure(users[WIJKRAAD_MEMBER_EMAIL])
    return accounts


def _user_ensure(account: DemoAccount) -> User:
    try:
        return user_get_by_email(email=account.email)
    except User.DoesNotExist:
        return user_create(
            email=account.email,
            password=account.password,
            display_name=f"Demo {account.role_label.lower()}",
            email_verified=True,
        )


def _staff_role_ensure(user: User, role_key: str) -> None:
    if not user_has_role(user=user, role_key=role_key):
        user_role_grant(user=user, role_key=role_key, granted_by=None)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRETS[role_key])


def _demo_panel() -> tuple[Burgerpanel, ConsentText]:
    try:
        panel = burgerpanel_get_by_slug(slug=DEMO_PANEL_SLUG)
    except Burgerpanel.DoesNotExist:
        panel = burgerpanel_create(
            name=DEMO_PANEL_NAME,
            slug=DEMO_PANEL_SLUG,
            municipality_codes=[DEMO_MUNICIPALITY_CODE],
        )
    consent_text = consent_text_current(panel=panel)
    if consent_text is None:
        draft = panel.consent_texts.filter(published_at__isnull=True).order_by("version").first()
        if draft is None:
            draft = consent_text_create(panel=panel, body=DEMO_CONSENT_BODY)
        consent_text = consent_text_publish(consent_text=draft)
    return panel, consent_text


def _panel_membership_ensure(user: User) -> PanelMembership:
    panel, consent_text = _demo_panel()
    membership = panel_membership_active(user=user, panel=panel)
    if membership is not None:
        return membership
    buurt = area_list(level=AreaLevel.BUURT, municipality_code=DEMO_MUNICIPALITY_CODE).first()
    return panel_join(
        user=user,
        panel=panel,
        buurt=buurt,
        age_band=PanelMembership.AgeBand.AGE_45_64,
        sex=PanelMembership.Sex.LIEVER_NIET,
        consent_text=consent_text,
    )


def _wijkraad_membership_ensure(user: User) -> WijkraadMembership:
    areas = []
    for code in DEMO_WIJKRAAD_AREA_CODES:
        try:
            areas.append(area_get(code=code))
        except Area.DoesNotExist:
            continue  # areas not imported yet: the wijkraad starts without scope
    try:
        wijkraad = wijkraad_get_by_slug(slug=DEMO_WIJKRAAD_SLUG)
    except Wijkraad.DoesNotExist:
        wijkraad = wijkraad_create(name=DEMO_WIJKRAAD_NAME, slug=DEMO_WIJKRAAD_SLUG, areas=areas)
    else:
        current = set(wijkraad.areas.all())
        if not set(areas) <= current:
            wijkraad_areas_set(wijkraad=wijkraad, areas=current | set(areas))
    membership = wijkraad.memberships.filter(user=user).first()
    if membership is None:
        membership = wijkraad_member_add(wijkraad=wijkraad, user=user)
    return membership
