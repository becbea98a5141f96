"""Back office for meldingen (/beheer/meldingen/): list with filters and map, one report with
its actions, the moderation queue, exports and the bulk import.

Every view uses StaffPageMixin (signed in, staff role, TOTP-confirmed session) plus the
reports permission of what it does (reports/rules.py). Reads are one selector call, writes
one service call; domain errors are shown as form errors on the field they name.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import DomainError
from frontend.forms.staff_reports import (
    ImportConfirmForm,
    ImportUploadForm,
    MergeForm,
    MessageForm,
    ModerationForm,
    ReportFilterForm,
    StatusChangeForm,
)
from frontend.views.mixins import StaffPageMixin
from geo.selectors import area_latest_year
from reports.exports import report_export_csv, report_export_geojson
from reports.imports import ReportImportResult, report_import_from_file
from reports.models import Report
from reports.selectors import (
    report_event_list,
    report_get_for_staff,
    report_get_for_staff_by_reference,
    report_list_awaiting_moderation,
    report_list_for_staff,
    report_map_features_for_staff,
)
from reports.services import (
    report_merge,
    report_message_add,
    report_moderate,
    report_status_change,
)

PAGE_SIZE = 50
MAP_LIMIT = 5000
# Query parameters that are not part of the selection (exports and the map ignore them).
VIEW_PARAMS = ("page", "view")

EVENT_LABELS = {
    "report.created": gettext_lazy("Melding ontvangen"),
    "report.imported": gettext_lazy("Ingelezen uit een ander systeem"),
    "report.status_changed": gettext_lazy("Status gewijzigd"),
    "report.message_added.public": gettext_lazy("Bericht aan de melder"),
    "report.message_added.internal": gettext_lazy("Interne notitie"),
    "report.moderated": gettext_lazy("Tekst gemodereerd"),
    "report.merged": gettext_lazy("Samengevoegd met een andere melding"),
    "report.merge_received": gettext_lazy("Dubbele melding hierbij gevoegd"),
    "report.contact_anonymised": gettext_lazy("Contactgegevens gewist (bewaartermijn)"),
}


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the message and the id of the field it is about."""

    anchor: str
    label: str
    message: str


def error_links(form: forms.Form, *, form_id: str) -> list[ErrorLink]:
    links = [ErrorLink(form_id, "", str(e)) for e in form.non_field_errors()]
    for field in form:
        if not field.errors or field.is_hidden:
            continue
        anchor = field.auto_id
        if isinstance(field.field.widget, forms.RadioSelect):
            anchor = f"{anchor}_0"
        links += [ErrorLink(anchor, str(field.label), str(e)) for e in field.errors]
    return links


def add_domain_error(form: forms.Form, error: DomainError, *, field_map: dict[str, str]) -> None:
    """Attach a domain error to the form field it names (extra.field), else to the form."""
    field = field_map.get(str(error.extra.get("field", "")))
    form.add_error(field if field in form.fields else None, str(error.message))


def _selection(request: HttpRequest) -> tuple[ReportFilterForm, Any]:
    """The filter form bound to the query string, and the selection it describes.
    Invalid fields are shown as errors and left out of the selection."""
    form = ReportFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    else:
        form.cleaned_data = {}
    for name in list(form.errors):
        form.cleaned_data.pop(name, None)
    filters = form.to_filters(
        include_confidential=request.user.has_perm("reports.view_confidential")
    )
    return form, filters


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _map_config() -> dict[str, Any]:
    prefix = "BU" + settings.BUURTSTEM_MUNICIPALITY_CODE[2:6]
    return {
        "buurt_year": area_latest_year(code_prefix=prefix),
        "buurt_code_prefix": prefix,
        "detail_url_template": reverse(
            "frontend:staff-report-detail", kwargs={"uuid": "00000000-0000-0000-0000-000000000000"}
        ),
    }


# --- List, map data, exports ------------------------------------------------------------------


