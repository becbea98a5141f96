"""Accounts, roles, wijkraden and the burgerpanel: the write use cases."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from geo.codes import AreaLevel
from participation.exceptions import (
    AlreadyPanelMemberError,
    AlreadyWijkraadMemberError,
    ConsentTextInvalidError,
    ConsentTextPublishedError,
    EmailInUseError,
    EmailNotVerifiedError,
    InactiveAccountError,
    LastAdministratorError,
    MembershipWithdrawnError,
    PanelBuurtInvalidError,
    PanelClosedError,
    RoleAlreadyGrantedError,
    RoleNotGrantedError,
    UnknownRoleError,
    WijkraadAreaInvalidError,
)
from participation.models import PanelMembership, User, WijkraadMembership
from participation.roles import ROLE_DEFINITIONS
from participation.selectors import (
    area_in_wijkraad_scope,
    panel_member_count,
    user_is_panel_member,
    user_role_keys,
)
from participation.services import (
    burgerpanel_create,
    consent_text_create,
    consent_text_publish,
    consent_text_update,
    panel_join,
    panel_leave,
    roles_sync,
    user_create,
    user_role_grant,
    user_role_revoke,
    wijkraad_areas_set,
    wijkraad_create,
    wijkraad_member_add,
    wijkraad_member_remove,
)
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    ConsentTextFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
)

pytestmark = pytest.mark.django_db


def _group_permissions(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


# --- Roles ----------------------------------------------------------------------------------


def test_role_groups_exist_after_migrate_with_their_capabilities():
    for definition in ROLE_DEFINITIONS.values():
        assert _group_permissions(definition.group_name) == set(definition.capabilities)


def test_roles_sync_is_idempotent_and_restores_the_table():
    # given: someone added a capability to the moderator group by hand
    moderator = ROLE_DEFINITIONS["moderator"]
    Group.objects.get(name=moderator.group_name).permissions.add(
        Permission.objects.get(codename="administer_platform")
    )
    # when
    roles_sync()
    roles_sync()
    # then
    assert Group.objects.filter(
        name__in=[d.group_name for d in ROLE_DEFINITIONS.values()]
    ).count() == len(ROLE_DEFINITIONS)
    assert _group_permissions(moderator.group_name) == set(moderator.capabilities)


def test_roles_sync_recreates_a_deleted_group():
    Group.objects.filter(name=ROLE_DEFINITIONS["policy_staff"].group_name).delete()
    roles_sync()
    assert _group_permissions("Beleidsmedewerker") == {"use_staff_pages", "do_policy_work"}


def test_grant_gives_the_capabilities_at_once():
    user = UserFactory()
    assert not user.has_perm("participation.do_policy_work")  # fills the permission cache
    user_role_grant(user=user, role_key="policy_staff", granted_by=None)
    assert user.has_perm("participation.do_policy_work")
    assert user_role_keys(user=user) == ["policy_staff"]


def test_grant_twice_is_refused():
    user = UserFactory()
    user_role_grant(user=user, role_key="moderator", granted_by=None)
    with pytest.raises(RoleAlreadyGrantedError):
        user_role_grant(user=user, role_key="moderator", granted_by=None)


def test_grant_unknown_role_is_refused():
    user = UserFactory()
    with pytest.raises(UnknownRoleError):
        user_role_grant(user=user, role_key="Beheerder", granted_by=None)  # a group name
    assert user.groups.count() == 0


def test_grant_to_inactive_account_is_refused():
    user = UserFactory(is_active=False)
    with pytest.raises(InactiveAccountError):
        user_role_grant(user=user, role_key="moderator", granted_by=None)


def test_grant_records_who_granted_in_the_audit_log(caplog):
    admin = UserFactory()
    user = UserFactory()
    with caplog.at_level("INFO", logger="buurtstem.audit"):
        user_role_grant(user=user, role_key="moderator", granted_by=admin)
    assert f"role granted: role=moderator user={user.uuid} by={admin.uuid}" in caplog.text


def test_revoke_takes_the_capabilities_away():
    user = UserFactory()
    user_role_grant(user=user, role_key="policy_staff", granted_by=None)
    assert user.has_perm("participation.use_staff_pages")
    user_role_revoke(user=user, role_key="policy_staff", revoked_by=None)
    assert not user.has_perm("participation.use_staff_pages")
    assert user_role_keys(user=user) == []


def test_revoke_a_role_not_held_is_refused():
    with pytest.raises(RoleNotGrantedError):
        user_role_revoke(user=UserFactory(), role_key="moderator", revoked_by=None)


def test_the_last_administrator_keeps_the_role():
    admin = UserFactory()
    user_role_grant(user=admin, role_key="administrator", granted_by=None)
    with pytest.raises(LastAdministratorError):
        user_role_revoke(user=admin, role_key="administrator", revoked_by=admin)
    assert user_role_keys(user=admin) == ["administrator"]


def test_an_administrator_can_be_revoked_while_another_remains():
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        user_role_grant(user=user, role_key="administrator", granted_by=None)
    user_role_revoke(user=first, role_key="administrator", revoked_by=second)
    assert user_role_keys(user=first) == []


# --- Accounts -------------------------------------------------------------------------------


def test_user_create_adds_a_primary_email_address():
    user = user_create(
        email=" Nieuw@Example.TEST ", password="Geheim-genoeg-1", email_verified=True
    )
    assert user.email == "nieuw@example.test"
    assert user.check_password("Geheim-genoeg-1")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "nieuw@example.test",
        True,
        True,
    )


def test_user_create_refuses_an_address_in_use_in_any_case():
    UserFactory(email="bestaat@example.test")
    with pytest.raises(EmailInUseError):
        user_create(email="BESTAAT@example.test", password=None)
    assert User.objects.filter(email__iexact="bestaat@example.test").count() == 1


def test_user_create_refuses_a_weak_password():
    with pytest.raises(ValidationError):
        user_create(email="zwak@example.test", password="12345678")
    assert not User.objects.filter(email="zwak@example.test").exists()


def test_user_create_without_password_is_unusable():
    user = user_create(email="zonder@example.test", password=None)
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified


# --- Wijkraden ------------------------------------------------------------------------------


@pytest.fixture
def wijken():
    wijk = AreaFactory(level=AreaLevel.WIJK, code="WK054690", parent_code="GM0546", col=0)
    other = AreaFactory(level=AreaLevel.WIJK, code="WK054691", parent_code="GM0546", col=1)
    return wijk, other


def test_wijkraad_scope_covers_its_wijk_and_the_buurten_in_it(wijken):
    wijk, other = wijken
    buurt = AreaFactory(code="BU05469000", parent=wijk, col=0)
    buurt_elsewhere = AreaFactory(code="BU05469100", parent=other, col=1)
    member = UserFactory()
    wijkraad_member_add(
        wijkraad=wijkraad_create(name="Noord", slug="noord", areas=[wijk]), user=member
    )
    assert area_in_wijkraad_scope(user=member, area=wijk)
    assert area_in_wijkraad_scope(user=member, area=buurt)
    assert not area_in_wijkraad_scope(user=member, area=other)
    assert not area_in_wijkraad_scope(user=member, area=buurt_elsewhere)
    assert not area_in_wijkraad_scope(user=UserFactory(), area=buurt)


def test_wijkraad_scope_for_single_buurten_does_not_cover_the_wijk(wijken):
    wijk, _other = wijken
    buurt = AreaFactory(code="BU05469000", parent=wijk, col=0)
    sibling = AreaFactory(code="BU05469001", parent=wijk, col=2)
    member = UserFactory()
    wijkraad_member_add(
        wijkraad=wijkraad_create(name="Hof", slug="hof", areas=[buurt]), user=member
    )
    assert area_in_wijkraad_scope(user=member, area=buurt)
    assert not area_in_wijkraad_scope(user=member, area=sibling)
    assert not area_in_wijkraad_scope(user=member, area=wijk)


def test_wijkraad_scope_follows_the_code_into_a_newer_vintage(wijken):
    wijk, _other = wijken
    member = UserFactory()
    wijkraad_member_add(
        wijkraad=wijkraad_create(name="Noord", slug="noord", areas=[wijk]), user=member
    )
    # a 2024 buurt whose wijk is only known by code (the 2024 wijk is not imported yet)
    buurt_2024 = AreaFactory(code="BU05469000", year=2024, parent=None, parent_code="", col=0)
    assert area_in_wijkraad_scope(user=member, area=buurt_2024)


def test_wijkraad_cannot_cover_a_gemeente():
    gemeente = AreaFactory(level=AreaLevel.GEMEENTE, code="GM0546", parent_code="", col=0)
    with pytest.raises(WijkraadAreaInvalidError):
        wijkraad_create(name="Alles", slug="alles", areas=[gemeente])
    wijkraad = WijkraadFactory()
    with pytest.raises(WijkraadAreaInvalidError):
        wijkraad_areas_set(wijkraad=wijkraad, areas=[gemeente])


def test_wijkraad_member_added_once_and_removed(wijken):
    wijkraad = wijkraad_create(name="Noord", slug="noord", areas=[wijken[0]])
    user = UserFactory()
    membership = wijkraad_member_add(
        wijkraad=wijkraad, user=user, role=WijkraadMembership.Role.SECRETARIS
    )
    with pytest.raises(AlreadyWijkraadMemberError):
        wijkraad_member_add(wijkraad=wijkraad, user=user)
    wijkraad_member_remove(membership=membership)
    assert not area_in_wijkraad_scope(user=user, area=wijken[0])


def test_wijkraad_slug_must_be_unique():
    wijkraad_create(name="Noord", slug="noord")
    with pytest.raises(ValidationError):
        wijkraad_create(name="Noord 2", slug="noord")


# --- Burgerpanel ----------------------------------------------------------------------------


@pytest.fixture
def panel():
    return BurgerpanelFactory(municipality_codes=["GM0546"])


@pytest.fixture
def consent(panel):
    return ConsentTextFactory(panel=panel)


@pytest.fixture
def buurt():
    return AreaFactory(code="BU05469000", col=0)


def _join(user, panel, consent, buurt=None, **kwargs):
    return panel_join(
        user=user,
        panel=panel,
        buurt=buurt,
        age_band=kwargs.get("age_band", PanelMembership.AgeBand.AGE_25_44),
        sex=kwargs.get("sex", PanelMembership.Sex.LIEVER_NIET),
        consent_text=consent,
    )


def test_panel_join_records_consent_and_demographics(panel, consent, buurt):
    user = UserFactory()
    membership = _join(user, panel, consent, buurt)
    membership.refresh_from_db()
    assert membership.user == user
    assert membership.buurt == buurt
    assert membership.consent_text == consent
    assert membership.consented_at is not None
    assert membership.withdrawn_at is None
    assert user_is_panel_member(user=user)
    assert panel_member_count(panel=panel) == 1


def test_panel_join_requires_a_verified_email(panel, consent):
    user = UserFactory(email_verified=False)
    with pytest.raises(EmailNotVerifiedError):
        _join(user, panel, consent)
    assert not PanelMembership.objects.exists()


def test_panel_join_twice_is_refused(panel, consent):
    user = UserFactory()
    _join(user, panel, consent)
    with pytest.raises(AlreadyPanelMemberError):
        _join(user, panel, consent)
    assert PanelMembership.objects.filter(user=user).count() == 1


def test_panel_join_refused_for_an_inactive_account(panel, consent):
    with pytest.raises(InactiveAccountError):
        _join(UserFactory(is_active=False), panel, consent)


def test_panel_join_refused_when_the_panel_is_closed(panel, consent):
    panel.is_active = False
    panel.save()
    with pytest.raises(PanelClosedError):
        _join(UserFactory(), panel, consent)


def test_panel_join_needs_the_current_consent_text(panel, consent):
    newer = ConsentTextFactory(panel=panel, version=consent.version + 1)
    draft = ConsentTextFactory(panel=panel, version=consent.version + 2, published_at=None)
    other_panels_text = ConsentTextFactory()
    for text in (consent, draft, other_panels_text):
        with pytest.raises(ConsentTextInvalidError):
            _join(UserFactory(), panel, text)
    assert _join(UserFactory(), panel, newer).consent_text == newer


def test_panel_join_refused_without_any_published_consent_text(panel):
    draft = ConsentTextFactory(panel=panel, published_at=None)
    with pytest.raises(ConsentTextInvalidError):
        _join(UserFactory(), panel, draft)


def test_panel_join_refuses_a_buurt_outside_the_panel_area(panel, consent):
    elsewhere = AreaFactory(code="BU03630000", col=3)  # Amsterdam
    wijk = AreaFactory(level=AreaLevel.WIJK, code="WK054690", col=4)
    for area in (elsewhere, wijk):
        with pytest.raises(PanelBuurtInvalidError):
            _join(UserFactory(), panel, consent, area)


def test_panel_join_refuses_unknown_choices(panel, consent):
    with pytest.raises(ValidationError):
        _join(UserFactory(), panel, consent, age_band="12-14")
    assert not PanelMembership.objects.exists()


def test_panel_leave_erases_personal_data(panel, consent, buurt):
    user = UserFactory()
    membership = _join(user, panel, consent, buurt, sex=PanelMembership.Sex.MAN)
    # when
    panel_leave(membership=membership)
    # then
    membership.refresh_from_db()
    assert membership.withdrawn_at is not None
    assert membership.user is None
    assert membership.buurt is None
    assert membership.age_band == ""
    assert membership.sex == ""
    assert membership.consent_text == consent  # what was consented to stays on record
    assert not PanelMembership.objects.filter(user=user).exists()
    assert not user_is_panel_member(user=user)
    assert panel_member_count(panel=panel) == 0


def test_panel_leave_twice_is_refused(panel, consent):
    membership = _join(UserFactory(), panel, consent)
    panel_leave(membership=membership)
    with pytest.raises(MembershipWithdrawnError):
        panel_leave(membership=membership)


def test_panel_rejoin_after_leaving(panel, consent):
    user = UserFactory()
    panel_leave(membership=_join(user, panel, consent))
    assert _join(user, panel, consent).user == user
    assert PanelMembership.objects.count() == 2


def test_panel_member_count_ignores_closed_panels_and_withdrawn_members():
    PanelMembershipFactory()
    PanelMembershipFactory(panel=BurgerpanelFactory(is_active=False))
    PanelMembershipFactory(withdrawn_at=timezone.now(), user=None)
    assert panel_member_count() == 1


def test_burgerpanel_create_validates_municipality_codes():
    panel = burgerpanel_create(name="Panel", slug="panel", municipality_codes=["GM0546", "GM0547"])
    assert panel.municipality_codes == ["GM0546", "GM0547"]
    for codes in ([], ["Leiden"], ["WK054600"]):
        with pytest.raises(ValidationError):
            burgerpanel_create(name="Fout", slug="fout", municipality_codes=codes)


def test_consent_texts_are_versioned_and_immutable_once_published(panel):
    first = consent_text_create(panel=panel, body="Versie een")
    second = consent_text_create(panel=panel, body="Versie twee")
    assert (first.version, second.version) == (1, 2)
    assert consent_text_update(consent_text=first, body="Versie 1").body == "Versie 1"
    consent_text_publish(consent_text=first)
    with pytest.raises(ConsentTextPublishedError):
        consent_text_update(consent_text=first, body="Stiekem anders")
    with pytest.raises(ConsentTextPublishedError):
        consent_text_publish(consent_text=first)
    first.refresh_from_db()
    assert first.body == "Versie 1"
