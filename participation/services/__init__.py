"""Write use cases of the participation app (keyword-only, typed, atomic, DomainErrors).

| module | services |
|---|---|
| people | accounts, staff roles, wijkraden, the burgerpanel (membership, consent) |
| plans | the Integraal Veiligheidsplan: plans, priorities, goals, evidence blocks |
"""

from participation.digests import evidence_digest, evidence_verify
from participation.services.people import (
    burgerpanel_create,
    consent_text_create,
    consent_text_publish,
    consent_text_update,
    panel_consent_renew,
    panel_join,
    panel_leave,
    panel_membership_profile_update,
    roles_sync,
    user_create,
    user_role_grant,
    user_role_revoke,
    wijkraad_areas_set,
    wijkraad_create,
    wijkraad_member_add,
    wijkraad_member_remove,
)
from participation.services.plans import (
    evidence_attach,
    evidence_withdraw,
    goal_add,
    goal_delete,
    goal_update,
    plan_adopt,
    plan_create,
    plan_update,
    priority_add,
    priority_delete,
    priority_update,
)

__all__ = [
    "burgerpanel_create",
    "consent_text_create",
    "consent_text_publish",
    "consent_text_update",
    "evidence_attach",
    "evidence_digest",
    "evidence_verify",
    "evidence_withdraw",
    "goal_add",
    "goal_delete",
    "goal_update",
    "panel_consent_renew",
    "panel_join",
    "panel_leave",
    "panel_membership_profile_update",
    "plan_adopt",
    "plan_create",
    "plan_update",
    "priority_add",
    "priority_delete",
    "priority_update",
    "roles_sync",
    "user_create",
    "user_role_grant",
    "user_role_revoke",
    "wijkraad_areas_set",
    "wijkraad_create",
    "wijkraad_member_add",
    "wijkraad_member_remove",
]