class StaffReportListView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/reports/list.html"
    permission_required = ("participation.access_staff_pages", "reports.view_backoffice")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form, filters = _selection(self.request)
        page = Paginator(report_list_for_staff(filters=filters), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        selection = _query_without(self.request, *VIEW_PARAMS)
        show_map = self.request.GET.get("view") == "map"
        context.update(
            form=form,
            page=page,
            show_map=show_map,
            selection_query=selection,
            error_summary=error_links(form, form_id="report-filters"),
            map_data_url=f"{reverse('frontend:staff-report-map-data')}?{selection}",
            **(_map_config() if show_map else {}),
        )
        return context


class StaffReportMapDataView(StaffPageMixin, View):
    """The selection as GeoJSON points for the map on the list page."""

    permission_required = ("participation.access_staff_pages", "reports.view_backoffice")

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, filters = _selection(request)
        features, total = report_map_features_for_staff(filters=filters, limit=MAP_LIMIT)
        response = JsonResponse(
            {"type": "FeatureCollection", "total": total, "features": features},
            content_type="application/geo+json",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class StaffReportExportView(StaffPageMixin, View):
    """The selection as CSV or GeoJSON; personal data columns only for those allowed."""

    permission_required = ("participation.access_staff_pages", "reports.export_reports")
    export_format = "csv"

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, filters = _selection(request)
        reports = report_list_for_staff(filters=filters)
        personal = request.user.has_perm("reports.view_personal_data")
        stamp = timezone.localdate().strftime("%Y%m%d")
        if self.export_format == "geojson":
            body = report_export_geojson(reports=reports, include_personal_data=personal)
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False), content_type="application/geo+json"
            )
        else:
            body = report_export_csv(reports=reports, include_personal_data=personal)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="meldingen-{stamp}.{self.export_format}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- Moderation queue -------------------------------------------------------------------------


