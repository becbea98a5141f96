"""Write use cases for the Integraal Veiligheidsplan: plans, priorities, goals and frozen
evidence blocks (docs/ivp.md).

A plan is edited while it is a draft; adopting it freezes everything in it. Evidence blocks
are frozen from the moment they are attached: only withdrawn (with a reason) in a draft.
Building the figures of a block is the job of the app that owns them (`reports.evidence`,
`surveys.evidence`); this module stores them with their source and a digest.
"""

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import AreaLevel, code_is_valid
from participation.digests import evidence_digest
from participation.exceptions import (
    DuplicatePriorityError,
    EvidenceInvalidError,
    PlanInvalidError,
    PlanNotDraftError,
)
from participation.models import (
    EvidenceBlock,
    PlanGoal,
    PlanPriority,
    SafetyPlan,
    Theme,
    User,
)

MIN_YEAR, MAX_YEAR = 2000, 2100
# Plausible ranges per unit (inclusive); None: no upper bound.
UNIT_RANGES: dict[str, tuple[Decimal, Decimal | None]] = {
    PlanGoal.Unit.PERCENT: (Decimal(0), Decimal(100)),
    PlanGoal.Unit.PER_1000: (Decimal(0), Decimal(1000)),
    PlanGoal.Unit.MARK: (Decimal(1), Decimal(10)),
    PlanGoal.Unit.SCORE: (Decimal(0), Decimal(10)),
    PlanGoal.Unit.COUNT: (Decimal(0), None),
}


def _require_draft(plan: SafetyPlan) -> None:
    if not plan.is_draft:
        raise PlanNotDraftError(extra={"plan": str(plan.uuid)})


def _draft_plan(plan_id: int) -> SafetyPlan:
    """The plan, read again and locked for this transaction (a caller's instance may be
    stale: adopted meanwhile), refused unless it is a draft."""
    plan = SafetyPlan.objects.select_for_update().get(pk=plan_id)
    _require_draft(plan)
    return plan


def _text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise PlanInvalidError(_("Vul dit veld in."), extra={"field": field})
    if len(text) > max_length:
        raise PlanInvalidError(
            _("Dit is te lang (hooguit %(max)d tekens).") % {"max": max_length},
            extra={"field": field, "max_length": max_length},
        )
    return text


