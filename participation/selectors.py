"""Read use cases for accounts, roles, wijkraden, the burgerpanel and the veiligheidsplan."""

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from geo.codes import AreaLevel, parent_code_of
from geo.models import Area, AreaPopulation
from geo.selectors import area_latest_year, area_list
from participation.digests import evidence_verify
from participation.models import (
    Burgerpanel,
    ConsentText,
    EvidenceBlock,
    PanelMembership,
    PlanGoal,
    PlanPriority,
    SafetyPlan,
    Theme,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.roles import ROLE_DEFINITIONS, RoleDefinition, role_key_for_group_name

AnyUser = AbstractBaseUser | AnonymousUser

# --- Accounts and roles ---------------------------------------------------------------------


def user_get_by_email(*, email: str) -> User:
    """The account with this e-mail address (case-insensitive); raises User.DoesNotExist."""
    return User.objects.get(email__iexact=email.strip())


def user_has_verified_email(*, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def user_role_keys(*, user: AnyUser) -> list[str]:
    """The staff role keys of a user, in the order of ROLE_DEFINITIONS."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [d.key for d in ROLE_DEFINITIONS.values() if d.group_name in names]


def user_has_role(*, user: AnyUser, role_key: str) -> bool:
    return role_key in user_role_keys(user=user)


def role_member_count(*, role_key: str) -> int:
    definition = ROLE_DEFINITIONS[role_key]
    return User.objects.filter(groups__name=definition.group_name, is_active=True).count()


@dataclass(frozen=True)
class StaffRoleHolder:
    user: User
    roles: list[RoleDefinition]
    has_totp: bool


def staff_role_holders() -> list[StaffRoleHolder]:
    """Every account holding at least one staff role, with its roles and whether it has set
    up two-step verification (three queries)."""
    group_names = [d.group_name for d in ROLE_DEFINITIONS.values()]
    users = (
        User.objects.filter(groups__name__in=group_names)
        .distinct()
        .annotate(
            has_totp=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            )
        )
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=Group.objects.filter(name__in=group_names),
                to_attr="role_groups",
            )
        )
        .order_by("email")
    )
    holders = []
    for user in users:
        keys = {role_key_for_group_name(g.name) for g in user.role_groups}
        roles = [d for d in ROLE_DEFINITIONS.values() if d.key in keys]
        holders.append(StaffRoleHolder(user=user, roles=roles, has_totp=user.has_totp))
    return holders


# --- Wijkraden ------------------------------------------------------------------------------


def wijkraad_get_by_slug(*, slug: str) -> Wijkraad:
    return Wijkraad.objects.get(slug=slug)


def wijkraad_list_for_user(*, user: AnyUser) -> QuerySet[Wijkraad]:
    if not user.is_authenticated:
        return Wijkraad.objects.none()
    return Wijkraad.objects.filter(is_active=True, memberships__user=user).distinct()


def wijkraad_scope_codes(*, user: AnyUser) -> frozenset[str]:
    """CBS codes of the wijken and buurten of the active wijkraden the user belongs to."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    codes = Area.objects.filter(
        wijkraden__is_active=True, wijkraden__memberships__user=user
    ).values_list("code", flat=True)
    return frozenset(codes)


def area_in_scope_codes(*, area: Area, scope_codes: frozenset[str]) -> bool:
    """An area is in scope when its code is one of the scope codes, or when it is a buurt
    whose wijk is. Matching is by CBS code, so a wijkraad keeps its scope when a newer
    vintage of the same wijken is imported."""
    if not scope_codes:
        return False
    if area.code in scope_codes:
        return True
    if area.level == AreaLevel.BUURT:
        wijk_code = area.parent_code or parent_code_of(area.code)
        return wijk_code in scope_codes
    return False


def area_in_wijkraad_scope(*, user: AnyUser, area: Area) -> bool:
    return area_in_scope_codes(area=area, scope_codes=wijkraad_scope_codes(user=user))


def user_is_wijkraad_member(*, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return WijkraadMembership.objects.filter(user=user, wijkraad__is_active=True).exists()


# --- Burgerpanel ----------------------------------------------------------------------------


def burgerpanel_get_by_slug(*, slug: str) -> Burgerpanel:
    return Burgerpanel.objects.get(slug=slug)


def consent_text_current(*, panel: Burgerpanel) -> ConsentText | None:
    """The latest published consent text of a panel, or None while nothing is published."""
    return (
        panel.consent_texts.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def consent_text_get(*, panel: Burgerpanel, version: int) -> ConsentText:
    """A published version of a panel's consent text; raises ConsentText.DoesNotExist."""
    return panel.consent_texts.get(version=version, published_at__isnull=False)


def panel_membership_active(*, user: AnyUser, panel: Burgerpanel) -> PanelMembership | None:
    if not user.is_authenticated:
        return None
    return PanelMembership.objects.filter(user=user, panel=panel, withdrawn_at__isnull=True).first()


def user_is_panel_member(*, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return PanelMembership.objects.filter(
        user=user, withdrawn_at__isnull=True, panel__is_active=True
    ).exists()


def panel_member_count(*, panel: Burgerpanel | None = None) -> int:
    """Active members of one panel, or of all active panels."""
    qs = PanelMembership.objects.filter(withdrawn_at__isnull=True)
    qs = qs.filter(panel=panel) if panel is not None else qs.filter(panel__is_active=True)
    return qs.count()


def burgerpanel_list_open(*, municipality_code: str) -> list[Burgerpanel]:
    """Panels that take new members from this municipality: active, recruiting in the
    municipality (a panel may be shared by several) and with a published consent text.
    The panel's current consent text is attached as `current_consent_text`."""
    digits = municipality_code[2:6]
    panels = []
    for panel in Burgerpanel.objects.filter(is_active=True).order_by("name"):
        if not any(code[2:6] == digits for code in panel.municipality_codes):
            continue
        panel.current_consent_text = consent_text_current(panel=panel)
        if panel.current_consent_text is not None:
            panels.append(panel)
    return panels


def panel_membership_list_for_user(*, user: AnyUser) -> QuerySet[PanelMembership]:
    """The user's active memberships, with panel, consent text and buurt."""
    if not user.is_authenticated:
        return PanelMembership.objects.none()
    return (
        PanelMembership.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("panel", "consent_text", "buurt")
        .order_by("panel__name")
    )


def panel_membership_get_for_user(*, user: AnyUser, panel_slug: str) -> PanelMembership:
    """The user's active membership of the panel with this slug; raises
    PanelMembership.DoesNotExist (also for anonymous users and withdrawn memberships)."""
    return panel_membership_list_for_user(user=user).get(panel__slug=panel_slug)


def panel_membership_consent_outdated(*, membership: PanelMembership) -> ConsentText | None:
    """The panel's current consent text when it is newer than the one the member agreed to
    (the member is asked to consent again), else None."""
    current = consent_text_current(panel=membership.panel)
    if current is None or current.pk == membership.consent_text_id:
        return None
    if current.version < membership.consent_text.version:
        return None
    return current


@dataclass(frozen=True)
class BuurtChoiceGroup:
    """The buurten of one wijk, for a grouped buurt picker."""

    wijk_code: str
    wijk_name: str
    buurten: list[Area]


def _panel_buurt_vintages(*, panel: Burgerpanel) -> dict[str, int]:
    """Per municipality of the panel ("BU" + digits): the latest buurt vintage loaded."""
    vintages = {}
    for code in panel.municipality_codes:
        prefix = "BU" + code[2:6]
        year = area_latest_year(level=AreaLevel.BUURT, code_prefix=prefix)
        if year is not None:
            vintages[prefix] = year
    return vintages


def panel_buurt_list(*, panel: Burgerpanel) -> QuerySet[Area]:
    """The buurten a member of this panel can choose: per municipality of the panel the
    latest vintage, without buurten that are only water. Boundaries are deferred."""
    vintages = _panel_buurt_vintages(panel=panel)
    if not vintages:
        return Area.objects.none()
    condition = Q()
    for prefix, year in vintages.items():
        condition |= Q(code__startswith=prefix, year=year)
    return (
        Area.objects.filter(condition, level=AreaLevel.BUURT, is_water=False)
        .defer(*Area.GEOMETRY_FIELDS)
        .order_by("code")
    )


def panel_buurt_years(*, panel: Burgerpanel) -> list[int]:
    """The vintages of the panel's buurten (one per municipality; usually one year)."""
    return sorted(set(_panel_buurt_vintages(panel=panel).values()))


def panel_buurt_choice_groups(*, panel: Burgerpanel) -> list[BuurtChoiceGroup]:
    """The panel's buurten grouped by wijk, both sorted by name (Dutch-style, ignoring a
    leading apostrophe as in 's-Gravenhage)."""
    buurten = list(panel_buurt_list(panel=panel))
    wijk_codes = {b.parent_code or parent_code_of(b.code) or "" for b in buurten}
    wijk_names = {}  # the newest name of each wijk
    for code, name in (
        Area.objects.filter(level=AreaLevel.WIJK, code__in=wijk_codes)
        .order_by("year")
        .values_list("code", "name")
    ):
        wijk_names[code] = name
    groups: dict[str, list[Area]] = {}
    for buurt in buurten:
        groups.setdefault(buurt.parent_code or parent_code_of(buurt.code) or "", []).append(buurt)

    def sort_key(name: str) -> str:
        return name.casefold().lstrip("'’")

    result = [
        BuurtChoiceGroup(
            wijk_code=code,
            wijk_name=wijk_names.get(code, code),
            buurten=sorted(members, key=lambda b: sort_key(b.name)),
        )
        for code, members in groups.items()
    ]
    return sorted(result, key=lambda g: sort_key(g.wijk_name))


# --- Staff overview -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaVintageCount:
    level: str
    level_label: str
    year: int
    count: int


@dataclass(frozen=True)
class StaffOverview:
    area_counts: list[AreaVintageCount]
    population_latest_year: int | None
    wijkraad_count: int
    panel_member_count: int


def staff_overview_get() -> StaffOverview:
    """Aggregates for the staff home page; no personal data."""
    level_order = {level: i for i, level in enumerate(AreaLevel.values)}
    level_labels = dict(AreaLevel.choices)
    rows = area_list().order_by().values("level", "year").annotate(count=Count("id"))
    area_counts = sorted(
        (
            AreaVintageCount(
                level=row["level"],
                level_label=str(level_labels.get(row["level"], row["level"])),
                year=row["year"],
                count=row["count"],
            )
            for row in rows
        ),
        key=lambda c: (level_order.get(c.level, len(level_order)), -c.year),
    )
    population_year = AreaPopulation.objects.aggregate(year=Max("year"))["year"]
    return StaffOverview(
        area_counts=area_counts,
        population_latest_year=population_year,
        wijkraad_count=Wijkraad.objects.filter(is_active=True).count(),
        panel_member_count=panel_member_count(),
    )


# --- Veiligheidsplan ------------------------------------------------------------------------


def plan_list(*, municipality_code: str) -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.filter(municipality_code=municipality_code).annotate(
        priority_count=Count("priorities", distinct=True),
        evidence_count=Count(
            "evidence", filter=Q(evidence__withdrawn_at__isnull=True), distinct=True
        ),
    )


def plan_get(*, uuid: object) -> SafetyPlan:
    """A plan with its priorities (and thema), their goals and every evidence block, in
    order; SafetyPlan.DoesNotExist when unknown."""
    evidence = EvidenceBlock.objects.select_related("created_by").order_by("created_at", "pk")
    return SafetyPlan.objects.prefetch_related(
        Prefetch(
            "priorities",
            queryset=PlanPriority.objects.select_related("theme__parent").prefetch_related(
                Prefetch(
                    "goals",
                    queryset=PlanGoal.objects.prefetch_related(
                        Prefetch("evidence", queryset=evidence)
                    ),
                ),
                Prefetch("evidence", queryset=evidence.filter(goal__isnull=True)),
            ),
        ),
        Prefetch(
            "evidence",
            queryset=evidence.filter(priority__isnull=True, goal__isnull=True),
            to_attr="plan_level_evidence",
        ),
    ).get(uuid=uuid)


def plan_priority_get(*, plan: SafetyPlan, pk: int) -> PlanPriority:
    return PlanPriority.objects.select_related("plan", "theme").get(plan=plan, pk=pk)


def plan_goal_get(*, plan: SafetyPlan, pk: int) -> PlanGoal:
    return PlanGoal.objects.select_related("priority__plan").get(priority__plan=plan, pk=pk)


def evidence_block_get(*, plan: SafetyPlan, uuid: object) -> EvidenceBlock:
    return EvidenceBlock.objects.select_related("plan").get(plan=plan, uuid=uuid)


def plan_theme_choices(*, plan: SafetyPlan) -> list[Theme]:
    """Active velden, thema's and cross-cutting themes (default set and the municipality's
    own) not yet used by a priority of the plan, in taxonomy order."""
    used = plan.priorities.values_list("theme_id", flat=True)
    return list(
        Theme.objects.filter(is_active=True, municipality_code__in=["", plan.municipality_code])
        .exclude(pk__in=used)
        .select_related("parent")
        .order_by("municipality_code", "position", "code")
    )


def plan_export(*, plan: SafetyPlan) -> dict[str, Any]:
    """The plan (as `plan_get` loads it) with its priorities, goals and every evidence block
    (withdrawn ones marked), each block with its digest and whether it still matches: the
    JSON export and the API."""

    def block(b: EvidenceBlock) -> dict[str, Any]:
        return {
            "id": str(b.uuid),
            "kind": b.kind,
            "title": b.title,
            "payload": b.payload,
            "source": b.source,
            "digest_sha256": b.digest,
            "digest_verified": evidence_verify(block=b),
            "frozen_at": b.created_at.isoformat(timespec="seconds"),
            "withdrawn_at": b.withdrawn_at.isoformat(timespec="seconds")
            if b.withdrawn_at
            else None,
            "withdrawn_reason": b.withdrawn_reason or None,
        }

    def number(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "plan": {
            "id": str(plan.uuid),
            "title": plan.title,
            "municipality_code": plan.municipality_code,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "status": plan.status,
            "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
            "summary": plan.summary,
        },
        "evidence": [block(b) for b in plan.plan_level_evidence],
        "priorities": [
            {
                "title": p.title,
                "kind": p.kind,
                "theme": {"code": p.theme.code, "slug": p.theme.slug, "name": p.theme.name},
                "rationale": p.rationale,
                "evidence": [block(b) for b in p.evidence.all()],
                "goals": [
                    {
                        "description": g.description,
                        "indicator": g.indicator,
                        "indicator_code": g.indicator_code,
                        "unit": g.unit,
                        "baseline_value": number(g.baseline_value),
                        "baseline_year": g.baseline_year,
                        "target_value": number(g.target_value),
                        "target_year": g.target_year,
                        "ambition_value": number(g.ambition_value),
                        "source": g.source,
                        "evidence": [block(b) for b in g.evidence.all()],
                    }
                    for g in p.goals.all()
                ],
            }
            for p in plan.priorities.all()
        ],
        "exported_at": timezone.now().isoformat(timespec="seconds"),
    }


def plan_list_adopted(*, municipality_code: str) -> QuerySet[SafetyPlan]:
    """Adopted plans, newest first: what the public page lists."""
    return SafetyPlan.objects.filter(
        municipality_code=municipality_code, status=SafetyPlan.Status.ADOPTED
    ).order_by("-start_year", "title")
