"""Staff pages for surveys under /beheer/vragenlijsten/: overview, the questionnaire
builder, preview, publish and close, results with moderated open answers, the anonymous CSV
export, and panel invitation waves.

Every view uses StaffPageMixin (sign-in, permission, two-step verification) plus the
survey permission of its action (`surveys.rules`). Views translate input into one service
or selector call; DomainErrors go back to the form fields they name.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.exceptions import DomainError
from frontend.forms.staff_surveys import (
    OPERATOR_LABELS,
    ModerationForm,
    MoveForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
    TemplateSurveyForm,
    WaveForm,
    apply_domain_error,
)
from frontend.views.mixins import StaffPageMixin
from geo.codes import AreaLevel
from geo.selectors import area_list
from participation.models import Burgerpanel
from surveys.exceptions import QuestionnaireInvalidError
from surveys.export import responses_csv_lines
from surveys.indicators import answer_labels, indicator_rows
from surveys.models import InvitationWave, OpenAnswerModeration, Question, Section, Survey
from surveys.panel_reach import invitation_wave_list, wave_candidates
from surveys.response_rates import response_rate_overview
from surveys.results import (
    UNKNOWN_AREA,
    Distribution,
    QuestionResult,
    survey_results,
)
from surveys.scales import DONT_KNOW_LABEL, NUISANCE, OVERLAST_CLUSTERS, SCALES
from surveys.selectors import (
    invitation_stats,
    open_answer_moderation_list,
    questionnaire_get,
    survey_list,
    survey_overview_list,
    survey_version_draft,
    survey_version_latest,
    survey_version_published,
    survey_versions,
)
from surveys.services import (
    invitation_wave_create,
    invitation_wave_issue,
    open_answer_moderate,
    question_add,
    question_delete,
    question_move,
    question_update,
    section_add,
    section_delete,
    section_move,
    section_update,
    survey_close,
    survey_create,
    survey_new_version,
    survey_publish,
    survey_update,
)
from surveys.template import TEMPLATE_TITLE, survey_create_from_template
from surveys.validation import questionnaire_errors
from surveys.weighting import MARGIN_LABELS, WEIGHT_MAX, WEIGHT_MIN

ACCESS = StaffPageMixin.permission_required
MANAGE = (ACCESS, "surveys.manage_survey")
RESULTS = (ACCESS, "surveys.view_results")
EXPORT = (ACCESS, "surveys.export_responses")
MODERATE = (ACCESS, "surveys.moderate_open_answers")
WAVES = (ACCESS, "surveys.manage_waves")


def _panels_for_municipality() -> list[Burgerpanel]:
    code = settings.BUURTSTEM_MUNICIPALITY_CODE
    return [
        p
        for p in Burgerpanel.objects.filter(is_active=True).order_by("name")
        if code in (p.municipality_codes or [])
    ]


class SurveyListView(StaffPageMixin, TemplateView):
    """All surveys; policy staff start a blank one or the Veiligheidsmonitor template."""

    template_name = "frontend/staff/surveys/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["surveys"] = survey_overview_list()
        context["template_form"] = TemplateSurveyForm(panels=_panels_for_municipality())
        context["template_title"] = TEMPLATE_TITLE
        return context


class SurveyCreateView(StaffPageMixin, FormView):
    template_name = "frontend/staff/surveys/create.html"
    form_class = SurveyForm
    permission_required = MANAGE

    def form_valid(self, form: SurveyForm) -> HttpResponse:
        try:
            survey = survey_create(
                created_by=self.request.user,
                municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE,
                **form.create_data(),
            )
        except DomainError as err:
            apply_domain_error(form, err)
            return self.form_invalid(form)
        messages.success(
            self.request, _("De vragenlijst is aangemaakt. Voeg nu onderdelen en vragen toe.")
        )
        return HttpResponseRedirect(reverse("frontend:staff-survey-detail", args=[survey.pk]))


class SurveyTemplateCreateView(StaffPageMixin, View):
    """One click: the "Buurtenquête veiligheid" (Veiligheidsmonitor) as a draft."""

    permission_required = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TemplateSurveyForm(request.POST, panels=_panels_for_municipality())
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.get("distribution", [])))
            return HttpResponseRedirect(reverse("frontend:staff-survey-list"))
        try:
            survey = survey_create_from_template(
                created_by=request.user,
                municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE,
                **form.service_data(),
            )
        except DomainError as err:
            messages.error(request, str(err.message))
            return HttpResponseRedirect(reverse("frontend:staff-survey-list"))
        messages.success(
            request,
            _(
                "De vragenlijst '%(title)s' is aangemaakt als concept. Bekijk het voorbeeld "
                "en publiceer."
            )
            % {"title": survey.title},
        )
        return HttpResponseRedirect(reverse("frontend:staff-survey-detail", args=[survey.pk]))


# --- The survey and its questionnaire -------------------------------------------------------


class SurveyMixin:
    """The survey of the URL (404 when unknown) and its versions."""

    kwargs: dict[str, Any]

    @cached_property
    def survey(self) -> Survey:
        return get_object_or_404(survey_list(), pk=self.kwargs["pk"])

    def get_permission_object(self) -> Survey:
        return self.survey

    @cached_property
    def draft(self) -> Any:
        if self.survey.status == Survey.Status.CLOSED:
            return None
        return survey_version_draft(survey=self.survey)

    @cached_property
    def shown_version(self) -> Any:
        """The version the builder and preview show: the draft, else the latest."""
        return self.draft or survey_version_latest(survey=self.survey)

    def survey_url(self, name: str = "staff-survey-detail") -> str:
        return reverse(f"frontend:{name}", args=[self.survey.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["survey"] = self.survey
        context["draft"] = self.draft
        context["version"] = self.shown_version
        return context


def _questions_before(
    questionnaire: list,
    *,
    section: Section | None = None,
    question: Question | None = None,
    include_section: bool = True,
) -> list[Question]:
    """Questions that come before a section (include_section=False) or a question."""
    earlier = []
    for s, questions in questionnaire:
        if section is not None and s.pk == section.pk and not include_section:
            break
        for q in questions:
            if question is not None and q.pk == question.pk:
                return earlier
            earlier.append(q)
        if section is not None and s.pk == section.pk:
            break
    return earlier


def _condition_text(condition: Any) -> str:
    if not condition:
        return ""
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        joiner = _(" en ") if key == "all" else _(" of ")
        return joiner.join(_condition_text(c) for c in condition[key])
    value = condition.get("value")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    row = f" ({condition['row']})" if condition.get("row") else ""
    operator = OPERATOR_LABELS.get(condition.get("operator"), condition.get("operator"))
    if condition.get("operator") == "answered":
        return f"{condition.get('question')}{row} {operator}"
    return f"{condition.get('question')}{row} {operator} {value}"


@dataclass
class QuestionView:
    question: Question
    condition: str
    details: list[str] = field(default_factory=list)


def _question_details(question: Question) -> list[str]:
    details = []
    if question.options:
        details.append(
            _("Antwoorden: %(list)s")
            % {"list": ", ".join(o.get("label", "") for o in question.options)}
        )
    if question.rows:
        details.append(_("%(n)d rijen") % {"n": len(question.rows)})
    if question.scale:
        details.append(_("Schaal: %(s)s") % {"s": question.get_scale_display()})
    if question.max_choices:
        details.append(_("Hoogstens %(n)d keuzes") % {"n": question.max_choices})
    if question.min_value is not None or question.max_value is not None:
        details.append(
            _("Van %(min)s tot %(max)s")
            % {
                "min": question.min_value if question.min_value is not None else "–",
                "max": question.max_value if question.max_value is not None else "–",
            }
        )
    if question.allow_dont_know:
        details.append(_("met 'weet niet'"))
    if question.required:
        details.append(_("verplicht"))
    if question.profile_field:
        details.append(_("Achtergrondkenmerk: %(f)s") % {"f": question.get_profile_field_display()})
    return details


def _questionnaire_view(questionnaire: list) -> list[tuple[Section, str, list[QuestionView]]]:
    return [
        (
            section,
            _condition_text(section.condition),
            [
                QuestionView(q, _condition_text(q.condition), _question_details(q))
                for q in questions
            ],
        )
        for section, questions in questionnaire
    ]


class SurveyDetailView(StaffPageMixin, SurveyMixin, FormView):
    """The builder: settings (form), sections and questions with their actions."""

    template_name = "frontend/staff/surveys/detail.html"
    form_class = SurveyForm
    permission_required = MANAGE

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["frozen"] = survey_version_published(survey=self.survey) is not None
        kwargs["initial"] = SurveyForm.initial_for(self.survey)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questionnaire = questionnaire_get(version=self.shown_version) if self.shown_version else []
        context["questionnaire"] = _questionnaire_view(questionnaire)
        context["versions"] = survey_versions(survey=self.survey)
        context["editable"] = self.draft is not None
        context["closed"] = self.survey.status == Survey.Status.CLOSED
        context["section_count"] = len(questionnaire)
        context["question_types"] = Question.Type.choices
        return context

    def form_valid(self, form: SurveyForm) -> HttpResponse:
        try:
            survey_update(survey=self.survey, data=form.service_data())
        except DomainError as err:
            apply_domain_error(form, err)
            return self.form_invalid(form)
        messages.success(self.request, _("De gegevens van de vragenlijst zijn opgeslagen."))
        return HttpResponseRedirect(self.survey_url())


class DraftRequiredMixin(SurveyMixin):
    """Editing needs a draft version: without one, back to the builder with a message."""

    def draft_or_redirect(self) -> HttpResponse | None:
        if self.draft is None:
            messages.error(
                self.request,  # type: ignore[attr-defined]
                _(
                    "Deze versie is gepubliceerd en kan niet meer worden gewijzigd. Maak een "
                    "nieuwe versie."
                ),
            )
            return HttpResponseRedirect(self.survey_url())
        return None


class SectionFormView(StaffPageMixin, DraftRequiredMixin, FormView):
    """Add (no section_pk) or edit a section of the draft."""

    template_name = "frontend/staff/surveys/section_form.html"
    form_class = SectionForm
    permission_required = MANAGE

    @cached_property
    def section(self) -> Section | None:
        if "section_pk" not in self.kwargs:
            return None
        if self.draft is None:
            raise Http404
        return get_object_or_404(Section, pk=self.kwargs["section_pk"], version=self.draft)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.draft_or_redirect() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.draft_or_redirect() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        questionnaire = questionnaire_get(version=self.draft)
        if self.section is None:
            kwargs["earlier"] = [q for _s, qs in questionnaire for q in qs]
        else:
            kwargs["earlier"] = _questions_before(
                questionnaire, section=self.section, include_section=False
            )
            kwargs["initial"] = {
                "title": self.section.title,
                "title_en": self.section.title_en,
                **SectionForm.condition_initial(self.section.condition),
            }
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context

    def form_valid(self, form: SectionForm) -> HttpResponse:
        try:
            if self.section is None:
                section_add(version=self.draft, **form.service_data())
                message = _("Het onderdeel is toegevoegd.")
            else:
                section_update(section=self.section, data=form.service_data())
                message = _("Het onderdeel is opgeslagen.")
        except DomainError as err:
            apply_domain_error(form, err, field_map={"condition": "cond_json", "title": "title"})
            if not form.errors:
                form.add_error(None, str(err.message))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.survey_url())


class QuestionFormView(StaffPageMixin, DraftRequiredMixin, FormView):
    """Add a question to a section (section_pk) or edit one (question_pk) of the draft."""

    template_name = "frontend/staff/surveys/question_form.html"
    form_class = QuestionForm
    permission_required = MANAGE

    @cached_property
    def question(self) -> Question | None:
        if "question_pk" not in self.kwargs or self.draft is None:
            return None
        return get_object_or_404(Question, pk=self.kwargs["question_pk"], version=self.draft)

    @cached_property
    def section(self) -> Section | None:
        if self.draft is None:
            return None
        if self.question is not None:
            return self.question.section
        return get_object_or_404(Section, pk=self.kwargs["section_pk"], version=self.draft)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.draft_or_redirect() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.draft_or_redirect() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        questionnaire = questionnaire_get(version=self.draft)
        if self.question is None:
            kwargs["earlier"] = _questions_before(questionnaire, section=self.section)
            kwargs["initial"] = {"type": self.request.GET.get("type", Question.Type.SINGLE_CHOICE)}
        else:
            kwargs["earlier"] = _questions_before(questionnaire, question=self.question)
            kwargs["initial"] = QuestionForm.initial_for(self.question)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        context["question"] = self.question
        return context

    def form_valid(self, form: QuestionForm) -> HttpResponse:
        data = form.service_data()
        try:
            if self.question is None:
                question_add(section=self.section, **data)
                message = _("Vraag %(code)s is toegevoegd.")
            else:
                question_update(question=self.question, data=data)
                message = _("Vraag %(code)s is opgeslagen.")
        except DomainError as err:
            apply_domain_error(form, err, field_map={"condition": "cond_json"})
            return self.form_invalid(form)
        messages.success(self.request, message % {"code": data["code"]})
        return HttpResponseRedirect(self.survey_url() + f"#section-{self.section.pk}")


class MoveView(StaffPageMixin, DraftRequiredMixin, View):
    """Move a section or a question one place up or down."""

    permission_required = MANAGE
    http_method_names = ["post"]
    kind = "section"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        redirect = self.draft_or_redirect()
        if redirect:
            return redirect
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Kies omhoog of omlaag."))
            return HttpResponseRedirect(self.survey_url())
        step = -1 if form.cleaned_data["direction"] == "up" else 1
        try:
            if self.kind == "section":
                section = get_object_or_404(Section, pk=kwargs["section_pk"], version=self.draft)
                section_move(section=section, position=max(0, section.position + step))
                anchor = f"section-{section.pk}"
            else:
                question = get_object_or_404(Question, pk=kwargs["question_pk"], version=self.draft)
                question_move(question=question, position=max(0, question.position + step))
                anchor = f"question-{question.pk}"
        except DomainError as err:
            messages.error(request, str(err.message))
            return HttpResponseRedirect(self.survey_url())
        return HttpResponseRedirect(self.survey_url() + f"#{anchor}")


class DeleteView(StaffPageMixin, DraftRequiredMixin, TemplateView):
    """Confirm, then delete a section (with its questions) or a question."""

    template_name = "frontend/staff/surveys/confirm_delete.html"
    permission_required = MANAGE
    kind = "section"

    @cached_property
    def target(self) -> Section | Question:
        if self.draft is None:
            raise Http404
        if self.kind == "section":
            return get_object_or_404(Section, pk=self.kwargs["section_pk"], version=self.draft)
        return get_object_or_404(Question, pk=self.kwargs["question_pk"], version=self.draft)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.draft_or_redirect() or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["target"] = self.target
        if self.kind == "section":
            context["question_count"] = self.target.questions.count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        redirect = self.draft_or_redirect()
        if redirect:
            return redirect
        try:
            if self.kind == "section":
                section_delete(section=self.target)
                message = _("Het onderdeel is verwijderd.")
            else:
                question_delete(question=self.target)
                message = _("De vraag is verwijderd.")
        except DomainError as err:
            messages.error(request, str(err.message))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.survey_url())


# --- Preview, publish, close, new version ---------------------------------------------------


class PreviewView(StaffPageMixin, SurveyMixin, TemplateView):
    """The questionnaire as a respondent sees it, read-only and marked as a preview."""

    template_name = "frontend/staff/surveys/preview.html"
    permission_required = MANAGE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questionnaire = questionnaire_get(version=self.shown_version) if self.shown_version else []
        context["sections"] = [
            (section, _condition_text(section.condition), [_preview_question(q) for q in questions])
            for section, questions in questionnaire
        ]
        return context


@dataclass
class PreviewQuestion:
    question: Question
    condition: str
    input: str  # choice, multiple, grid, number, text, buurt, location
    choices: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)


def _localized(item: dict[str, Any]) -> str:
    if (get_language() or "nl").startswith("en") and item.get("label_en"):
        return item["label_en"]
    return item.get("label", "")


def _scale_choices(name: str) -> list[tuple[str, str]]:
    return [(p.value, p.localized_label) for p in SCALES.get(name, ())]


def _preview_question(question: Question) -> PreviewQuestion:
    kind = question.type
    dont_know = [("weet_niet", _("Weet niet / n.v.t."))] if question.allow_dont_know else []
    condition = _condition_text(question.condition)
    if kind in ("single_choice", "multiple_choice"):
        choices = [(o.get("value", ""), _localized(o)) for o in question.options] + dont_know
        return PreviewQuestion(
            question, condition, "multiple" if kind == "multiple_choice" else "choice", choices
        )
    if kind in ("agree_5", "satisfied_5", "frequency"):
        return PreviewQuestion(question, condition, "choice", _scale_choices(kind) + dont_know)
    rows = [(r.get("key", ""), _localized(r)) for r in question.rows]
    if kind == "grid":
        if question.scale == "options":
            choices = [(o.get("value", ""), _localized(o)) for o in question.options]
        else:
            choices = _scale_choices(question.scale)
        return PreviewQuestion(question, condition, "grid", choices + dont_know, rows)
    if kind == "overlast_grid":
        choices = [("nee", _("Komt niet voor"))] + [(p.value, p.localized_label) for p in NUISANCE]
        return PreviewQuestion(question, condition, "grid", choices + dont_know, rows)
    if kind == "mark_1_10":
        return PreviewQuestion(
            question, condition, "choice", [(str(i), str(i)) for i in range(1, 11)] + dont_know
        )
    inputs = {
        "number": "number",
        "open_text": "text",
        "buurt_choice": "buurt",
        "location": "location",
    }
    return PreviewQuestion(question, condition, inputs.get(kind, "text"), dont_know)


class PublishView(StaffPageMixin, SurveyMixin, TemplateView):
    """GET: what is still wrong (if anything); POST: publish, or list every problem."""

    template_name = "frontend/staff/surveys/publish.html"
    permission_required = MANAGE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "problems" not in context:
            context["problems"] = (
                [p.as_dict() for p in questionnaire_errors(questionnaire_get(version=self.draft))]
                if self.draft
                else []
            )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            version = survey_publish(survey=self.survey)
        except QuestionnaireInvalidError as err:
            return self.render_to_response(
                self.get_context_data(problems=err.extra.get("errors", []), error=err.message)
            )
        except DomainError as err:
            return self.render_to_response(self.get_context_data(problems=[], error=err.message))
        messages.success(
            request,
            _("Versie %(n)d is gepubliceerd. Nieuwe antwoorden komen bij deze versie.")
            % {"n": version.number},
        )
        return HttpResponseRedirect(self.survey_url())


class CloseView(StaffPageMixin, SurveyMixin, TemplateView):
    template_name = "frontend/staff/surveys/close.html"
    permission_required = MANAGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            survey_close(survey=self.survey)
        except DomainError as err:
            messages.error(request, str(err.message))
        else:
            messages.success(
                request, _("De vragenlijst is gesloten. Er kunnen geen antwoorden meer bij.")
            )
        return HttpResponseRedirect(self.survey_url())


class NewVersionView(StaffPageMixin, SurveyMixin, View):
    permission_required = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            version = survey_new_version(survey=self.survey)
        except DomainError as err:
            messages.error(request, str(err.message))
        else:
            messages.success(
                request,
                _(
                    "Versie %(n)d is gemaakt als concept: een kopie van de gepubliceerde "
                    "versie. Pas die aan en publiceer."
                )
                % {"n": version.number},
            )
        return HttpResponseRedirect(self.survey_url())


# --- Results, export, moderation ------------------------------------------------------------


def _version_from_query(view: SurveyMixin, request: HttpRequest) -> Any:
    """The published version named by ?versie=N, else the latest published one."""
    published = [v for v in survey_versions(survey=view.survey) if v.is_published]
    wanted = request.GET.get("versie", "")
    for version in published:
        if str(version.number) == wanted:
            return version, published
    return (published[0] if published else None), published


@dataclass
class ResultLine:
    label: str
    count: int | None
    percentage: float | None
    suppressed: bool
    weighted_percentage: float | None = None


@dataclass
class ResultBlock:
    """One table of a question's results (a whole question, or one row of a grid)."""

    label: str
    n: int | None
    suppressed: bool
    lines: list[ResultLine]
    dont_know: int | None = None
    mean: Any = None
    positive: Any = None
    n_eff: float | None = None


