"""The veiligheidsplan pages (/beheer/ivp/): plans, priorities, goals, evidence from residents'
input frozen into the plan, and its export. Policy staff and administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.exceptions import DomainError
from frontend.forms.analysis import ReportRateFilterForm
from frontend.forms.plans import (
    AdoptForm,
    EvidenceTargetForm,
    GoalForm,
    PlanForm,
    PriorityForm,
    SurveyEvidenceForm,
    WithdrawForm,
)
from frontend.views.mixins import StaffPageMixin
from frontend.views.staff_reports import add_domain_error, error_links
from participation.evidence import EvidenceDraft
from participation.models import EvidenceBlock, PlanGoal, PlanPriority, SafetyPlan
from participation.selectors import (
    evidence_block_get,
    plan_export,
    plan_get,
    plan_goal_get,
    plan_list,
    plan_priority_get,
)
from participation.services import (
    evidence_attach,
    evidence_verify,
    evidence_withdraw,
    goal_add,
    goal_delete,
    plan_adopt,
    plan_create,
    plan_update,
    priority_add,
    priority_delete,
)
from reports.analysis import sensitivities_for
from reports.evidence import report_rates_evidence
from surveys.evidence import survey_indicators_evidence

PERMISSIONS = ("participation.access_staff_pages", "participation.manage_plans")


def _detail_url(plan: SafetyPlan, anchor: str = "") -> str:
    url = reverse("frontend:staff-plan-detail", kwargs={"uuid": plan.uuid})
    return f"{url}#{anchor}" if anchor else url


class PlanListView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/plans/list.html"
    permission_required = PERMISSIONS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plans"] = plan_list(municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE)
        year = timezone.localdate().year + 1
        context.setdefault("form", PlanForm(initial={"start_year": year, "end_year": year + 3}))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = plan_create(
                    municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error, field_map={f: f for f in form.fields})
            else:
                messages.success(request, _("Het veiligheidsplan is aangemaakt."))
                return HttpResponseRedirect(_detail_url(plan))
        context = self.get_context_data(
            form=form, error_summary=error_links(form, form_id="plan-form")
        )
        return self.render_to_response(context, status=400)


class PlanDetailView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/plans/detail.html"
    permission_required = PERMISSIONS

    def load_plan(self) -> SafetyPlan:
        try:
            return plan_get(uuid=self.kwargs["uuid"])
        except (SafetyPlan.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = getattr(self, "plan", None) or self.load_plan()
        context["plan"] = plan
        draft = plan.is_draft
        withdraw_errors = context.pop("withdraw_errors", {})
        goal_forms = context.pop("goal_forms", {})

        def with_forms(blocks: Any) -> list[tuple[EvidenceBlock, bool, WithdrawForm | None]]:
            out = []
            for block in blocks:
                form = None
                if draft and not block.is_withdrawn:
                    form = withdraw_errors.get(block.pk) or WithdrawForm(
                        auto_id=f"withdraw-{block.uuid}-%s"
                    )
                out.append((block, evidence_verify(block=block), form))
            return out

        context["plan_evidence"] = with_forms(plan.plan_level_evidence)
        context["sections"] = [
            {
                "priority": priority,
                "evidence": with_forms(priority.evidence.all()),
                "goals": [(goal, with_forms(goal.evidence.all())) for goal in priority.goals.all()],
                "goal_form": (
                    goal_forms.get(priority.pk) or GoalForm(auto_id=f"goal-{priority.pk}-%s")
                )
                if draft
                else None,
            }
            for priority in plan.priorities.all()
        ]
        if draft:
            context.setdefault(
                "plan_form",
                PlanForm(
                    initial={
                        "title": plan.title,
                        "start_year": plan.start_year,
                        "end_year": plan.end_year,
                        "summary": plan.summary,
                    }
                ),
            )
            context.setdefault(
                "adopt_form", AdoptForm(initial={"adopted_on": timezone.localdate()})
            )
            context.setdefault("priority_form", PriorityForm(plan=plan))
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.plan = self.load_plan()
        return super().get(request, *args, **kwargs)


class _PlanActionView(PlanDetailView):
    """POST one form; success: back to the plan with a message; errors: the plan page again
    with the form, its errors and the error summary (400)."""

    http_method_names = ["post"]
    form_name = ""
    form_id = ""

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        return forms.Form(self.request.POST)

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        """Call the service; return (success message, anchor to return to)."""
        raise NotImplementedError

    def error_context(self, form: forms.Form) -> dict[str, Any]:
        return {self.form_name: form}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.plan = plan = self.load_plan()
        form = self.make_form(plan)
        if form.is_valid():
            try:
                message, anchor = self.perform(plan, form)
            except DomainError as error:
                add_domain_error(form, error, field_map={f: f for f in form.fields})
            else:
                messages.success(request, message)
                return HttpResponseRedirect(_detail_url(plan, anchor))
        self.plan = self.load_plan()
        context = self.get_context_data(
            **self.error_context(form), error_summary=error_links(form, form_id=self.form_id)
        )
        return self.render_to_response(context, status=400)


class PlanUpdateView(_PlanActionView):
    form_name, form_id = "plan_form", "plan-form"

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        return PlanForm(self.request.POST)

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        plan_update(plan=plan, **form.cleaned_data)
        return _("Het plan is opgeslagen."), ""


class PlanAdoptView(_PlanActionView):
    form_name, form_id = "adopt_form", "adopt-form"

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        return AdoptForm(self.request.POST)

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        plan_adopt(plan=plan, adopted_on=form.cleaned_data["adopted_on"])
        return _("Het plan is vastgesteld. Er kan nu niets meer in veranderen."), ""


class PriorityAddView(_PlanActionView):
    form_name, form_id = "priority_form", "priority-form"

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        return PriorityForm(self.request.POST, plan=plan)

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        priority = priority_add(plan=plan, **form.cleaned_data)
        return _("De prioriteit is toegevoegd."), f"priority-{priority.pk}"


class PriorityDeleteView(_PlanActionView):
    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        try:
            priority = plan_priority_get(plan=plan, pk=self.kwargs["pk"])
        except PlanPriority.DoesNotExist as exc:
            raise Http404 from exc
        priority_delete(priority=priority)
        return _("De prioriteit is verwijderd."), "priorities"


class GoalAddView(_PlanActionView):
    form_id = "goal-form"

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        try:
            self.priority = plan_priority_get(plan=plan, pk=self.kwargs["pk"])
        except PlanPriority.DoesNotExist as exc:
            raise Http404 from exc
        self.form_id = f"goal-form-{self.priority.pk}"
        return GoalForm(self.request.POST, auto_id=f"goal-{self.priority.pk}-%s")

    def error_context(self, form: forms.Form) -> dict[str, Any]:
        return {"goal_forms": {self.priority.pk: form}}

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        goal = goal_add(priority=self.priority, **form.cleaned_data)
        return _("Het doel is toegevoegd."), f"goal-{goal.pk}"


class GoalDeleteView(_PlanActionView):
    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        try:
            goal = plan_goal_get(plan=plan, pk=self.kwargs["pk"])
        except PlanGoal.DoesNotExist as exc:
            raise Http404 from exc
        anchor = f"priority-{goal.priority_id}"
        goal_delete(goal=goal)
        return _("Het doel is verwijderd."), anchor


class EvidenceWithdrawView(_PlanActionView):
    form_name, form_id = "withdraw_form", "withdraw-form"

    def make_form(self, plan: SafetyPlan) -> forms.Form:
        try:
            self.block = evidence_block_get(plan=plan, uuid=self.kwargs["block"])
        except EvidenceBlock.DoesNotExist as exc:
            raise Http404 from exc
        self.form_id = f"withdraw-form-{self.block.uuid}"
        return WithdrawForm(self.request.POST, auto_id=f"withdraw-{self.block.uuid}-%s")

    def error_context(self, form: forms.Form) -> dict[str, Any]:
        return {"withdraw_errors": {self.block.pk: form}}

    def perform(self, plan: SafetyPlan, form: forms.Form) -> tuple[str, str]:
        evidence_withdraw(block=self.block, reason=form.cleaned_data["reason"])
        return _("Het bewijs is ingetrokken."), f"block-{self.block.uuid}"


# --- Evidence from reports --------------------------------------------------------------------


class _EvidenceView(StaffPageMixin, TemplateView):
    """Choose figures, look at them (GET), then freeze them into the plan (POST). Subclasses
    give the filter form and build the draft."""

    permission_required = PERMISSIONS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.plan = plan_get(uuid=kwargs["uuid"])
        except (SafetyPlan.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        return super().dispatch(request, *args, **kwargs)

    def filter_form(self, data: Any) -> forms.Form:
        raise NotImplementedError

    def draft(self, form: Any, title: str = "") -> EvidenceDraft:
        raise NotImplementedError

    def forms(self, data: Any) -> tuple[Any, EvidenceTargetForm]:
        target = EvidenceTargetForm(data if "target" in data else None, plan=self.plan)
        return self.filter_form(data), target

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        if "form" not in context:
            context["form"], context["target_form"] = self.forms(self.request.GET)
        form = context["form"]
        if form.is_valid() and "draft" not in context:
            context["draft"] = self.draft(form)
        elif form.is_bound and "error_summary" not in context:
            context["error_summary"] = error_links(form, form_id="evidence-filters")
        context["query"] = form.query_string() if form.is_valid() else ""
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.plan.is_draft:
            messages.error(
                request, _("Dit veiligheidsplan is vastgesteld en kan niet meer worden gewijzigd.")
            )
            return HttpResponseRedirect(_detail_url(self.plan))
        form, target = self.forms(request.POST)
        if form.is_valid() and target.is_valid():
            draft = self.draft(form, title=target.cleaned_data.get("title") or "")
            priority, goal = target.target_objects()
            try:
                block = evidence_attach(
                    plan=self.plan,
                    priority=priority,
                    goal=goal,
                    created_by=request.user,
                    **draft.as_kwargs(),
                )
            except DomainError as error:
                add_domain_error(
                    target,
                    error,
                    field_map={"title": "title", "goal": "target", "priority": "target"},
                )
            else:
                messages.success(request, _("Het bewijs is vastgelegd in het plan."))
                return HttpResponseRedirect(_detail_url(self.plan, f"block-{block.uuid}"))
        links = error_links(form, form_id="evidence-filters") + error_links(
            target, form_id="evidence-target"
        )
        context = self.get_context_data(form=form, target_form=target, error_summary=links)
        return self.render_to_response(context, status=400)


class EvidenceFromReportsView(_EvidenceView):
    template_name = "frontend/staff/plans/evidence_reports.html"

    def filter_form(self, data: Any) -> ReportRateFilterForm:
        return ReportRateFilterForm(
            data,
            today=timezone.localdate(),
            sensitivities=sensitivities_for(may_see_confidential=False),
        )

    def draft(self, form: Any, title: str = "") -> EvidenceDraft:
        return report_rates_evidence(
            filters=form.to_filters(),
            level=form.level,
            municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE,
            title=title,
        )


class EvidenceFromSurveyView(_EvidenceView):
    template_name = "frontend/staff/plans/evidence_survey.html"

    def filter_form(self, data: Any) -> SurveyEvidenceForm:
        return SurveyEvidenceForm(data if "versie" in data else None)

    def draft(self, form: Any, title: str = "") -> EvidenceDraft:
        data = form.cleaned_data
        return survey_indicators_evidence(
            version=data["versie"],
            channel=data.get("kanaal") or None,
            breakdown=data.get("uitsplitsing") or None,
            codes=(data["indicator"],) if data.get("indicator") else (),
            title=title,
        )


# --- Export -----------------------------------------------------------------------------------


class PlanExportJsonView(PlanDetailView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.load_plan()
        response = JsonResponse(
            plan_export(plan=plan), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="veiligheidsplan-{plan.uuid}.json"'
        return response


class PlanAnnexView(PlanDetailView):
    """The evidence as a printable annex to the plan (a standalone document)."""

    template_name = "frontend/staff/plans/annex.html"
