"""Demo accounts for every role (participation.demo, used by `seed_demo`)."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from participation.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRETS,
    demo_accounts_seed,
)
from participation.exceptions import DemoAccountsNotAllowedError
from participation.models import (
    Burgerpanel,
    ConsentText,
    PanelMembership,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.selectors import area_in_wijkraad_scope, user_role_keys
from tests.participation.helpers import login_with_totp

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "bewoner@buurtstem.test": [],
    "panellid@buurtstem.test": [],
    "wijkraad@buurtstem.test": [],
    "beleid@buurtstem.test": ["policy_staff"],
    "moderator@buurtstem.test": ["moderator"],
    "beheer@buurtstem.test": ["administrator"],
}


@pytest.fixture(autouse=True)
def _demo_allowed(settings):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            EmailAddress,
            Authenticator,
            User.groups.through,
            Burgerpanel,
            ConsentText,
            PanelMembership,
            Wijkraad,
            WijkraadMembership,
        )
    }


def test_seed_creates_an_account_for_every_role(leiden):
    accounts = demo_accounts_seed()

    assert [a.email for a in accounts] == list(EXPECTED_ROLES)
    for account in accounts:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert account.password == DEMO_PASSWORD
        assert not user.is_superuser
        assert not user.is_staff
        assert EmailAddress.objects.filter(
            user=user, email=account.email, verified=True, primary=True
        ).exists()
        assert user_role_keys(user=user) == EXPECTED_ROLES[account.email]
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if EXPECTED_ROLES[account.email]:
            role_key = EXPECTED_ROLES[account.email][0]
            assert account.totp_secret == DEMO_TOTP_SECRETS[role_key]
            assert decrypt(totp.data["secret"]) == account.totp_secret
        else:
            assert account.totp_secret is None
            assert totp is None


def test_seed_enrols_the_panel_member_with_consent_v1(leiden):
    demo_accounts_seed()
    membership = PanelMembership.objects.get(user__email="panellid@buurtstem.test")
    assert membership.panel.name == "Burgerpanel Leiden"
    assert membership.panel.municipality_codes == ["GM0546"]
    assert membership.consent_text.version == 1
    assert membership.consent_text.is_published
    assert membership.buurt is not None
    assert membership.buurt.code.startswith("BU0546")


def test_seed_scopes_the_wijkraad_member_to_the_binnenstad(leiden):
    demo_accounts_seed()
    wijkraad = Wijkraad.objects.get(name="Wijkraad Binnenstad")
    assert sorted(a.code for a in wijkraad.areas.all()) == ["WK054600", "WK054601"]
    member = User.objects.get(email="wijkraad@buurtstem.test")
    binnenstad_buurt = wijkraad.areas.first().children.first()
    assert area_in_wijkraad_scope(user=member, area=binnenstad_buurt)
    assert member.has_perm("participation.view_area_summary", binnenstad_buurt)


def test_seed_is_idempotent(leiden):
    demo_accounts_seed()
    first = _counts()
    demo_accounts_seed()
    assert _counts() == first
    assert first["User"] == 6
    assert first["Authenticator"] == 3
    assert first["PanelMembership"] == 1
    assert first["WijkraadMembership"] == 1


def test_seed_without_areas_skips_the_scope_and_adds_it_later():
    demo_accounts_seed()
    wijkraad = Wijkraad.objects.get(name="Wijkraad Binnenstad")
    assert wijkraad.areas.count() == 0
    assert PanelMembership.objects.get(user__email="panellid@buurtstem.test").buurt is None

    from geo.demo import leiden_areas_seed

    leiden_areas_seed()
    demo_accounts_seed()
    assert wijkraad.areas.count() == 2
    assert Wijkraad.objects.count() == 1


def test_seed_without_create_writes_nothing():
    before = _counts()
    accounts = demo_accounts_seed(create=False)
    assert [a.email for a in accounts] == list(EXPECTED_ROLES)
    assert _counts() == before
    assert not Group.objects.filter(user__isnull=False).exists()


def test_seed_refused_unless_demo_accounts_are_allowed(settings):
    del settings.BUURTSTEM_DEMO_ACCOUNTS
    settings.DEBUG = False
    with pytest.raises(DemoAccountsNotAllowedError):
        demo_accounts_seed()
    assert not User.objects.exists()
    assert len(demo_accounts_seed(create=False)) == 6  # listing stays possible


def test_demo_policy_staff_signs_in_with_the_documented_secret(client, leiden):
    demo_accounts_seed()
    user = User.objects.get(email="beleid@buurtstem.test")
    login_with_totp(client, user, secret=DEMO_TOTP_SECRETS["policy_staff"], password=DEMO_PASSWORD)
    response = client.get(reverse("frontend:staff-home"))
    assert response.status_code == 200


def test_seed_demo_command_prints_the_accounts():
    out = StringIO()
    call_command("seed_demo", reports=0, panel_members=0, stdout=out)
    text = out.getvalue()
    for email in EXPECTED_ROLES:
        assert email in text
    assert DEMO_TOTP_SECRETS["administrator"] in text
    assert DEMO_PASSWORD in text
