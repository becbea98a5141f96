"""Respondent pages: filling in a survey by open link or personal invitation, page by page,
with "save and continue later" (resume link), a review and a thank-you page.

Who the respondent is is never shown or stored: the Response has no user link, and the two
cookies these pages set hold only random values —

- `bs_survey_device` (path /vragenlijst/, one year): a random device id; the domain stores
  only a keyed per-survey hash of it (one response per device, start throttles);
- `bs_survey_resume` (path /vragenlijst/<slug>/, until the browser closes): the resume
  token of the response being filled in; the server keeps only its hash. It is deliberately
  not kept in the session, which may belong to a signed-in account.

Every view translates the request into one service or selector call and renders the result;
domain errors become a Dutch/English error page with the error's HTTP status.
"""

import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from core.exceptions import DomainError
from frontend.forms.surveys import (
    BuurtGroup,
    BuurtOption,
    ErrorLink,
    SurveyPageForm,
    answer_display,
    estimated_minutes,
    label_of,
)
from geo.codes import AreaLevel
from geo.selectors import area_list
from surveys.exceptions import (
    AnswersIncompleteError,
    AnswersInvalidError,
    PanelOnlySurveyError,
    ResumeTokenInvalidError,
    SurveyClosedError,
    SurveyNotOpenError,
)
from surveys.models import Question, Response, Survey
from surveys.selectors import (
    RespondentPage,
    invitation_get_usable,
    questionnaire_get,
    questionnaire_questions,
    respondent_pages,
    response_answers_get,
    response_get_for_resume,
    survey_get_by_slug,
    survey_version_published,
)
from surveys.services import (
    response_save_page,
    response_start_open,
    response_start_with_invitation,
    response_submit,
)

DEVICE_COOKIE = "bs_survey_device"
RESUME_COOKIE = "bs_survey_resume"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
TEMPLATES = "frontend/surveys"


# --- helpers --------------------------------------------------------------------------------


class ResumeMissingError(DomainError):
    """The browser has no (valid) resume cookie for this survey."""

    code = "resume_missing"
    http_status = 404


def _survey(slug: str) -> Survey:
    """The survey behind a respondent address; drafts do not exist for respondents."""
    try:
        survey = survey_get_by_slug(slug=slug)
    except Survey.DoesNotExist:
        raise Http404 from None
    if survey.status == Survey.Status.DRAFT or survey_version_published(survey=survey) is None:
        raise Http404
    return survey


ERROR_TITLES = {
    "survey_closed": gettext_lazy("Deze vragenlijst is gesloten"),
    "survey_not_open": gettext_lazy("Deze vragenlijst is nu niet open"),
    "panel_only_survey": gettext_lazy("Deze vragenlijst is alleen voor het burgerpanel"),
    "already_responded": gettext_lazy("U heeft deze vragenlijst al ingevuld"),
    "too_many_starts": gettext_lazy("Even geduld, alstublieft"),
    "device_id_invalid": gettext_lazy("Sta cookies toe om de vragenlijst in te vullen"),
    "invitation_invalid": gettext_lazy("Deze uitnodigingslink werkt niet"),
    "invitation_expired": gettext_lazy("Deze uitnodiging is verlopen"),
    "invitation_used": gettext_lazy("Deze uitnodiging is al gebruikt"),
    "invitation_membership_ended": gettext_lazy("Deze uitnodiging is niet meer geldig"),
    "resume_token_invalid": gettext_lazy("Deze link om verder te gaan werkt niet"),
    "resume_missing": gettext_lazy("We kunnen uw begonnen vragenlijst niet vinden"),
    "response_submitted": gettext_lazy("Deze vragenlijst is al verstuurd"),
}


def _error_page(request: HttpRequest, error: DomainError, *, survey: Survey) -> HttpResponse:
    """A clear page for a refused step, with the error's HTTP status (4xx)."""
    context = {
        "survey": survey,
        "error": error,
        "error_code": error.code,
        "title": ERROR_TITLES.get(error.code, _("Dit lukt helaas niet")),
        "intro_url": _resume_path(survey)
        if survey.distribution == Survey.Distribution.OPEN_LINK
        else "",
    }
    return render(request, f"{TEMPLATES}/error.html", context, status=error.http_status)


def _accepting_or_error(survey: Survey) -> DomainError | None:
    if survey.status == Survey.Status.CLOSED:
        return SurveyClosedError()
    if not survey.accepts_responses_at():
        return SurveyNotOpenError()
    return None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _resume_path(survey: Survey) -> str:
    return reverse("frontend:survey-open", kwargs={"slug": survey.slug})