@dataclass
class QuestionResultView:
    question: Question
    result: QuestionResult
    blocks: list[ResultBlock] = field(default_factory=list)
    summary: list[tuple[str, Any, bool]] = field(default_factory=list)  # label, Stat, %


def _labels(question: Question) -> dict[str, str]:
    return answer_labels(question)


def _block(label: str, distribution: Distribution, labels: dict[str, str]) -> ResultBlock:
    return ResultBlock(
        label=label,
        n=distribution.n,
        suppressed=distribution.suppressed,
        lines=[
            ResultLine(
                labels.get(key, key),
                cell.count,
                cell.percentage,
                cell.suppressed,
                cell.weighted_percentage,
            )
            for key, cell in distribution.cells.items()
        ],
        dont_know=distribution.dont_know,
        mean=distribution.mean,
        positive=distribution.positive,
        n_eff=distribution.n_eff,
    )


def _result_view(question: Question, result: QuestionResult) -> QuestionResultView:
    view = QuestionResultView(question, result)
    labels = _labels(question)
    if result.distribution is not None:
        view.blocks.append(_block("", result.distribution, labels))
    rows = {r.get("key"): _localized(r) for r in question.rows}
    for key, distribution in result.rows.items():
        view.blocks.append(_block(rows.get(key, key), distribution, labels))
    for key, row in result.overlast_rows.items():
        view.blocks.append(_block(rows.get(key, key), row.levels, labels))
    for key, cluster in result.clusters.items():
        name = OVERLAST_CLUSTERS.get(key, (_("Overlast totaal"),))[0]
        view.summary.append((_("%(c)s: komt voor") % {"c": name}, cluster.occurs, True))
        view.summary.append((_("%(c)s: veel overlast") % {"c": name}, cluster.much, True))
    if result.scale_score is not None:
        view.summary.append((_("Schaalscore (0–10)"), result.scale_score, False))
    if result.any_yes is not None:
        view.summary.append((_("Minstens één keer ja"), result.any_yes, True))
    return view


