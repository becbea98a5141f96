"""The adopted veiligheidsplan in public (/veiligheidsplan/): priorities, goals and the evidence
from residents' input, as frozen. Drafts are not public; staff names are never shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.views.generic import TemplateView

from participation.digests import evidence_verify
from participation.models import SafetyPlan
from participation.selectors import plan_get, plan_list_adopted


class PublicPlanListView(TemplateView):
    template_name = "frontend/plans/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plans"] = plan_list_adopted(municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE)
        return context


class PublicPlanView(TemplateView):
    template_name = "frontend/plans/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            plan = plan_get(uuid=self.kwargs["uuid"])
        except SafetyPlan.DoesNotExist as exc:
            raise Http404 from exc
        if plan.is_draft or plan.municipality_code != settings.BUURTSTEM_MUNICIPALITY_CODE:
            raise Http404

        def shown(blocks: Any) -> list[tuple[Any, bool, None]]:
            return [(b, evidence_verify(block=b), None) for b in blocks if not b.is_withdrawn]

        context.update(
            plan=plan,
            plan_evidence=shown(plan.plan_level_evidence),
            sections=[
                {
                    "priority": p,
                    "evidence": shown(p.evidence.all()),
                    "goals": [(g, shown(g.evidence.all())) for g in p.goals.all()],
                }
                for p in plan.priorities.all()
            ],
            public=True,
        )
        return context