def _year(value: Any, *, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise PlanInvalidError(_("Vul een jaartal in."), extra={"field": field}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PlanInvalidError(
            _("Kies een jaar tussen %(min)d en %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            extra={"field": field},
        )
    return year


def _plan_years(start_year: Any, end_year: Any) -> tuple[int, int]:
    start = _year(start_year, field="start_year")
    end = _year(end_year, field="end_year")
    if end < start:
        raise PlanInvalidError(
            _("Het laatste jaar ligt vóór het eerste jaar."), extra={"field": "end_year"}
        )
    if end - start + 1 > SafetyPlan.MAX_YEARS:
        raise PlanInvalidError(
            _("Een veiligheidsplan loopt hooguit %(n)d jaar.") % {"n": SafetyPlan.MAX_YEARS},
            extra={"field": "end_year"},
        )
    return start, end


@transaction.atomic
def plan_create(
    *, municipality_code: str, title: str, start_year: Any, end_year: Any, summary: str = ""
) -> SafetyPlan:
    if not code_is_valid(municipality_code, AreaLevel.GEMEENTE):
        raise PlanInvalidError(
            _("Dit is geen CBS-gemeentecode."), extra={"field": "municipality_code"}
        )
    start, end = _plan_years(start_year, end_year)
    plan = SafetyPlan(
        municipality_code=municipality_code,
        title=_text(title, field="title", max_length=200),
        start_year=start,
        end_year=end,
        summary=_text(summary, field="summary", max_length=5000, required=False),
    )
    plan.save()
    return plan


@transaction.atomic
def plan_update(
    *, plan: SafetyPlan, title: str, start_year: Any, end_year: Any, summary: str = ""
) -> SafetyPlan:
    plan = _draft_plan(plan.pk)
    start, end = _plan_years(start_year, end_year)
    outside = PlanGoal.objects.filter(priority__plan=plan).exclude(
        target_year__gte=start, target_year__lte=end
    )
    if outside.exists():
        raise PlanInvalidError(
            _("Er zijn doelen met een doeljaar buiten deze jaren. Pas die eerst aan."),
            extra={"field": "end_year"},
        )
    plan.title = _text(title, field="title", max_length=200)
    plan.start_year, plan.end_year = start, end
    plan.summary = _text(summary, field="summary", max_length=5000, required=False)
    plan.save()
    return plan


@transaction.atomic
def plan_adopt(*, plan: SafetyPlan, adopted_on: date) -> SafetyPlan:
    """The council adopted the plan: from now on nothing in it changes."""
    plan = _draft_plan(plan.pk)
    if not plan.priorities.exists():
        raise PlanInvalidError(
            _("Een plan zonder prioriteiten kan niet worden vastgesteld."),
            extra={"field": "priorities"},
        )
    if adopted_on > timezone.localdate():
        raise PlanInvalidError(
            _("De datum van vaststellen ligt in de toekomst."), extra={"field": "adopted_on"}
        )
    plan.status = SafetyPlan.Status.ADOPTED
    plan.adopted_on = adopted_on
    plan.save()
    return plan


# --- Priorities -----------------------------------------------------------------------------


def _theme_for(plan: SafetyPlan, theme: Theme) -> Theme:
    if not theme.is_active or theme.municipality_code not in ("", plan.municipality_code):
        raise PlanInvalidError(_("Kies een actief thema."), extra={"field": "theme"})
    return theme


@transaction.atomic
def priority_add(
    *,
    plan: SafetyPlan,
    theme: Theme,
    title: str,
    kind: str = PlanPriority.Kind.SPEERPUNT,
    rationale: str = "",
) -> PlanPriority:
    plan = _draft_plan(plan.pk)
    if kind not in PlanPriority.Kind.values:
        raise PlanInvalidError(_("Kies speerpunt of regulier thema."), extra={"field": "kind"})
    if plan.priorities.filter(theme=theme).exists():
        raise DuplicatePriorityError(extra={"field": "theme"})
    last = plan.priorities.order_by("-position").values_list("position", flat=True).first()
    priority = PlanPriority(
        plan=plan,
        theme=_theme_for(plan, theme),
        kind=kind,
        title=_text(title, field="title", max_length=200),
        rationale=_text(rationale, field="rationale", max_length=5000, required=False),
        position=(last or 0) + 1,
    )
    try:
        with transaction.atomic():
            priority.save()
    except IntegrityError:  # a concurrent twin
        raise DuplicatePriorityError(extra={"field": "theme"}) from None
    return priority


@transaction.atomic
def priority_update(
    *, priority: PlanPriority, title: str, kind: str, rationale: str = ""
) -> PlanPriority:
    _draft_plan(priority.plan_id)
    if kind not in PlanPriority.Kind.values:
        raise PlanInvalidError(_("Kies speerpunt of regulier thema."), extra={"field": "kind"})
    priority.title = _text(title, field="title", max_length=200)
    priority.kind = kind
    priority.rationale = _text(rationale, field="rationale", max_length=5000, required=False)
    priority.save()
    return priority


@transaction.atomic
def priority_delete(*, priority: PlanPriority) -> None:
    """Removes the priority with its goals and the evidence attached to them (draft only)."""
    _draft_plan(priority.plan_id)
    priority.delete()


# --- Goals ----------------------------------------------------------------------------------


def _number(value: Any, *, field: str, required: bool) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PlanInvalidError(_("Vul een getal in."), extra={"field": field})
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise PlanInvalidError(_("Vul een getal in."), extra={"field": field}) from None
    if not number.is_finite():
        raise PlanInvalidError(_("Vul een getal in."), extra={"field": field})
    return number.quantize(Decimal("0.01"))


def _in_range(value: Decimal | None, unit: str, field: str) -> None:
    if value is None:
        return
    low, high = UNIT_RANGES[unit]
    if value < low or (high is not None and value > high):
        bounds = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise PlanInvalidError(
            _("Dit getal past niet bij de eenheid (%(bounds)s).") % {"bounds": bounds},
            extra={"field": field},
        )


def _goal_values(plan: SafetyPlan, data: dict[str, Any]) -> dict[str, Any]:
    unit = data.get("unit")
    if unit not in PlanGoal.Unit.values:
        raise PlanInvalidError(_("Kies een eenheid."), extra={"field": "unit"})
    baseline = _number(data.get("baseline_value"), field="baseline_value", required=False)
    target = _number(data.get("target_value"), field="target_value", required=True)
    ambition = _number(data.get("ambition_value"), field="ambition_value", required=False)
    for field, value in (
        ("baseline_value", baseline),
        ("target_value", target),
        ("ambition_value", ambition),
    ):
        _in_range(value, unit, field)
    target_year = _year(data.get("target_year"), field="target_year")
    if not plan.start_year <= target_year <= plan.end_year:
        raise PlanInvalidError(
            _("Het doeljaar ligt niet in de looptijd van het plan (%(start)d–%(end)d).")
            % {"start": plan.start_year, "end": plan.end_year},
            extra={"field": "target_year"},
        )
    baseline_year = None
    if data.get("baseline_year") not in (None, ""):
        baseline_year = _year(data.get("baseline_year"), field="baseline_year")
        if baseline_year > plan.start_year:
            raise PlanInvalidError(
                _("De nulmeting ligt na het begin van het plan."),
                extra={"field": "baseline_year"},
            )
    if (baseline is None) != (baseline_year is None):
        field = "baseline_year" if baseline_year is None else "baseline_value"
        raise PlanInvalidError(
            _("Geef bij een nulmeting zowel de waarde als het jaar."), extra={"field": field}
        )
    if ambition is not None and baseline is not None and target != baseline:
        toward = (target - baseline) > 0
        if ((ambition - baseline) > 0) != toward or abs(ambition - baseline) < abs(
            target - baseline
        ):
            raise PlanInvalidError(
                _("De ambitie gaat minder ver dan het doel, of de andere kant op."),
                extra={"field": "ambition_value"},
            )
    code = (data.get("indicator_code") or "").strip().upper()
    if len(code) > 10:
        raise PlanInvalidError(_("Gebruik een korte code."), extra={"field": "indicator_code"})
    return {
        "description": _text(data.get("description", ""), field="description", max_length=2000),
        "indicator": _text(data.get("indicator", ""), field="indicator", max_length=200),
        "indicator_code": code,
        "unit": unit,
        "baseline_value": baseline,
        "baseline_year": baseline_year,
        "target_value": target,
        "target_year": target_year,
        "ambition_value": ambition,
        "source": _text(data.get("source", ""), field="source", max_length=300, required=False),
    }


@transaction.atomic
def goal_add(*, priority: PlanPriority, **data: Any) -> PlanGoal:
    """A SMART goal. `data`: description, indicator, indicator_code, unit, baseline_value,
    baseline_year, target_value, target_year, ambition_value, source. Numbers may be
    strings with a decimal comma."""
    plan = _draft_plan(priority.plan_id)
    last = priority.goals.order_by("-position").values_list("position", flat=True).first()
    goal = PlanGoal(priority=priority, position=(last or 0) + 1, **_goal_values(plan, data))
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: PlanGoal, **data: Any) -> PlanGoal:
    plan = _draft_plan(goal.priority.plan_id)
    for name, value in _goal_values(plan, data).items():
        setattr(goal, name, value)
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: PlanGoal) -> None:
    _draft_plan(goal.priority.plan_id)
    goal.delete()


# --- Evidence -------------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(
    *,
    plan: SafetyPlan,
    kind: str,
    title: str,
    payload: dict[str, Any],
    source: dict[str, Any],
    created_by: User | None,
    priority: PlanPriority | None = None,
    goal: PlanGoal | None = None,
) -> EvidenceBlock:
    """Freeze figures into the plan (at a priority or goal, or the plan as a whole)."""
    plan = _draft_plan(plan.pk)
    if kind not in EvidenceBlock.Kind.values:
        raise EvidenceInvalidError(extra={"field": "kind"})
    if goal is not None:
        if priority is not None and goal.priority_id != priority.pk:
            raise EvidenceInvalidError(
                _("Dit doel hoort niet bij deze prioriteit."), extra={"field": "goal"}
            )
        priority = goal.priority
    if priority is not None and priority.plan_id != plan.pk:
        raise EvidenceInvalidError(
            _("Deze prioriteit hoort niet bij dit plan."), extra={"field": "priority"}
        )
    if not isinstance(payload, dict) or not payload.get("rows"):
        raise EvidenceInvalidError(
            _("Er zijn geen cijfers om vast te leggen."), extra={"field": "payload"}
        )
    if not isinstance(source, dict) or not source.get("description"):
        raise EvidenceInvalidError(_("De herkomst ontbreekt."), extra={"field": "source"})
    clean_title = _text(title, field="title", max_length=200)
    # Round-trip through JSON: what is stored is exactly what the digest covers.
    payload = json.loads(json.dumps(payload, ensure_ascii=False))
    source = json.loads(json.dumps(source, ensure_ascii=False))
    block = EvidenceBlock(
        plan=plan,
        priority=priority,
        goal=goal,
        kind=kind,
        title=clean_title,
        payload=payload,
        source=source,
        digest=evidence_digest(kind=kind, title=clean_title, payload=payload, source=source),
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    block.save()
    return block


@transaction.atomic
def evidence_withdraw(*, block: EvidenceBlock, reason: str) -> EvidenceBlock:
    _draft_plan(block.plan_id)
    block = EvidenceBlock.objects.select_for_update().get(pk=block.pk)
    if block.is_withdrawn:
        raise EvidenceInvalidError(_("Dit bewijs is al ingetrokken."), extra={"field": "block"})
    block.withdrawn_reason = _text(reason, field="reason", max_length=300)
    block.withdrawn_at = timezone.now()
    block.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return block
