"""The demo veiligheidsplan (used by `seed_demo`): a draft IVP for Leiden with priorities,
goals and evidence frozen from the demo reports, created through the services. It lives in
the interface layer because it combines participation (the plan) with reports (the figures).
Idempotent: a plan with the demo title is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from geo.codes import AreaLevel
from participation.models import SafetyPlan, Theme, User
from participation.services import evidence_attach, goal_add, plan_create, priority_add
from reports.analysis import RateFilters, sensitivities_for
from reports.evidence import report_rates_evidence
from surveys.evidence import survey_indicators_evidence
from surveys.selectors import survey_versions_with_responses

DEMO_PLAN_TITLE = "Integraal Veiligheidsplan Leiden {start}–{end} (demo)"


def _last_year() -> RateFilters:
    today = timezone.localdate()
    return RateFilters(
        date_from=today - timedelta(days=364),
        date_to=today,
        sensitivities=sensitivities_for(may_see_confidential=False),
    )


def _with_theme(filters: RateFilters, theme: str) -> RateFilters:
    return RateFilters(**{**filters.__dict__, "theme": theme})


def _rate(value: float | None, factor: str) -> str | None:
    if value is None:
        return None
    return str((Decimal(str(value)) * Decimal(factor)).quantize(Decimal("0.1")))


def plan_demo_seed(*, author: User | None = None) -> SafetyPlan | None:
    """The demo plan for the next four years; None when it exists already or there are no
    velden (taxonomy not seeded)."""
    start = timezone.localdate().year + 1
    title = DEMO_PLAN_TITLE.format(start=start, end=start + 3)
    code = settings.BUURTSTEM_MUNICIPALITY_CODE
    if SafetyPlan.objects.filter(municipality_code=code, title=title).exists():
        return None
    themes = {t.slug: t for t in Theme.objects.filter(municipality_code="")}
    if "jeugdoverlast" not in themes:
        return None
    plan = plan_create(
        municipality_code=code,
        title=title,
        start_year=start,
        end_year=start + 3,
        summary=(
            "Concept voor de raad. Prioriteiten gekozen op basis van de veiligheidsanalyse, "
            "met cijfers uit meldingen van inwoners in Buurtstem."
        ),
    )
    period = _last_year()

    youth = priority_add(
        plan=plan,
        theme=themes["jeugdoverlast"],
        title="Minder overlast van jongeren",
        rationale="Jongerenoverlast is de meest gemelde vorm van overlast door personen.",
    )
    youth_evidence = report_rates_evidence(
        filters=_with_theme(period, "jeugd-en-veiligheid"),
        level=AreaLevel.WIJK,
        municipality_code=code,
    )
    baseline = (youth_evidence.payload.get("total") or {}).get("rate")
    youth_goal = goal_add(
        priority=youth,
        description="Minder meldingen van overlast door jongeren in de hele gemeente.",
        indicator="Meldingen jeugd en veiligheid per 1.000 inwoners",
        indicator_code="I18",
        unit="per_1000",
        baseline_value=_rate(baseline, "1"),
        baseline_year=period.date_to.year if baseline is not None else None,
        target_value=_rate(baseline, "0.85") or "1.0",
        target_year=start + 3,
        ambition_value=_rate(baseline, "0.8"),
        source="Buurtstem, meldingen van inwoners",
    )
    evidence_attach(plan=plan, goal=youth_goal, created_by=author, **youth_evidence.__dict__)

    physical = priority_add(
        plan=plan,
        theme=themes["fysieke-kwaliteit"],
        title="Een schone en heele buurt",
        rationale="Zwerfafval, vernielingen en donkere plekken worden veel gemeld.",
    )
    evidence_attach(
        plan=plan,
        priority=physical,
        created_by=author,
        **report_rates_evidence(
            filters=_with_theme(period, "veilige-woon-en-leefomgeving"),
            level=AreaLevel.WIJK,
            municipality_code=code,
        ).__dict__,
    )
    _feeling_of_safety(plan, themes, author)
    if "ondermijning" in themes:
        priority_add(
            plan=plan,
            theme=themes["ondermijning"],
            kind="regulier",
            title="Ondermijning blijft aandacht houden",
            rationale=(
                "Meldingen over ondermijning zijn vertrouwelijk: ze komen niet als cijfers in "
                "dit plan."
            ),
        )
    return plan


def _feeling_of_safety(plan: SafetyPlan, themes: dict[str, Theme], author: User | None) -> None:
    """A priority with a goal on I1 (% feels unsafe in the own buurt) whose nulmeting and
    evidence come from the latest demo survey wave, weighted where the figures allow."""
    version = survey_versions_with_responses().first()
    if version is None or "veiligheidsgevoel" not in themes:
        return
    draft = survey_indicators_evidence(
        version=version, channel="panel", breakdown=AreaLevel.WIJK, codes=("I1", "I3", "I4")
    )
    overall = next(
        (r for r in draft.payload["rows"] if r.get("code") == "I1" and r.get("area") == "Gemeente"),
        None,
    )
    priority = priority_add(
        plan=plan,
        theme=themes["veiligheidsgevoel"],
        title="Inwoners voelen zich veiliger in hun buurt",
        rationale="Uit de buurtenquête: een flink deel voelt zich wel eens onveilig.",
    )
    baseline = overall["value"] if overall else None
    year = int((draft.source["period"].get("last") or "2025")[:4])
    goal = goal_add(
        priority=priority,
        description="Minder inwoners die zich wel eens onveilig voelen in de eigen buurt.",
        indicator="Voelt zich wel eens onveilig in de eigen buurt (%)",
        indicator_code="I1",
        unit="percent",
        baseline_value=_rate(baseline, "1"),
        baseline_year=year if baseline is not None else None,
        target_value=_rate(baseline, "0.9") or "30",
        target_year=plan.end_year,
        ambition_value=_rate(baseline, "0.85"),
        source=f"Buurtstem, {version.survey.title}",
    )
    evidence_attach(plan=plan, goal=goal, created_by=author, **draft.as_kwargs())
