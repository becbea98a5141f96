"""Staff roles: the one place where group names and their capability permissions are defined.

Staff roles are Django groups holding the capability permissions declared on
`participation.User.Meta.permissions`. Everything else refers to a role by its stable key
(`POLICY_STAFF`, …) and asks this table for the group; permission checks never look at
groups at all, only at capabilities (see `participation.rules`).

The groups and their permission sets are synced idempotently after every `migrate`
(`participation.receivers`) and by `participation.services.roles_sync()`. The table is
authoritative: a capability added to a role group by hand is removed again on the next sync.
Renaming a group here creates a new group on the next sync; move the members with a data
migration when that ever happens.

Residents, panel members and wijkraad members are not groups: every active account is a
resident, and panel and wijkraad membership are data (`PanelMembership`,
`WijkraadMembership`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Capability permissions (codenames on participation.User; app label "participation").
USE_STAFF_PAGES = "use_staff_pages"
DO_POLICY_WORK = "do_policy_work"
MODERATE_CONTENT = "moderate_content"
ADMINISTER_PLATFORM = "administer_platform"
CAPABILITIES: tuple[str, ...] = (
    USE_STAFF_PAGES,
    DO_POLICY_WORK,
    MODERATE_CONTENT,
    ADMINISTER_PLATFORM,
)
CAPABILITY_APP_LABEL = "participation"

# Stable role keys.
POLICY_STAFF = "policy_staff"
MODERATOR = "moderator"
ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class RoleDefinition:
    key: str
    group_name: str
    label: Promise
    description: Promise
    capabilities: tuple[str, ...]


ROLE_DEFINITIONS: dict[str, RoleDefinition] = {
    POLICY_STAFF: RoleDefinition(
        key=POLICY_STAFF,
        group_name="Beleidsmedewerker",
        label=_("Beleidsmedewerker"),
        description=_("Analyseert de inbreng en stelt bewijs op voor het veiligheidsplan."),
        capabilities=(USE_STAFF_PAGES, DO_POLICY_WORK),
    ),
    MODERATOR: RoleDefinition(
        key=MODERATOR,
        group_name="Moderator",
        label=_("Moderator"),
        description=_("Beoordeelt meldingen en open antwoorden."),
        capabilities=(USE_STAFF_PAGES, MODERATE_CONTENT),
    ),
    ADMINISTRATOR: RoleDefinition(
        key=ADMINISTRATOR,
        group_name="Beheerder",
        label=_("Beheerder"),
        description=_("Beheert gebieden, rollen, wijkraden en instellingen."),
        capabilities=(USE_STAFF_PAGES, DO_POLICY_WORK, MODERATE_CONTENT, ADMINISTER_PLATFORM),
    ),
}


def role_definition(role_key: str) -> RoleDefinition | None:
    return ROLE_DEFINITIONS.get(role_key)


def role_key_for_group_name(group_name: str) -> str | None:
    for definition in ROLE_DEFINITIONS.values():
        if definition.group_name == group_name:
            return definition.key
    return None


def role_choices() -> list[tuple[str, Promise]]:
    return [(d.key, d.label) for d in ROLE_DEFINITIONS.values()]
