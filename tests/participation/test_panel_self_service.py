"""The member's side of the burgerpanel: open panels, own memberships, profile changes,
renewed consent and who may change a membership."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from geo.codes import AreaLevel
from participation.exceptions import (
    ConsentTextInvalidError,
    MembershipWithdrawnError,
    PanelBuurtInvalidError,
)
from participation.models import PanelMembership
from participation.selectors import (
    burgerpanel_list_open,
    panel_buurt_choice_groups,
    panel_buurt_list,
    panel_membership_consent_outdated,
    panel_membership_get_for_user,
    panel_membership_list_for_user,
)
from participation.services import (
    panel_consent_renew,
    panel_leave,
    panel_membership_profile_update,
    user_role_grant,
)
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    ConsentTextFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
    WijkraadMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel():
    return BurgerpanelFactory(municipality_codes=["GM0546"])


@pytest.fixture
def consent(panel):
    return ConsentTextFactory(panel=panel, version=1)


@pytest.fixture
def membership(panel, consent):
    return PanelMembershipFactory(panel=panel, consent_text=consent)


# --- Selectors ------------------------------------------------------------------------------


def test_burgerpanel_list_open_lists_active_panels_of_the_municipality_with_consent_text():
    # given
    own = BurgerpanelFactory(name="B eigen", municipality_codes=["GM0546"])
    shared = BurgerpanelFactory(name="A gedeeld", municipality_codes=["GM0363", "GM0546"])
    closed = BurgerpanelFactory(municipality_codes=["GM0546"], is_active=False)
    elsewhere = BurgerpanelFactory(municipality_codes=["GM0363"])
    no_text = BurgerpanelFactory(municipality_codes=["GM0546"])
    for p in (own, shared, closed, elsewhere):
        ConsentTextFactory(panel=p)
    ConsentTextFactory(panel=no_text, published_at=None)  # a draft only
    # when
    panels = burgerpanel_list_open(municipality_code="GM0546")
    # then
    assert panels == [shared, own]
    assert panels[0].current_consent_text.panel == shared


def test_panel_membership_list_for_user_only_lists_own_active_memberships(membership):
    PanelMembershipFactory()  # someone else
    PanelMembershipFactory(user=membership.user, withdrawn_at=timezone.now())
    assert list(panel_membership_list_for_user(user=membership.user)) == [membership]
    assert list(panel_membership_list_for_user(user=AnonymousUser())) == []
    got = panel_membership_get_for_user(user=membership.user, panel_slug=membership.panel.slug)
    assert got == membership
    with pytest.raises(PanelMembership.DoesNotExist):
        panel_membership_get_for_user(user=UserFactory(), panel_slug=membership.panel.slug)


def test_consent_outdated_only_for_a_newer_published_version(panel, membership):
    assert panel_membership_consent_outdated(membership=membership) is None
    ConsentTextFactory(panel=panel, version=3, published_at=None)  # a draft does not count
    assert panel_membership_consent_outdated(membership=membership) is None
    newer = ConsentTextFactory(panel=panel, version=2)
    assert panel_membership_consent_outdated(membership=membership) == newer


def test_buurt_choices_are_the_latest_vintage_of_the_panel_municipalities_by_wijk(panel):
    # given: two wijken, an older vintage, a water buurt and a buurt elsewhere
    AreaFactory(level=AreaLevel.WIJK, code="WK054691", name="Zuid", col=0)
    AreaFactory(level=AreaLevel.WIJK, code="WK054690", name="Noord", col=1)
    a = AreaFactory(code="BU05469000", name="Bloemenbuurt", col=2)
    b = AreaFactory(code="BU05469001", name="'t Ankertje", col=3)
    c = AreaFactory(code="BU05469100", name="Havenkwartier", col=4)
    AreaFactory(code="BU05469002", name="Oude indeling", year=2021, col=5)
    AreaFactory(code="BU05469003", name="Het Meer", is_water=True, col=6)
    AreaFactory(code="BU03639000", name="Amsterdam", col=7)
    # when
    groups = panel_buurt_choice_groups(panel=panel)
    # then
    assert [(g.wijk_name, g.buurten) for g in groups] == [("Noord", [a, b]), ("Zuid", [c])]
    assert set(panel_buurt_list(panel=panel)) == {a, b, c}


# --- Profile --------------------------------------------------------------------------------


def test_profile_update_changes_buurt_age_band_and_sex(membership):
    buurt = AreaFactory(code="BU05469000", col=0)
    panel_membership_profile_update(
        membership=membership,
        buurt=buurt,
        age_band=PanelMembership.AgeBand.AGE_65_PLUS,
        sex=PanelMembership.Sex.LIEVER_NIET,
    )
    membership.refresh_from_db()
    assert (membership.buurt, membership.age_band, membership.sex) == (buurt, "65+", "liever_niet")


@pytest.mark.parametrize(
    ("code", "level"), [("BU03630000", AreaLevel.BUURT), ("WK054690", AreaLevel.WIJK)]
)
def test_profile_update_refuses_a_buurt_outside_the_panel_area(membership, code, level):
    area = AreaFactory(code=code, level=level, col=3)
    with pytest.raises(PanelBuurtInvalidError):
        panel_membership_profile_update(membership=membership, buurt=area, age_band="25-44", sex="")
    membership.refresh_from_db()
    assert membership.buurt is None


def test_profile_update_with_an_unknown_choice_writes_nothing(membership):
    buurt = AreaFactory(code="BU05469000", col=0)
    with pytest.raises(ValidationError):
        panel_membership_profile_update(
            membership=membership, buurt=buurt, age_band="12-14", sex="man"
        )
    membership.refresh_from_db()
    assert (membership.buurt, membership.age_band, membership.sex) == (None, "25-44", "vrouw")


def test_profile_update_refused_after_leaving(membership):
    panel_leave(membership=membership)
    with pytest.raises(MembershipWithdrawnError):
        panel_membership_profile_update(
            membership=membership, buurt=None, age_band="25-44", sex="man"
        )
    membership.refresh_from_db()
    assert membership.sex == ""


# --- Renewed consent ------------------------------------------------------------------------


def test_consent_renew_records_the_new_version_and_moment(panel, membership, caplog):
    # given
    newer = ConsentTextFactory(panel=panel, version=2)
    before = membership.consented_at
    # when
    with caplog.at_level("INFO", logger="buurtstem.audit"):
        panel_consent_renew(membership=membership, consent_text=newer)
    # then
    membership.refresh_from_db()
    assert membership.consent_text == newer
    assert membership.consented_at > before
    assert panel_membership_consent_outdated(membership=membership) is None
    assert "from_version=1 to_version=2" in caplog.text
    assert membership.user.email not in caplog.text


def test_consent_renew_refuses_a_text_that_is_not_current(panel, consent, membership):
    ConsentTextFactory(panel=panel, version=2)
    draft = ConsentTextFactory(panel=panel, version=3, published_at=None)
    for text in (consent, draft, ConsentTextFactory()):
        with pytest.raises(ConsentTextInvalidError):
            panel_consent_renew(membership=membership, consent_text=text)
    membership.refresh_from_db()
    assert membership.consent_text == consent


def test_consent_renew_to_the_version_on_record_changes_nothing(consent, membership):
    before = membership.consented_at
    panel_consent_renew(membership=membership, consent_text=consent)
    membership.refresh_from_db()
    assert membership.consented_at == before


def test_consent_renew_refused_after_leaving(panel, membership):
    newer = ConsentTextFactory(panel=panel, version=2)
    panel_leave(membership=membership)
    with pytest.raises(MembershipWithdrawnError):
        panel_consent_renew(membership=membership, consent_text=newer)


# --- Who may change a membership ------------------------------------------------------------

ROLES = (
    "anonymous",
    "resident",
    "owner",
    "owner_inactive",
    "other_panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
)
ALLOWED = {"owner"}


def _user_for(role, membership):
    if role == "anonymous":
        return AnonymousUser()
    if role == "owner":
        return membership.user
    if role == "owner_inactive":
        membership.user.is_active = False
        membership.user.save()
        return membership.user
    user = UserFactory()
    if role == "other_panel_member":
        PanelMembershipFactory(user=user, panel=membership.panel)
    elif role == "wijkraad_member":
        WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory())
    elif role in ("policy_staff", "moderator", "administrator"):
        user_role_grant(user=user, role_key=role, granted_by=None)
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_change_panel_membership_permission(role, membership):
    user = _user_for(role, membership)
    assert user.has_perm("participation.change_panel_membership", membership) is (role in ALLOWED)


def test_change_panel_membership_is_refused_for_a_withdrawn_membership(membership):
    user = membership.user
    panel_leave(membership=membership)
    membership.refresh_from_db()
    assert user.has_perm("participation.change_panel_membership", membership) is False
