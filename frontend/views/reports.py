"""Resident pages for meldingen: filing (place and category, check nearby, details),
joining an open report ("Ik heb hier ook last van") and following a report by its link.

Every step works without JavaScript. Each request translates the form into one domain call
(`report_intake_precheck`, `report_create`, `report_support_add`) and renders the result;
domain errors are shown on the field they name.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from core.exceptions import DomainError
from frontend.forms.reports import (
    ReportDetailsForm,
    ReportPlaceForm,
    idempotency_key_new,
)
from reports.api.views import DEVICE_COOKIE, DEVICE_ID, DynamicScopedRateThrottle
from reports.exceptions import IdempotencyConflictError
from reports.models import Report
from reports.selectors import (
    public_text,
    report_get_by_token,
    report_get_public,
    report_public_messages,
    report_status_history,
)
from reports.services import (
    IntakePrecheck,
    report_create,
    report_intake_precheck,
    report_place_check,
    report_support_add,
)

CREATE_TEMPLATE = "frontend/reports/create.html"
SESSION_FILED = "reports_filed"  # the tracking token of the last report filed in this session
STEP_PLACE = "place"
STEP_DETAILS = "details"


class _Scope:
    """What DRF's scoped throttle reads from a view: only the scope."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def _throttled(request: HttpRequest, scope: str) -> bool:
    """Count this request against the API's rate limit of the same scope (`report_create`,
    `report_support`): the page and the API share one bucket per account or client address,
    so the form is no way around the limit."""
    return not DynamicScopedRateThrottle().allow_request(request, _Scope(scope))


THROTTLED_MESSAGE = gettext_lazy(
    "Er zijn vanaf dit adres in korte tijd veel meldingen gedaan. Probeer het later opnieuw."
)


def _areas_context() -> dict[str, Any]:
    municipality = settings.BUURTSTEM_MUNICIPALITY_CODE
    return {"buurt_code_prefix": "BU" + municipality[2:6]}


@method_decorator(never_cache, name="dispatch")
class ReportCreateView(View):
    """/melden/: step 1 (place and category) → step 2 (open reports nearby and the details)
    → the confirmation. The step is chosen by the button pressed (`action`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"idempotency_key": idempotency_key_new()}
        if category := request.GET.get("onderwerp"):
            initial["category"] = category
        return self._place_step(ReportPlaceForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        if action == "submit":
            return self._submit()
        if action == "edit":
            # Back to step 1 with what was chosen, without judging it yet.
            initial = {name: request.POST.get(name, "") for name in ReportPlaceForm.base_fields}
            if not initial["idempotency_key"]:
                initial["idempotency_key"] = idempotency_key_new()
            return self._place_step(ReportPlaceForm(initial=initial))
        return self._check()

    # --- steps ---------------------------------------------------------------------------

    def _check(self) -> HttpResponse:
        form = ReportPlaceForm(self.request.POST)
        if not form.is_valid() or form.location_errors:
            if form.place_inputs_valid:
                # Name every error at once: the place is checked even when the topic is not.
                try:
                    report_place_check(**form.location_kwargs())
                except DomainError as err:
                    form.add_domain_error(err)
            return self._place_step(form)
        try:
            check = report_intake_precheck(**form.place_kwargs())
        except DomainError as err:
            form.add_domain_error(err)
            return self._place_step(form)
        details = ReportDetailsForm(
            initial={
                **{name: form.data.get(name, "") for name in ReportPlaceForm.base_fields},
                "buurt": check.buurt.code if not form.uses_point else "",
            },
            user=self.request.user,
        )
        return self._details_step(details, check)

    def _submit(self) -> HttpResponse:
        request = self.request
        form = ReportDetailsForm(request.POST, request.FILES, user=request.user)
        if form.is_valid() and not form.location_errors:
            if _throttled(request, "report_create"):
                form.add_error(None, THROTTLED_MESSAGE)
                response = self._submit_again(form)
                response.status_code = 429
                return response
            try:
                intake = report_create(**form.create_kwargs())
            except IdempotencyConflictError as err:
                form.add_error(None, str(err.message))
                form.data = form.data.copy()
                form.data["idempotency_key"] = idempotency_key_new()
            except DomainError as err:
                form.add_domain_error(err)
            else:
                request.session[SESSION_FILED] = intake.tracking_token
                return HttpResponseRedirect(reverse("frontend:report-filed"))
        return self._submit_again(form)

    def _submit_again(self, form: ReportDetailsForm) -> HttpResponse:
        """Step 2 again with the form's errors (or step 1 when the place itself is wrong)."""
        request = self.request
        if form.has_place_errors:
            return self._place_step(form)
        place = ReportPlaceForm(request.POST)
        check: IntakePrecheck | None = None
        if place.is_valid() and not place.location_errors:
            try:
                check = report_intake_precheck(**place.place_kwargs())
            except DomainError as err:
                place.add_domain_error(err)
                return self._place_step(place)
        if check is None:
            return self._place_step(place)
        return self._details_step(form, check)

    # --- rendering -----------------------------------------------------------------------

    def _place_step(self, form: ReportPlaceForm) -> HttpResponse:
        categories = form.categories
        context = {
            "step": STEP_PLACE,
            "form": form,
            "chosen_category": form.chosen_category(),
            "redirect_categories": [c for c in categories.values() if c.redirect_channel],
            "category_notes": {
                slug: {
                    "channel": c.get_redirect_channel_display() if c.redirect_channel else "",
                    "description": c.localized_description,
                    "accepts": c.accepts_reports,
                }
                for slug, c in categories.items()
                if c.redirect_channel or c.localized_description
            },
            **_areas_context(),
        }
        status = 422 if form.has_errors else 200
        return render(self.request, CREATE_TEMPLATE, context, status=status)

    def _details_step(self, form: ReportDetailsForm, check: IntakePrecheck) -> HttpResponse:
        context = {
            "step": STEP_DETAILS,
            "form": form,
            "check": check,
            "uses_point": bool((form.data or form.initial).get("lat")),
            "nearby": [
                {
                    "uuid": n.report.uuid,
                    "category": n.report.category.localized_name,
                    "created_at": n.report.created_at,
                    "text": public_text(n.report),
                    "support_count": n.report.support_count,
                    "distance_m": n.distance_m,
                }
                for n in check.nearby
            ],
            "max_description": 4000,
        }
        status = 422 if form.has_errors else 200
        return render(self.request, CREATE_TEMPLATE, context, status=status)


