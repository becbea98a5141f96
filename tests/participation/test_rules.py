"""Who may do what: a role × action matrix over every registered permission."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from geo.codes import AreaLevel
from participation import rules as participation_rules
from participation.roles import CAPABILITIES, CAPABILITY_APP_LABEL
from participation.services import user_role_grant
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
    WijkraadMembershipFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "resident",
    "resident_unverified",
    "panel_member",
    "wijkraad_member_in_scope",
    "wijkraad_member_out_of_scope",
    "policy_staff",
    "moderator",
    "administrator",
    "inactive_administrator",
)

# permission, whether it is checked against the area (a buurt in wijk WK054690)
ACTIONS = {
    "participation.access_staff_pages": False,
    "participation.view_area_summary": True,
    "participation.manage_roles": False,
    "participation.manage_wijkraden": False,
    "participation.join_panel": False,
    "geo.import_area": False,
    "geo.view_area": True,
}

T, F = True, False
# fmt: off
#                                 staff  summary roles  wijkr  join   import view
EXPECTED = {
    "anonymous":                    (F,    F,      F,     F,     F,     F,     T),
    "resident":                     (F,    F,      F,     F,     T,     F,     T),
    "resident_unverified":          (F,    F,      F,     F,     F,     F,     T),
    "panel_member":                 (F,    F,      F,     F,     T,     F,     T),
    "wijkraad_member_in_scope":     (F,    T,      F,     F,     T,     F,     T),
    "wijkraad_member_out_of_scope": (F,    F,      F,     F,     T,     F,     T),
    "policy_staff":                 (T,    T,      F,     F,     T,     F,     T),
    "moderator":                    (T,    F,      F,     F,     T,     F,     T),
    "administrator":                (T,    T,      T,     T,     T,     T,     T),
    "inactive_administrator":       (F,    F,      F,     F,     F,     F,     T),
}
# fmt: on

MATRIX = [(role, action, EXPECTED[role][i]) for role in ROLES for i, action in enumerate(ACTIONS)]


@pytest.fixture
def areas():
    """Wijk WK054690 with buurt BU05469000, and a second wijk WK054691."""
    wijk = AreaFactory(level=AreaLevel.WIJK, code="WK054690", parent_code="GM0546", col=0)
    other_wijk = AreaFactory(level=AreaLevel.WIJK, code="WK054691", parent_code="GM0546", col=1)
    buurt = AreaFactory(code="BU05469000", parent=wijk, col=0)
    return {"wijk": wijk, "other_wijk": other_wijk, "buurt": buurt}


def make_user(role: str, areas: dict):
    if role == "anonymous":
        return AnonymousUser()
    if role == "resident_unverified":
        return UserFactory(email_verified=False)
    user = UserFactory()
    if role == "panel_member":
        PanelMembershipFactory(user=user)
    elif role == "wijkraad_member_in_scope":
        WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory(areas=[areas["wijk"]]))
    elif role == "wijkraad_member_out_of_scope":
        WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory(areas=[areas["other_wijk"]]))
    elif role in ("policy_staff", "moderator", "administrator"):
        user_role_grant(user=user, role_key=role, granted_by=None)
    elif role == "inactive_administrator":
        user_role_grant(user=user, role_key="administrator", granted_by=None)
        user.is_active = False
        user.save()
    return type(user).objects.get(pk=user.pk)  # fresh instance: no permission caches


@pytest.mark.parametrize(("role", "action", "expected"), MATRIX)
def test_permission_matrix(role, action, expected, areas):
    # given
    user = make_user(role, areas)
    obj = areas["buurt"] if ACTIONS[action] else None
    # when / then
    assert user.has_perm(action, obj) is expected


PREDICATES = {
    "is_resident": participation_rules.is_resident,
    "is_panel_member": participation_rules.is_panel_member,
    "is_wijkraad_member": participation_rules.is_wijkraad_member,
    "is_policy_staff": participation_rules.is_policy_staff,
    "is_moderator": participation_rules.is_moderator,
    "is_administrator": participation_rules.is_administrator,
}
# fmt: off
#                                 resident panel  wijkr  policy moder  admin
PREDICATE_EXPECTED = {
    "anonymous":                    (F,      F,     F,     F,     F,     F),
    "resident":                     (T,      F,     F,     F,     F,     F),
    "resident_unverified":          (T,      F,     F,     F,     F,     F),
    "panel_member":                 (T,      T,     F,     F,     F,     F),
    "wijkraad_member_in_scope":     (T,      F,     T,     F,     F,     F),
    "wijkraad_member_out_of_scope": (T,      F,     T,     F,     F,     F),
    "policy_staff":                 (T,      F,     F,     T,     F,     F),
    "moderator":                    (T,      F,     F,     F,     T,     F),
    # An administrator holds every capability, so the policy and moderator predicates hold.
    "administrator":                (T,      F,     F,     T,     T,     T),
    "inactive_administrator":       (F,      F,     F,     F,     F,     F),
}
# fmt: on


@pytest.mark.parametrize(
    ("role", "predicate", "expected"),
    [
        (role, name, PREDICATE_EXPECTED[role][i])
        for role in ROLES
        for i, name in enumerate(PREDICATES)
    ],
)
def test_predicate_matrix(role, predicate, expected, areas):
    user = make_user(role, areas)
    assert PREDICATES[predicate](user) is expected


@pytest.mark.parametrize(
    ("area_key", "expected"),
    [("wijk", True), ("buurt", True), ("other_wijk", False)],
)
def test_is_wijkraad_member_for_area_covers_wijk_and_its_buurten(area_key, expected, areas):
    user = make_user("wijkraad_member_in_scope", areas)
    assert participation_rules.is_wijkraad_member_for_area(user, areas[area_key]) is expected


def test_is_wijkraad_member_for_area_is_false_without_an_area(areas):
    user = make_user("wijkraad_member_in_scope", areas)
    assert participation_rules.is_wijkraad_member_for_area(user, None) is False
    assert user.has_perm("participation.view_area_summary") is False


def test_inactive_wijkraad_gives_no_scope(areas):
    user = UserFactory()
    WijkraadMembershipFactory(
        user=user, wijkraad=WijkraadFactory(areas=[areas["wijk"]], is_active=False)
    )
    assert user.has_perm("participation.view_area_summary", areas["buurt"]) is False
    assert participation_rules.is_wijkraad_member(user) is False


def test_withdrawn_panel_membership_is_no_membership():
    membership = PanelMembershipFactory()
    user = membership.user
    membership.withdrawn_at = membership.consented_at
    membership.save()
    assert participation_rules.is_panel_member(user) is False


def test_superuser_holds_every_capability():
    user = UserFactory(is_superuser=True)
    assert user.has_perm("participation.manage_roles") is True
    assert participation_rules.is_administrator(user) is True


def test_capabilities_are_not_rules():
    """Capabilities come from groups via ModelBackend; a rule with the same name would make
    rules' backend answer instead (and has_capability would recurse)."""
    for codename in CAPABILITIES:
        assert not rules.perm_exists(f"{CAPABILITY_APP_LABEL}.{codename}")


def test_has_capability_refuses_unknown_capability():
    with pytest.raises(ValueError, match="Unknown capability"):
        participation_rules.has_capability("fly")