def _indicator_rows(questionnaire: Any, questions: dict[str, QuestionResult]) -> list[Any]:
    by_code = {q.code: q for _s, qs in questionnaire for q in qs}
    return indicator_rows(questions_by_code=by_code, results=questions)


class ResultsView(StaffPageMixin, SurveyMixin, TemplateView):
    template_name = "frontend/staff/surveys/results.html"
    permission_required = RESULTS
    CHANNELS = {"open_link": gettext_lazy("open link"), "panel": gettext_lazy("burgerpanel")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version, published = _version_from_query(self, self.request)
        channel = self.request.GET.get("kanaal") or None
        channel = channel if channel in self.CHANNELS else None
        unweighted_wanted = self.request.GET.get("cijfers") == "ongewogen"
        context.update(
            {
                "result_version": version,
                "published_versions": published,
                "channel": channel or "",
                "channels": self.CHANNELS.items(),
                "dont_know_label": DONT_KNOW_LABEL,
                "unweighted_wanted": unweighted_wanted,
            }
        )
        if version is None:
            return context
        results = survey_results(version=version, channel=channel)
        questionnaire = questionnaire_get(version=version)
        context["results"] = results
        context["weighting"] = results.weighting
        # Weighted figures unless the results could not be weighted or staff asked for the
        # unweighted ones (?cijfers=ongewogen); the indicator table always shows both.
        context["show_weighted"] = results.weighting.weighted and not unweighted_wanted
        context["weighting_bounds"] = (WEIGHT_MIN, WEIGHT_MAX)
        context["margin_labels"] = [
            MARGIN_LABELS[m] for m in results.weighting.margins or MARGIN_LABELS
        ]
        context["left_out"] = [
            (MARGIN_LABELS[m], n) for m, n in results.weighting.left_out.items() if n
        ]
        context["indicator_rows"] = _indicator_rows(questionnaire, results.questions)
        context["question_results"] = [
            _result_view(q, results.questions[q.code]) for _s, qs in questionnaire for q in qs
        ]
        return context


class ExportView(StaffPageMixin, SurveyMixin, View):
    """The anonymous responses of one published version as CSV."""

    permission_required = EXPORT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        version, _published = _version_from_query(self, request)
        if version is None:
            raise Http404
        response = StreamingHttpResponse(
            responses_csv_lines(version=version), content_type="text/csv; charset=utf-8"
        )
        filename = f"{self.survey.slug}-v{version.number}-antwoorden.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ModerationView(StaffPageMixin, SurveyMixin, TemplateView):
    """Open answers of submitted responses: approve (with an edited public text) or hide."""

    template_name = "frontend/staff/surveys/moderation.html"
    permission_required = MODERATE
    STATUSES = {
        "pending": OpenAnswerModeration.Status.PENDING,
        "approved": OpenAnswerModeration.Status.APPROVED,
        "rejected": OpenAnswerModeration.Status.REJECTED,
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "pending")
        status = status if status in self.STATUSES else "pending"
        items = open_answer_moderation_list(survey=self.survey, status=self.STATUSES[status])
        forms = kwargs.get("forms", {})
        context["items"] = [
            (
                item,
                forms.get(item.pk)
                or ModerationForm(
                    prefix=f"m{item.pk}",
                    initial={
                        "decision": "approved",
                        "public_text": item.public_text or item.answer.value,
                    },
                ),
            )
            for item in items
        ]
        context["status"] = status
        context["statuses"] = [
            ("pending", _("Te beoordelen")),
            ("approved", _("Goedgekeurd")),
            ("rejected", _("Verborgen")),
        ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        moderation = get_object_or_404(
            open_answer_moderation_list(survey=self.survey, status=None),
            pk=request.POST.get("moderation"),
        )
        form = ModerationForm(request.POST, prefix=f"m{moderation.pk}")
        if form.is_valid():
            try:
                open_answer_moderate(
                    moderation=moderation, moderator=request.user, **form.service_data()
                )
            except DomainError as err:
                apply_domain_error(form, err)
            else:
                messages.success(request, _("De beoordeling is opgeslagen."))
                return HttpResponseRedirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(forms={moderation.pk: form}))


# --- Invitation waves -----------------------------------------------------------------------


class WavesView(StaffPageMixin, SurveyMixin, FormView):
    """Waves of a panel-only survey: create one (all, or a stratified sample per buurt ×
    age band), issue it, and follow the response rates (aggregates only)."""

    template_name = "frontend/staff/surveys/waves.html"
    form_class = WaveForm
    permission_required = WAVES

    @cached_property
    def fatigue_days(self) -> int:
        raw = self.request.POST.get("fatigue_window_days") or self.request.GET.get("rustperiode")
        try:
            return max(0, min(int(raw), 3650))
        except (TypeError, ValueError):
            return InvitationWave._meta.get_field("fatigue_window_days").default

    @cached_property
    def candidates(self) -> Any:
        return wave_candidates(survey=self.survey, fatigue_window_days=self.fatigue_days)

    @property
    def is_panel_survey(self) -> bool:
        return self.survey.distribution == Survey.Distribution.PANEL_ONLY

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = [(row.code, row.name or row.code) for row in self.candidates.buurten]
        kwargs["bands"] = self.candidates.bands
        kwargs["initial"] = {"fatigue_window_days": self.fatigue_days}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_panel_survey"] = self.is_panel_survey
        context["candidates"] = self.candidates
        context["candidate_rows"] = [self.candidates.everyone, *self.candidates.buurten]
        context["waves"] = invitation_wave_list(survey=self.survey)
        context["stats"] = invitation_stats(survey=self.survey)
        context["rates"] = response_rate_overview(survey=self.survey)
        band_labels = {**dict(self.candidates.bands), "onbekend": _("onbekend")}
        context["band_columns"] = [(b, band_labels.get(b, b)) for b in context["rates"].age_bands]
        names = dict(
            area_list(
                level=AreaLevel.BUURT, municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE
            ).values_list("code", "name")
        )
        rates = context["rates"]
        context["rate_rows"] = [
            (
                _("onbekend") if row.buurt == UNKNOWN_AREA else names.get(row.buurt, row.buurt),
                [row.cells.get(band) for band in rates.age_bands],
                row.total,
            )
            for row in rates.rows
        ]
        context["rate_band_totals"] = [rates.age_band_totals.get(b) for b in rates.age_bands]
        context["target_table"] = self._target_table(context["form"])
        return context

    def _target_table(self, form: WaveForm) -> list[dict[str, Any]]:
        """The targets grid: per area row the number fields with the members available."""
        candidates = {row.code: row for row in [self.candidates.everyone, *self.candidates.buurten]}
        table = []
        for row in form.target_rows():
            candidate = candidates.get(row["code"])
            cells = []
            for band, bound_field in row["cells"]:
                if candidate is None:
                    available = 0
                elif band == "*":
                    available = candidate.total
                else:
                    available = candidate.by_band.get(band, 0)
                cells.append((bound_field, available))
            table.append({"code": row["code"], "label": row["label"], "cells": cells})
        return table

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.is_panel_survey:
            messages.error(
                request,
                _("Uitnodigingsrondes zijn er alleen voor vragenlijsten voor het burgerpanel."),
            )
            return HttpResponseRedirect(self.survey_url("staff-survey-waves"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: WaveForm) -> HttpResponse:
        try:
            wave = invitation_wave_create(
                survey=self.survey, created_by=self.request.user, **form.service_data()
            )
        except DomainError as err:
            stratum = (err.extra or {}).get("stratum")
            target = form.stratum_field(stratum) if isinstance(stratum, str) else None
            if target:
                form.add_error(target, str(err.message))
            else:
                apply_domain_error(form, err)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Ronde '%(name)s' is klaargezet. Er gaat pas iets weg als je op 'Versturen' drukt.")
            % {"name": wave.name},
        )
        return HttpResponseRedirect(self.survey_url("staff-survey-waves"))


class WaveIssueView(StaffPageMixin, SurveyMixin, View):
    permission_required = WAVES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wave = get_object_or_404(InvitationWave, pk=kwargs["wave_pk"], survey=self.survey)
        try:
            invitations = invitation_wave_issue(wave=wave)
        except DomainError as err:
            messages.error(request, str(err.message))
        else:
            messages.success(
                request,
                ngettext(
                    "Ronde '%(name)s' is verstuurd: %(n)d uitnodiging gaat per e-mail de deur uit.",
                    "Ronde '%(name)s' is verstuurd: %(n)d uitnodigingen gaan per e-mail de deur "
                    "uit.",
                    len(invitations),
                )
                % {"name": wave.name, "n": len(invitations)},
            )
        return HttpResponseRedirect(self.survey_url("staff-survey-waves"))
