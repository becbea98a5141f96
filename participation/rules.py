"""Who may do what: predicates and permissions (django-rules).

Roles reach the rules in two ways:

* Staff roles (policy staff, moderator, administrator) are groups holding *capability*
  permissions (`participation.use_staff_pages`, …; see `participation.roles`). The
  predicates below ask Django's ModelBackend for those capabilities and never look at
  groups. The capability names must therefore never be registered as rules: rules'
  ObjectPermissionBackend is asked first and answers False for names it does not know,
  after which ModelBackend answers from the groups.
* Residents, panel members and wijkraad members follow from the account and from data.

Geo permissions are registered here too, because they are granted to participation roles
(geo itself knows nothing about accounts).
"""

from typing import Any

import rules
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from geo.models import Area
from participation.models import PanelMembership
from participation.roles import (
    ADMINISTER_PLATFORM,
    CAPABILITIES,
    CAPABILITY_APP_LABEL,
    DO_POLICY_WORK,
    MODERATE_CONTENT,
    USE_STAFF_PAGES,
)
from participation.selectors import (
    area_in_scope_codes,
    user_has_verified_email,
    user_is_panel_member,
    user_is_wijkraad_member,
    wijkraad_scope_codes,
)

AnyUser = AbstractBaseUser | AnonymousUser

_SCOPE_CACHE_ATTR = "_participation_wijkraad_scope_cache"


def has_capability(codename: str) -> rules.Predicate:
    """A predicate that is true when the user holds a capability permission through a
    staff role group (or as an active superuser)."""
    if codename not in CAPABILITIES:
        raise ValueError(f"Unknown capability {codename!r}")
    perm = f"{CAPABILITY_APP_LABEL}.{codename}"

    def _has_capability(user: AnyUser) -> bool:
        return bool(user.is_authenticated and user.is_active and user.has_perm(perm))

    return rules.predicate(_has_capability, name=f"has_capability:{codename}")


@rules.predicate
def is_resident(user: AnyUser) -> bool:
    """Every active, signed-in account is a resident."""
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def has_verified_email(user: AnyUser) -> bool:
    return user_has_verified_email(user=user)


@rules.predicate
def is_panel_member(user: AnyUser) -> bool:
    return is_resident(user) and user_is_panel_member(user=user)


@rules.predicate
def is_wijkraad_member(user: AnyUser) -> bool:
    return is_resident(user) and user_is_wijkraad_member(user=user)


@rules.predicate
def is_wijkraad_member_for_area(user: AnyUser, area: Any) -> bool:
    """The user belongs to an active wijkraad whose wijken/buurten include the area (a buurt
    counts when its wijk is included). The scope is looked up once per user instance."""
    if not isinstance(area, Area) or not is_resident(user):
        return False
    scope = user.__dict__.get(_SCOPE_CACHE_ATTR)
    if scope is None:
        scope = wijkraad_scope_codes(user=user)
        user.__dict__[_SCOPE_CACHE_ATTR] = scope
    return area_in_scope_codes(area=area, scope_codes=scope)


@rules.predicate
def is_own_active_membership(user: AnyUser, membership: Any) -> bool:
    """The object is an active panel membership of this user."""
    return bool(
        isinstance(membership, PanelMembership)
        and user.is_authenticated
        and membership.user_id == user.pk
        and membership.withdrawn_at is None
    )


can_use_staff_pages = has_capability(USE_STAFF_PAGES)
is_policy_staff = has_capability(DO_POLICY_WORK)
is_moderator = has_capability(MODERATE_CONTENT)
is_administrator = has_capability(ADMINISTER_PLATFORM)

# --- participation --------------------------------------------------------------------------
rules.add_perm("participation.access_staff_pages", can_use_staff_pages)
rules.add_perm(
    "participation.view_area_summary",
    is_policy_staff | is_administrator | is_wijkraad_member_for_area,
)
rules.add_perm("participation.manage_roles", is_administrator)
rules.add_perm("participation.manage_wijkraden", is_administrator)
# The veiligheidsplan: priorities, goals and evidence are policy work.
rules.add_perm("participation.manage_plans", is_policy_staff | is_administrator)
rules.add_perm("participation.join_panel", is_resident & has_verified_email)
# Only the member themselves: staff never see or change who is in the panel.
rules.add_perm("participation.change_panel_membership", is_resident & is_own_active_membership)

# --- geo ------------------------------------------------------------------------------------
rules.add_perm("geo.view_area", rules.always_allow)
rules.add_perm("geo.import_area", is_administrator)