def _set_resume_cookie(response: HttpResponse, survey: Survey, token: str) -> None:
    response.set_cookie(
        RESUME_COOKIE,
        token,
        path=_resume_path(survey),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _clear_resume_cookie(response: HttpResponse, survey: Survey) -> None:
    response.delete_cookie(RESUME_COOKIE, path=_resume_path(survey), samesite="Lax")


def _ensure_device_cookie(request: HttpRequest, response: HttpResponse, survey: Survey) -> None:
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=DEVICE_COOKIE_AGE,
            path=_resume_path(survey).rsplit(survey.slug, 1)[0],
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _resumed(request: HttpRequest, survey: Survey) -> tuple[Response, str] | None:
    token = request.COOKIES.get(RESUME_COOKIE, "")
    if not token:
        return None
    try:
        return response_get_for_resume(survey=survey, resume_token=token), token
    except ResumeTokenInvalidError:
        return None


def _resume_link(request: HttpRequest, survey: Survey, token: str) -> str:
    return request.build_absolute_uri(
        reverse("frontend:survey-resume", kwargs={"slug": survey.slug, "token": token})
    )


def _page_url(survey: Survey, number: int) -> str:
    return reverse("frontend:survey-page", kwargs={"slug": survey.slug, "number": number})


def _review_url(survey: Survey) -> str:
    return reverse("frontend:survey-review", kwargs={"slug": survey.slug})


def _first_open_page_url(response: Response, survey: Survey) -> str:
    """Where a respondent continues: the first page with an unanswered question, else the
    review."""
    answers = response_answers_get(response=response)
    pages = respondent_pages(response=response, answers=answers)
    for page in pages:
        if any(q.code not in answers for q in page.shown_questions):
            return _page_url(survey, page.number)
    return _review_url(survey) if pages else _page_url(survey, 1)


def _gemeente_name(survey: Survey) -> str:
    gemeente = (
        area_list(level=AreaLevel.GEMEENTE, municipality_code=survey.municipality_code)
        .only("name")
        .first()
    )
    return gemeente.name if gemeente else ""


def _buurt_groups(survey: Survey) -> list[BuurtGroup]:
    """The municipality's buurten (latest vintage) grouped by wijk, both by name."""
    code = survey.municipality_code
    wijken = dict(
        area_list(level=AreaLevel.WIJK, municipality_code=code).values_list("code", "name")
    )
    groups: dict[str, list[BuurtOption]] = {}
    buurten = area_list(level=AreaLevel.BUURT, municipality_code=code).values_list(
        "code", "name", "parent_code"
    )
    for buurt_code, name, parent in buurten:
        wijk = parent or "WK" + buurt_code[2:8]
        groups.setdefault(wijk, []).append(BuurtOption(code=buurt_code, name=name))
    result = [
        BuurtGroup(
            name=wijken.get(wijk) or _("Overige buurten"),
            buurten=sorted(options, key=lambda o: o.name.casefold()),
        )
        for wijk, options in groups.items()
    ]
    return sorted(result, key=lambda g: g.name.casefold())


def _buurt_names(survey: Survey) -> dict[str, str]:
    return {o.code: o.name for g in _buurt_groups(survey) for o in g.buurten}


def _intro_context(survey: Survey) -> dict[str, Any]:
    version = survey_version_published(survey=survey)
    questionnaire = questionnaire_get(version=version)
    questions = questionnaire_questions(questionnaire=questionnaire)
    return {
        "survey": survey,
        "gemeente_name": _gemeente_name(survey),
        "minutes": estimated_minutes(questions),
        "section_count": len(questionnaire),
    }


# --- views ----------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class SurveyOpenView(View):
    """The intro of an open-link survey; POST starts an anonymous response."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        survey = _survey(slug)
        if survey.distribution != Survey.Distribution.OPEN_LINK:
            return _error_page(request, PanelOnlySurveyError(), survey=survey)
        if problem := _accepting_or_error(survey):
            return _error_page(request, problem, survey=survey)
        resumed = _resumed(request, survey)
        context = {
            **_intro_context(survey),
            "channel": "open_link",
            "form_action": request.path,
            "continue_url": _first_open_page_url(resumed[0], survey) if resumed else "",
        }
        response = render(request, f"{TEMPLATES}/intro.html", context)
        _ensure_device_cookie(request, response, survey)
        return response

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        survey = _survey(slug)
        try:
            start = response_start_open(
                survey=survey,
                device_id=request.COOKIES.get(DEVICE_COOKIE, ""),
                ip_address=_client_ip(request),
            )
        except DomainError as error:
            response = _error_page(request, error, survey=survey)
            _ensure_device_cookie(request, response, survey)
            return response
        redirect = HttpResponseRedirect(_first_open_page_url(start.response, survey))
        _set_resume_cookie(redirect, survey, start.resume_token)
        return redirect


@method_decorator(never_cache, name="dispatch")
class SurveyInvitationView(View):
    """The intro behind a personal invitation link. GET only checks the token (mail
    scanners that open links must not use it up); POST starts and uses it."""

    def get(self, request: HttpRequest, slug: str, token: str) -> HttpResponse:
        survey = _survey(slug)
        try:
            invitation_get_usable(survey=survey, token=token)
        except DomainError as error:
            resumed = _resumed(request, survey)
            if error.code == "invitation_used" and resumed:
                return HttpResponseRedirect(_first_open_page_url(resumed[0], survey))
            return _error_page(request, error, survey=survey)
        context = {**_intro_context(survey), "channel": "panel", "form_action": request.path}
        return render(request, f"{TEMPLATES}/intro.html", context)

    def post(self, request: HttpRequest, slug: str, token: str) -> HttpResponse:
        survey = _survey(slug)
        try:
            start = response_start_with_invitation(survey=survey, token=token)
        except DomainError as error:
            return _error_page(request, error, survey=survey)
        redirect = HttpResponseRedirect(_first_open_page_url(start.response, survey))
        _set_resume_cookie(redirect, survey, start.resume_token)
        return redirect


@method_decorator(never_cache, name="dispatch")
class SurveyResumeView(View):
    """The "continue later" link: puts the resume token back in this browser."""

    def get(self, request: HttpRequest, slug: str, token: str) -> HttpResponse:
        survey = _survey(slug)
        try:
            response = response_get_for_resume(survey=survey, resume_token=token)
        except DomainError as error:
            return _error_page(request, error, survey=survey)
        if problem := _accepting_or_error(survey):
            return _error_page(request, problem, survey=survey)
        redirect = HttpResponseRedirect(_first_open_page_url(response, survey))
        _set_resume_cookie(redirect, survey, token)
        return redirect


class _RespondingView(View):
    """Pages that need the response this browser is filling in."""

    survey: Survey
    response_obj: Response
    resume_token: str

    @method_decorator(never_cache)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.survey = _survey(kwargs["slug"])
        if problem := _accepting_or_error(self.survey):
            return _error_page(request, problem, survey=self.survey)
        resumed = _resumed(request, self.survey)
        if resumed is None:
            error = ResumeMissingError(
                _(
                    "Deze browser heeft geen begonnen vragenlijst. Gebruik de link die u "
                    "bewaarde om verder te gaan, of begin opnieuw."
                )
            )
            return _error_page(request, error, survey=self.survey)
        self.response_obj, self.resume_token = resumed
        return super().dispatch(request, *args, **kwargs)

    def base_context(self, pages: list[RespondentPage]) -> dict[str, Any]:
        return {
            "survey": self.survey,
            "pages": pages,
            "resume_link": _resume_link(self.request, self.survey, self.resume_token),
            "indicative": self.response_obj.is_indicative,
        }


class SurveyPageView(_RespondingView):
    """One section of the questionnaire. Buttons: previous, next, save and continue later."""

    def _plan(self) -> tuple[list[RespondentPage], dict[str, Any]]:
        answers = response_answers_get(response=self.response_obj)
        return respondent_pages(response=self.response_obj, answers=answers), answers

    def get(self, request: HttpRequest, slug: str, number: int) -> HttpResponse:
        pages, answers = self._plan()
        page = next((p for p in pages if p.number == number), None)
        if page is None:  # skipped by a condition (or no such page): go on from here
            later = [p for p in pages if p.number > number]
            return HttpResponseRedirect(
                _page_url(self.survey, later[0].number) if later else _review_url(self.survey)
            )
        form = self._form(page, stored=answers)
        return self._render(pages, page, form)

    def post(self, request: HttpRequest, slug: str, number: int) -> HttpResponse:
        pages, _answers = self._plan()
        page = next((p for p in pages if p.number == number), None)
        if page is None:
            return HttpResponseRedirect(_first_open_page_url(self.response_obj, self.survey))
        form = self._form(page, data=request.POST)
        action = request.POST.get("action", "next")
        values = form.answers()
        if form.local_errors:
            form.apply_local_errors()
            return self._render(pages, page, form, status=400)
        try:
            response_save_page(
                response=self.response_obj,
                section=page.section,
                answers=values,
                complete=action == "next",
            )
        except (AnswersInvalidError, AnswersIncompleteError) as error:
            form.add_errors(error.extra.get("errors", []))
            return self._render(pages, page, form, status=400)
        except DomainError as error:
            return _error_page(request, error, survey=self.survey)
        if action == "save":
            return HttpResponseRedirect(reverse("frontend:survey-saved", kwargs={"slug": slug}))
        pages = respondent_pages(response=self.response_obj)
        if action == "previous":
            earlier = [p for p in pages if p.number < number]
            if earlier:
                return HttpResponseRedirect(_page_url(self.survey, earlier[-1].number))
            return HttpResponseRedirect(_resume_path(self.survey))
        later = [p for p in pages if p.number > number]
        if later:
            return HttpResponseRedirect(_page_url(self.survey, later[0].number))
        return HttpResponseRedirect(_review_url(self.survey))

    def _form(self, page: RespondentPage, **kwargs: Any) -> SurveyPageForm:
        needs_buurten = any(
            q.type in (Question.Type.BUURT_CHOICE, Question.Type.LOCATION) for q in page.questions
        )
        return SurveyPageForm(
            questions=page.questions,
            pending=page.pending,
            dynamic=page.dynamic,
            buurt_groups=_buurt_groups(self.survey) if needs_buurten else None,
            **kwargs,
        )

    def _condition_context(self, page: RespondentPage) -> dict[str, Any]:
        """Saved answers (with their question type) that the conditions of this page's
        pending questions refer to, for survey-form.js."""
        if not page.context:
            return {}
        version = self.response_obj.survey_version
        types = {q.code: q.type for q in version.questions.filter(code__in=list(page.context))}
        return {
            code: {"type": types.get(code, ""), "rows": rows} for code, rows in page.context.items()
        }

    def _render(
        self,
        pages: list[RespondentPage],
        page: RespondentPage,
        form: SurveyPageForm,
        *,
        status: int = 200,
    ) -> HttpResponse:
        index = pages.index(page)
        has_map = any(q.type == Question.Type.LOCATION for q in page.questions)
        context = {
            **self.base_context(pages),
            "page": page,
            "form": form,
            "error_links": form.error_links,
            "step": index + 1,
            "step_count": len(pages),
            "is_first": index == 0,
            "is_last": index == len(pages) - 1,
            "condition_context": self._condition_context(page),
            "has_map": has_map,
            "buurt_year": area_list(
                level=AreaLevel.BUURT, municipality_code=self.survey.municipality_code
            )
            .values_list("year", flat=True)
            .first()
            if has_map
            else None,
        }
        return render(
            request=self.request,
            template_name=f"{TEMPLATES}/page.html",
            context=context,
            status=status,
        )


class SurveySavedView(_RespondingView):
    """After "save and continue later": the resume link, prominently."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        context = self.base_context([])
        context["continue_url"] = _first_open_page_url(self.response_obj, self.survey)
        return render(request, f"{TEMPLATES}/saved.html", context)


class SurveyReviewView(_RespondingView):
    """Every shown question with its answer, a change link per page, and submit."""

    def _context(self, error_links: list[ErrorLink] | None = None) -> dict[str, Any]:
        answers = response_answers_get(response=self.response_obj)
        pages = respondent_pages(response=self.response_obj, answers=answers)
        names = (
            _buurt_names(self.survey)
            if any(
                q.type in (Question.Type.BUURT_CHOICE, Question.Type.LOCATION)
                for p in pages
                for q in p.shown_questions
            )
            else {}
        )
        sections = [
            {
                "page": page,
                "url": _page_url(self.survey, page.number),
                "items": [
                    {
                        "question": q,
                        "lines": answer_display(q, answers.get(q.code, {}), buurt_names=names),
                    }
                    for q in page.shown_questions
                ],
            }
            for page in pages
        ]
        return {
            **self.base_context(pages),
            "sections": sections,
            "error_links": error_links or [],
            "last_page_url": _page_url(self.survey, pages[-1].number) if pages else "",
        }

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, f"{TEMPLATES}/review.html", self._context())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            response_submit(response=self.response_obj, resume_token=self.resume_token)
        except AnswersIncompleteError as error:
            return render(
                request,
                f"{TEMPLATES}/review.html",
                self._context(self._missing_links(error.extra.get("errors", []))),
                status=400,
            )
        except DomainError as error:
            return _error_page(request, error, survey=self.survey)
        redirect = HttpResponseRedirect(reverse("frontend:survey-thanks", kwargs={"slug": slug}))
        _clear_resume_cookie(redirect, self.survey)
        return redirect

    def _missing_links(self, errors: list[dict[str, Any]]) -> list[ErrorLink]:
        pages = respondent_pages(response=self.response_obj)
        where = {q.code: (p, q) for p in pages for q in p.questions}
        links = []
        for error in errors:
            found = where.get(error.get("question", ""))
            if not found:
                continue
            page, question = found
            row = next((r for r in question.rows if r.get("key") == error.get("row")), None)
            label = question.localized_text
            if row is not None:
                label = f"{label} – {label_of(row)}"
            links.append(
                ErrorLink(
                    f"{label}: {error.get('message', '')}",
                    f"{_page_url(self.survey, page.number)}#vraag-{question.code}",
                )
            )
        return links


class SurveyThanksView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        survey = _survey(slug)
        return render(request, f"{TEMPLATES}/thanks.html", {"survey": survey})