class StaffModerationQueueView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/reports/moderation_queue.html"
    permission_required = ("participation.access_staff_pages", "reports.moderate_report")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = Paginator(report_list_awaiting_moderation(), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return context


# --- One report -------------------------------------------------------------------------------


class ReportObjectMixin:
    """Loads the report in the URL after the staff checks (so that nobody without a staff
    role learns whether it exists) and checks `object_permission` against it."""

    object_permission = "reports.view_report"
    request: HttpRequest
    kwargs: dict[str, Any]

    def load_report(self) -> Report:
        try:
            report = report_get_for_staff(uuid=self.kwargs["uuid"])
        except Report.DoesNotExist as exc:
            raise Http404 from exc
        user = self.request.user
        if not (
            user.has_perm("reports.view_report", report)
            and user.has_perm(self.object_permission, report)
        ):
            raise PermissionDenied
        return report


class StaffReportDetailView(StaffPageMixin, ReportObjectMixin, TemplateView):
    template_name = "frontend/staff/reports/detail.html"
    permission_required = ("participation.access_staff_pages", "reports.view_backoffice")
    # The form a POST view bound (it is shown with its errors); the others start empty.
    bound_form_name = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.report = self.load_report()
        return self.render_to_response(self.get_context_data())

    def forms_for(self, report: Report) -> dict[str, forms.Form]:
        user = self.request.user
        found: dict[str, forms.Form] = {}
        if user.has_perm("reports.handle_report", report):
            if not report.duplicate_of_id:
                found["status_form"] = StatusChangeForm(report=report)
                found["merge_form"] = MergeForm()
            found["message_form"] = MessageForm()
        if user.has_perm("reports.moderate_report", report):
            found["moderation_form"] = ModerationForm(
                initial={
                    "decision": report.moderation
                    if report.moderation != Report.Moderation.PENDING
                    else "",
                    "public_text": report.public_description or report.description,
                    "next": self.request.GET.get("next", ""),
                }
            )
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.report
        user = self.request.user
        context_forms = self.forms_for(report)
        context_forms.update({k: v for k, v in kwargs.items() if k.endswith("_form")})
        events = list(report_event_list(report=report))
        context.update(context_forms)
        context.update(
            report=report,
            show_personal_data=user.has_perm("reports.view_personal_data", report),
            may_handle=user.has_perm("reports.handle_report", report),
            may_moderate=user.has_perm("reports.moderate_report", report),
            events=[
                {
                    "event": e,
                    "label": EVENT_LABELS.get(e.action, e.action),
                    "before": sorted(e.before.items()),
                    "after": sorted(e.after.items()),
                }
                for e in events
            ],
            status_history=_status_history(events),
            report_messages=list(report.messages.all()),
            photos=list(report.photos.all()),
            point={"lat": report.lat, "lon": report.lon, "reference": report.reference}
            if report.has_location
            else None,
            error_summary=kwargs.get("error_summary", []),
            **_map_config(),
        )
        return context


STATUS_ACTIONS = ("report.created", "report.imported", "report.status_changed", "report.merged")


def _status_history(events: list[Any]) -> list[dict[str, Any]]:
    statuses, partners = dict(Report.Status.choices), dict(Report.Partner.choices)
    return [
        {
            "at": e.created_at,
            "status": statuses.get(e.after.get("status"), e.after.get("status", "")),
            "partner": partners.get(e.after.get("partner"), ""),
            "merged_into": e.after.get("duplicate_of", "") if e.action == "report.merged" else "",
        }
        for e in events
        if e.action in STATUS_ACTIONS
    ]


class _ReportActionView(StaffReportDetailView):
    """POST one action form; success: back to the report with a message; errors: the
    report page again with the form, its errors and an error summary."""

    http_method_names = ["post"]
    object_permission = "reports.handle_report"
    form_name = ""
    form_id = ""
    field_map: dict[str, str] = {}

    def make_form(self, report: Report) -> forms.Form:
        raise NotImplementedError

    def perform(self, report: Report, form: forms.Form) -> str | None:
        """Call the service; return the success message (None: a form error was added)."""
        raise NotImplementedError

    def success_url(self, report: Report, form: forms.Form) -> str:
        return reverse("frontend:staff-report-detail", kwargs={"uuid": report.uuid})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.report = report = self.load_report()
        form = self.make_form(report)
        if form.is_valid():
            try:
                message = self.perform(report, form)
            except DomainError as error:
                add_domain_error(form, error, field_map=self.field_map)
            else:
                if message is not None:
                    messages.success(request, message)
                    return HttpResponseRedirect(self.success_url(report, form))
        context = self.get_context_data(
            **{self.form_name: form},
            error_summary=error_links(form, form_id=self.form_id),
        )
        return self.render_to_response(context)


class StaffReportStatusView(_ReportActionView):
    form_name = "status_form"
    form_id = "status-form"
    field_map = {"status": "status", "partner": "partner", "message": "message"}

    def make_form(self, report: Report) -> forms.Form:
        if report.duplicate_of_id:
            raise PermissionDenied
        return StatusChangeForm(self.request.POST, report=report)

    def perform(self, report: Report, form: forms.Form) -> str:
        data = form.cleaned_data
        changed = report_status_change(
            report=report,
            actor=self.request.user,
            status=data["status"],
            partner=data.get("partner") or "",
            message=data.get("message") or "",
        )
        return _("De status is nu ‘%(status)s’.") % {"status": changed.get_status_display()}


class StaffReportMessageView(_ReportActionView):
    form_name = "message_form"
    form_id = "message-form"
    field_map = {"body": "body"}

    def make_form(self, report: Report) -> forms.Form:
        return MessageForm(self.request.POST)

    def perform(self, report: Report, form: forms.Form) -> str:
        public = form.cleaned_data["kind"] == MessageForm.PUBLIC
        report_message_add(
            report=report, actor=self.request.user, body=form.cleaned_data["body"], public=public
        )
        return (
            _("Het bericht aan de melder is verstuurd.")
            if public
            else _("De notitie is opgeslagen.")
        )


class StaffReportModerateView(_ReportActionView):
    object_permission = "reports.moderate_report"
    form_name = "moderation_form"
    form_id = "moderation-form"
    field_map = {"public_text": "public_text", "decision": "decision"}

    def make_form(self, report: Report) -> forms.Form:
        return ModerationForm(self.request.POST)

    def perform(self, report: Report, form: forms.Form) -> str:
        moderated = report_moderate(
            report=report,
            actor=self.request.user,
            decision=form.cleaned_data["decision"],
            public_text=form.cleaned_data.get("public_text") or "",
        )
        return _("Moderatie opgeslagen: %(decision)s.") % {
            "decision": moderated.get_moderation_display()
        }

    def success_url(self, report: Report, form: forms.Form) -> str:
        target = form.cleaned_data.get("next") or ""
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=False
        ):
            return target
        return super().success_url(report, form)


class StaffReportMergeView(_ReportActionView):
    form_name = "merge_form"
    form_id = "merge-form"
    field_map = {"into": "into"}

    def make_form(self, report: Report) -> forms.Form:
        if report.duplicate_of_id:
            raise PermissionDenied
        return MergeForm(self.request.POST)

    def perform(self, report: Report, form: forms.Form) -> str | None:
        try:
            target = report_get_for_staff_by_reference(reference=form.cleaned_data["into"])
        except Report.DoesNotExist:
            target = None
        if target is None or not self.request.user.has_perm("reports.handle_report", target):
            form.add_error("into", _("Er is geen melding met dit kenmerk die jij mag behandelen."))
            return None
        report_merge(duplicate=report, into=target, actor=self.request.user)
        return _("De melding is samengevoegd met %(ref)s.") % {"ref": target.reference}