@method_decorator(never_cache, name="dispatch")
class ReportFiledView(View):
    """The confirmation after filing: the tracking link, shown to this session only."""

    def get(self, request: HttpRequest) -> HttpResponse:
        token = request.session.get(SESSION_FILED)
        if not token:
            return HttpResponseRedirect(reverse("frontend:report-create"))
        try:
            report = report_get_by_token(token=token)
        except Report.DoesNotExist:
            request.session.pop(SESSION_FILED, None)
            return HttpResponseRedirect(reverse("frontend:report-create"))
        track_url = request.build_absolute_uri(
            reverse("frontend:report-track", kwargs={"token": token})
        )
        return render(
            request,
            "frontend/reports/filed.html",
            {"report": report, "track_url": track_url},
        )


class ReportSupportView(View):
    """POST: "Ik heb hier ook last van" for an open public report, once per account or
    device (the same device cookie as the API)."""

    def post(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        try:
            report = report_get_public(uuid=uuid)
        except Report.DoesNotExist as exc:
            raise Http404 from exc
        if _throttled(request, "report_support"):
            return render(
                request,
                "frontend/reports/support_done.html",
                {"report": report, "error": THROTTLED_MESSAGE},
                status=429,
            )
        user = request.user if request.user.is_authenticated else None
        device_id, issued = None, False
        if user is None:
            device_id = request.COOKIES.get(DEVICE_COOKIE)
            if not device_id or not DEVICE_ID.match(device_id):
                device_id, issued = secrets.token_urlsafe(24), True
        try:
            added = report_support_add(report=report, user=user, device_id=device_id)
        except DomainError as err:
            return render(
                request,
                "frontend/reports/support_done.html",
                {"report": report, "error": err.message},
                status=409 if err.http_status == 409 else 400,
            )
        url = reverse("frontend:report-support-done", kwargs={"uuid": report.uuid})
        response = HttpResponseRedirect(f"{url}?{'nieuw' if added else 'al'}=1")
        if issued:
            response.set_cookie(
                DEVICE_COOKIE,
                device_id,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ReportSupportDoneView(View):
    """The confirmation after joining: what was joined and how many people it counts now."""

    def get(self, request: HttpRequest, uuid: Any) -> HttpResponse:
        try:
            report = report_get_public(uuid=uuid)
        except Report.DoesNotExist as exc:
            raise Http404 from exc
        return render(
            request,
            "frontend/reports/support_done.html",
            {"report": report, "added": "nieuw" in request.GET, "text": public_text(report)},
        )


@method_decorator(never_cache, name="dispatch")
class ReportTrackView(View):
    """/melding/<token>/: status and history, public messages, category, buurt and date.
    Never contact data, the text as written, photos or the exact place: a link may be
    shared."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            report = report_get_by_token(token=token)
        except Report.DoesNotExist:
            return render(request, "frontend/reports/track_not_found.html", status=404)
        return render(
            request,
            "frontend/reports/track.html",
            {
                "report": report,
                "history": report_status_history(report=report),
                "messages_public": report_public_messages(report=report),
            },
        )
