"""The veiligheidsplan services: plans, priorities, goals and frozen evidence blocks. Every
refusal names the field and leaves nothing written."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from participation.models import EvidenceBlock, PlanGoal, PlanPriority, SafetyPlan, Theme
from participation.services import (
    evidence_attach,
    evidence_verify,
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
from participation.taxonomy import taxonomy_seed_default
from tests.participation.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {"columns": [{"key": "area", "label": "Gebied"}], "rows": [{"area": "Noord"}]}
SOURCE = {"description": "Meldingen van inwoners", "period": {"from": "2026-01-01"}}


@pytest.fixture
def themes(db):
    taxonomy_seed_default()
    return {t.slug: t for t in Theme.objects.all()}


@pytest.fixture
def plan(themes):
    return plan_create(
        municipality_code="GM0546", title="IVP Leiden 2027–2030", start_year=2027, end_year=2030
    )


@pytest.fixture
def priority(plan, themes):
    return priority_add(plan=plan, theme=themes["jeugdoverlast"], title="Minder jeugdoverlast")


GOAL = {
    "description": "Minder overlast van jongeren",
    "indicator": "Meldingen jeugdoverlast per 1.000 inwoners",
    "indicator_code": "i18",
    "unit": "per_1000",
    "baseline_value": "5,9",
    "baseline_year": 2025,
    "target_value": "5.0",
    "target_year": 2030,
    "ambition_value": "4,8",
    "source": "Buurtstem",
}


def _refused(call, code, field):
    with pytest.raises(DomainError) as exc_info:
        call()
    assert exc_info.value.code == code
    assert exc_info.value.extra.get("field") == field
    return exc_info.value


# --- Plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"municipality_code": "GM05"}, "municipality_code"),
        ({"municipality_code": "WK054600"}, "municipality_code"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"start_year": "volgend jaar"}, "start_year"),
        ({"start_year": 1999}, "start_year"),
        ({"end_year": 2026}, "end_year"),
        ({"end_year": 2033}, "end_year"),  # seven years
    ],
)
def test_plan_create_refuses_bad_input(db, overrides, field):
    data = {"municipality_code": "GM0546", "title": "IVP", "start_year": 2027, "end_year": 2030}
    _refused(lambda: plan_create(**{**data, **overrides}), "plan_invalid", field)
    assert SafetyPlan.objects.count() == 0


def test_plan_update_keeps_goals_inside_the_years(plan, priority):
    goal_add(priority=priority, **GOAL)

    _refused(
        lambda: plan_update(plan=plan, title="IVP", start_year=2027, end_year=2029),
        "plan_invalid",
        "end_year",
    )
    plan_update(plan=plan, title="IVP 2027–2031", start_year=2027, end_year=2031, summary="Nieuw")
    plan.refresh_from_db()
    assert (plan.title, plan.end_year, plan.summary) == ("IVP 2027–2031", 2031, "Nieuw")


def test_adopting_needs_a_priority_and_a_date_that_has_passed(plan, themes):
    _refused(
        lambda: plan_adopt(plan=plan, adopted_on=date(2026, 11, 1)), "plan_invalid", "priorities"
    )
    priority_add(plan=plan, theme=themes["jeugdoverlast"], title="Jeugd")
    tomorrow = timezone.localdate() + timedelta(days=1)
    _refused(lambda: plan_adopt(plan=plan, adopted_on=tomorrow), "plan_invalid", "adopted_on")

    adopted = plan_adopt(plan=plan, adopted_on=date(2026, 11, 1))
    assert adopted.status == SafetyPlan.Status.ADOPTED
    assert adopted.adopted_on == date(2026, 11, 1)


def test_an_adopted_plan_is_frozen(plan, priority, themes):
    goal = goal_add(priority=priority, **GOAL)
    block = evidence_attach(
        plan=plan,
        kind="report_rates",
        title="Cijfers",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )
    plan_adopt(plan=plan, adopted_on=date(2026, 11, 1))

    for call in (
        lambda: plan_update(plan=plan, title="x", start_year=2027, end_year=2030),
        lambda: plan_adopt(plan=plan, adopted_on=date(2026, 11, 1)),
        lambda: priority_add(plan=plan, theme=themes["verkeersveiligheid"], title="Verkeer"),
        lambda: priority_update(priority=priority, title="x", kind="regulier"),
        lambda: priority_delete(priority=priority),
        lambda: goal_add(priority=priority, **GOAL),
        lambda: goal_update(goal=goal, **GOAL),
        lambda: goal_delete(goal=goal),
        lambda: evidence_attach(
            plan=plan,
            kind="report_rates",
            title="Meer",
            payload=PAYLOAD,
            source=SOURCE,
            created_by=None,
        ),
        lambda: evidence_withdraw(block=block, reason="fout"),
    ):
        with pytest.raises(DomainError) as exc_info:
            call()
        assert exc_info.value.code == "plan_not_draft"
    assert PlanPriority.objects.count() == 1
    assert PlanGoal.objects.count() == 1
    assert EvidenceBlock.objects.get().withdrawn_at is None


# --- Priorities -------------------------------------------------------------------------------


def test_priorities_are_numbered_and_unique_per_theme(plan, themes):
    first = priority_add(plan=plan, theme=themes["jeugdoverlast"], title="Jeugd")
    second = priority_add(
        plan=plan, theme=themes["verkeersveiligheid"], title="Verkeer", kind="regulier"
    )
    assert (first.position, second.position) == (1, 2)
    assert second.kind == PlanPriority.Kind.REGULAR

    _refused(
        lambda: priority_add(plan=plan, theme=themes["jeugdoverlast"], title="Nog eens"),
        "duplicate_priority",
        "theme",
    )


def test_priority_refuses_inactive_or_foreign_themes_and_unknown_kinds(plan, themes):
    inactive = themes["brandveiligheid"]
    inactive.is_active = False
    inactive.save()
    foreign = Theme.objects.create(
        municipality_code="GM0363", code="X1", slug="eigen", name="Eigen", kind=Theme.Kind.THEMA
    )
    _refused(lambda: priority_add(plan=plan, theme=inactive, title="B"), "plan_invalid", "theme")
    _refused(lambda: priority_add(plan=plan, theme=foreign, title="E"), "plan_invalid", "theme")
    _refused(
        lambda: priority_add(plan=plan, theme=themes["jeugdoverlast"], title="J", kind="x"),
        "plan_invalid",
        "kind",
    )
    _refused(
        lambda: priority_add(plan=plan, theme=themes["jeugdoverlast"], title=""),
        "plan_invalid",
        "title",
    )
    assert PlanPriority.objects.count() == 0


def test_deleting_a_priority_removes_its_goals_and_evidence(plan, priority):
    goal = goal_add(priority=priority, **GOAL)
    evidence_attach(
        plan=plan,
        goal=goal,
        kind="report_rates",
        title="C",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )
    priority_delete(priority=priority)
    assert (PlanGoal.objects.count(), EvidenceBlock.objects.count()) == (0, 0)


# --- Goals ------------------------------------------------------------------------------------


def test_goal_numbers_accept_a_decimal_comma(priority):
    goal = goal_add(priority=priority, **GOAL)
    assert (goal.baseline_value, goal.target_value, goal.ambition_value) == (
        Decimal("5.90"),
        Decimal("5.00"),
        Decimal("4.80"),
    )
    assert goal.indicator_code == "I18"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "meters"}, "unit"),
        ({"target_value": ""}, "target_value"),
        ({"target_value": "vijf"}, "target_value"),
        ({"target_value": "NaN"}, "target_value"),
        ({"unit": "percent", "target_value": "101"}, "target_value"),
        ({"unit": "mark", "baseline_value": "0,5"}, "baseline_value"),
        ({"unit": "score_0_10", "ambition_value": "11"}, "ambition_value"),
        ({"target_value": "-1"}, "target_value"),
        ({"target_year": 2031}, "target_year"),
        ({"target_year": 2026}, "target_year"),
        ({"baseline_year": 2028}, "baseline_year"),
        ({"baseline_year": ""}, "baseline_year"),
        ({"baseline_value": ""}, "baseline_value"),
        ({"ambition_value": "5,5"}, "ambition_value"),  # less far than the target
        ({"ambition_value": "6,5"}, "ambition_value"),  # the other way
        ({"description": ""}, "description"),
        ({"indicator": ""}, "indicator"),
        ({"indicator_code": "I18-TE-LANG"}, "indicator_code"),
    ],
)
def test_goal_refuses_bad_input(priority, overrides, field):
    _refused(lambda: goal_add(priority=priority, **{**GOAL, **overrides}), "plan_invalid", field)
    assert PlanGoal.objects.count() == 0


def test_goal_without_baseline_or_ambition(priority):
    goal = goal_add(
        priority=priority,
        **{**GOAL, "baseline_value": "", "baseline_year": None, "ambition_value": None},
    )
    assert (goal.baseline_value, goal.baseline_year, goal.ambition_value) == (None, None, None)


def test_goal_update_and_delete(priority):
    goal = goal_add(priority=priority, **GOAL)
    goal_update(goal=goal, **{**GOAL, "target_value": "4,5", "ambition_value": "4"})
    goal.refresh_from_db()
    assert goal.target_value == Decimal("4.50")
    goal_delete(goal=goal)
    assert PlanGoal.objects.count() == 0


# --- Evidence ---------------------------------------------------------------------------------


def test_evidence_is_frozen_with_a_digest_that_detects_changes(plan, priority):
    author = UserFactory()
    block = evidence_attach(
        plan=plan,
        priority=priority,
        kind="report_rates",
        title="  Meldingen jeugdoverlast  ",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=author,
    )
    block.refresh_from_db()
    assert block.title == "Meldingen jeugdoverlast"
    assert block.created_by == author
    assert len(block.digest) == 64
    assert evidence_verify(block=block)

    EvidenceBlock.objects.filter(pk=block.pk).update(
        payload={**PAYLOAD, "rows": [{"area": "Zuid"}]}
    )
    block.refresh_from_db()
    assert not evidence_verify(block=block)


def test_evidence_at_a_goal_belongs_to_its_priority(plan, priority):
    goal = goal_add(priority=priority, **GOAL)
    block = evidence_attach(
        plan=plan,
        goal=goal,
        kind="report_rates",
        title="C",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )
    assert (block.priority, block.goal) == (priority, goal)


def test_evidence_refuses_what_does_not_fit(plan, priority, themes):
    other = plan_create(
        municipality_code="GM0546", title="Ander plan", start_year=2031, end_year=2034
    )
    other_priority = priority_add(plan=other, theme=themes["jeugdoverlast"], title="J")
    goal = goal_add(priority=priority, **GOAL)
    base = {
        "plan": plan,
        "kind": "report_rates",
        "title": "C",
        "payload": PAYLOAD,
        "source": SOURCE,
    }

    cases = [
        ({"kind": "gevoel"}, "kind"),
        ({"priority": other_priority}, "priority"),
        ({"priority": other_priority, "goal": goal}, "goal"),
        ({"payload": {"rows": []}}, "payload"),
        ({"payload": ["geen", "dict"]}, "payload"),
        ({"source": {}}, "source"),
        ({"title": ""}, "title"),
    ]
    for overrides, field in cases:
        _refused(
            lambda o=overrides: evidence_attach(**{**base, **o}, created_by=None),
            "evidence_invalid" if field != "title" else "plan_invalid",
            field,
        )
    assert EvidenceBlock.objects.count() == 0


def test_withdrawing_needs_a_reason_and_happens_once(plan):
    block = evidence_attach(
        plan=plan, kind="report_rates", title="C", payload=PAYLOAD, source=SOURCE, created_by=None
    )
    _refused(lambda: evidence_withdraw(block=block, reason=" "), "plan_invalid", "reason")

    withdrawn = evidence_withdraw(block=block, reason="Verkeerde periode")
    assert withdrawn.is_withdrawn
    assert withdrawn.withdrawn_reason == "Verkeerde periode"
    assert evidence_verify(block=withdrawn)  # the figures themselves are untouched
    _refused(lambda: evidence_withdraw(block=block, reason="Nog eens"), "evidence_invalid", "block")