class StaffReportPhotoView(StaffPageMixin, ReportObjectMixin, View):
    """A photo of a report, for staff who may see the report (never cached, never public)."""

    permission_required = ("participation.access_staff_pages", "reports.view_backoffice")

    def get(self, request: HttpRequest, uuid: Any, photo_uuid: Any) -> FileResponse:
        report = self.load_report()
        photo = next((p for p in report.photos.all() if p.uuid == photo_uuid), None)
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Import -----------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "staff_report_import"


def _import_dir(token: str) -> Path:
    """Where an upload waits between the dry run and the import: a directory named by a
    random token that only this session knows (the token is checked against the session,
    so nobody can point the import at other files)."""
    return Path(tempfile.gettempdir()) / "buurtstem-report-imports" / token


def _store_upload(upload: Any, target: Path) -> None:
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


class StaffReportImportView(StaffPageMixin, TemplateView):
    """Step 1: upload and dry run (nothing is written); step 2 is StaffReportImportConfirmView."""

    template_name = "frontend/staff/reports/import.html"
    permission_required = ("participation.access_staff_pages", "reports.import_reports")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        context.setdefault("error_summary", [])
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._invalid(form)
        self._forget_previous(request)
        token = secrets.token_hex(16)
        directory = _import_dir(token)
        directory.mkdir(parents=True, exist_ok=False)
        upload = form.cleaned_data["data_file"]
        suffix = Path(upload.name).suffix.lower()
        data_path = directory / f"data{suffix}"
        _store_upload(upload, data_path)
        mapping_path = None
        if form.cleaned_data.get("mapping_file"):
            mapping_path = directory / "mapping.csv"
            _store_upload(form.cleaned_data["mapping_file"], mapping_path)
        options = {
            "source_name": form.cleaned_data["source_name"],
            "partial": form.cleaned_data["partial"],
        }
        try:
            result = report_import_from_file(
                path=data_path,
                mapping_path=mapping_path,
                dry_run=True,
                actor=request.user,
                **options,
            )
        except DomainError as error:
            shutil.rmtree(directory, ignore_errors=True)
            file_field = {"mapping": "mapping_file", "data": "data_file"}
            field = file_field.get(str(error.extra.get("file", "")), error.extra.get("field"))
            form.add_error(field if field in form.fields else None, str(error.message))
            return self._invalid(form)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "data": data_path.name,
            "mapping": mapping_path.name if mapping_path else "",
            "file_name": upload.name,
            **options,
        }
        return self.render_to_response(
            self.get_context_data(
                result=result,
                would_write=_would_write(result),
                confirm_form=ImportConfirmForm(initial={"token": token}),
                file_name=upload.name,
                **options,
            )
        )

    def _invalid(self, form: ImportUploadForm) -> HttpResponse:
        context = self.get_context_data(
            form=form, error_summary=error_links(form, form_id="import-form")
        )
        return self.render_to_response(context)

    @staticmethod
    def _forget_previous(request: HttpRequest) -> None:
        previous = request.session.pop(IMPORT_SESSION_KEY, None)
        if previous:
            shutil.rmtree(_import_dir(previous["token"]), ignore_errors=True)


def _would_write(result: ReportImportResult) -> bool:
    return result.valid > 0 and (result.partial or not result.errors)


class StaffReportImportConfirmView(StaffPageMixin, TemplateView):
    """Step 2: import the file checked in step 1 (validated again: it is read afresh)."""

    template_name = "frontend/staff/reports/import.html"
    permission_required = ("participation.access_staff_pages", "reports.import_reports")
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportConfirmForm(request.POST)
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not form.is_valid() or not pending or pending["token"] != form.cleaned_data["token"]:
            messages.error(request, _("Deze import is verlopen. Kies het bestand opnieuw."))
            return HttpResponseRedirect(reverse("frontend:staff-report-import"))
        request.session.pop(IMPORT_SESSION_KEY, None)
        directory = _import_dir(pending["token"])
        try:
            result = report_import_from_file(
                path=directory / pending["data"],
                mapping_path=directory / pending["mapping"] if pending["mapping"] else None,
                source_name=pending["source_name"],
                partial=pending["partial"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("frontend:staff-report-import"))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return self.render_to_response(
            self.get_context_data(
                form=ImportUploadForm(),
                error_summary=[],
                imported_result=result,
                file_name=pending["file_name"],
            )
        )
