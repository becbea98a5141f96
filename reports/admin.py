"""Django admin (technical management) for reports.

Categories are edited here by administrators. Reports are read-mostly: no adding, editing
or deleting, only actions that call the services, so validation, the status workflow and
the audit log apply exactly as in the staff pages. Personal data (contact e-mail, account,
original text, place description, photos) is shown only with `reports.view_personal_data`,
confidential categories only with `reports.view_confidential`. The audit log is read-only.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from reports.models import Report, ReportCategory, ReportEvent, ReportMessage, ReportPhoto
from reports.services import report_moderate, report_status_change

PERSONAL_FIELDS = ("description", "location_description", "contact_email", "reporter")


def _may(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    return bool(request.user.has_perm(perm, obj))


class _BackofficeModuleMixin:
    """Staff roles hold rules permissions, not model permissions: show the app to them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may(request, "reports.view_backoffice")


# --- Categories -------------------------------------------------------------------------------


@admin.register(ReportCategory)
class ReportCategoryAdmin(_BackofficeModuleMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "slug",
        "theme",
        "sensitivity",
        "redirect_channel",
        "accepts_reports",
        "is_active",
        "position",
    )
    list_filter = ("sensitivity", "is_active", "accepts_reports", "parent")
    search_fields = ("slug", "name", "name_en")
    list_select_related = ("parent", "theme")
    ordering = ("position", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Slugs are stable: mappings, imports and links refer to them.
        return ("slug",) if obj is not None else ()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, "reports.view_backoffice") or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may(request, "reports.manage_categories")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, "reports.manage_categories")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: reports keep pointing at their category (PROTECT).
        return False


# --- Reports ----------------------------------------------------------------------------------


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportMessageInline(_ReadOnlyInline):
    model = ReportMessage
    fields = ("created_at", "kind", "author", "body")
    readonly_fields = fields


class ReportPhotoInline(_ReadOnlyInline):
    model = ReportPhoto
    fields = ("created_at", "image", "width", "height", "size_bytes")
    readonly_fields = fields


class ReportEventInline(_ReadOnlyInline):
    model = ReportEvent
    fields = ("created_at", "action", "actor", "before", "after")
    readonly_fields = fields


def _status_action(status: str, description: Any) -> Callable[..., None]:
    def action(modeladmin: "ReportAdmin", request: HttpRequest, queryset: QuerySet) -> None:
        modeladmin.run_service(
            request,
            queryset,
            perm="reports.handle_report",
            call=lambda report: report_status_change(
                report=report, actor=request.user, status=status
            ),
        )

    action.__name__ = f"status_{status}"
    return admin.action(description=description, permissions=["handle"])(action)


def _moderation_action(decision: str, description: Any) -> Callable[..., None]:
    def action(modeladmin: "ReportAdmin", request: HttpRequest, queryset: QuerySet) -> None:
        modeladmin.run_service(
            request,
            queryset,
            perm="reports.moderate_report",
            call=lambda report: report_moderate(
                report=report, actor=request.user, decision=decision
            ),
        )

    action.__name__ = f"moderation_{decision}"
    return admin.action(description=description, permissions=["moderate"])(action)


@admin.register(Report)
class ReportAdmin(_BackofficeModuleMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "created_at",
        "category",
        "buurt",
        "status",
        "partner",
        "moderation",
        "support_count",
        "source",
    )
    list_filter = (
        "status",
        "moderation",
        "source",
        "category__sensitivity",
        ("duplicate_of", admin.EmptyFieldListFilter),
        "category",
    )
    search_fields = ("reference", "external_id")
    list_select_related = ("category__parent", "buurt")
    date_hierarchy = "created_at"
    inlines = [ReportPhotoInline, ReportMessageInline, ReportEventInline]
    actions = [
        _status_action(Report.Status.IN_PROGRESS, _("Status: in behandeling")),
        _status_action(Report.Status.RESOLVED, _("Status: afgehandeld")),
        _status_action(Report.Status.CANCELLED, _("Status: geannuleerd")),
        _moderation_action(Report.Moderation.APPROVED, _("Tekst openbaar maken (goedkeuren)")),
        _moderation_action(Report.Moderation.REJECTED, _("Tekst niet openbaar maken")),
    ]
    BASE_FIELDS = (
        "reference",
        "uuid",
        "category",
        "status",
        "partner",
        "closed_at",
        "duplicate_of",
        "moderation",
        "public_description",
        "occurred_at",
        "lat",
        "lon",
        "grid_x",
        "grid_y",
        "buurt",
        "support_count",
        "source",
        "external_id",
        "contact_consent",
        "contact_anonymised_at",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        qs = super().get_queryset(request)
        if not _may(request, "reports.view_confidential"):
            qs = qs.exclude(category__sensitivity=ReportCategory.Sensitivity.CONFIDENTIAL)
        return qs

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if _may(request, "reports.view_personal_data", obj):
            return self.BASE_FIELDS + PERSONAL_FIELDS
        return self.BASE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list:
        if _may(request, "reports.view_personal_data", obj):
            return list(self.inlines)
        # Photos can show people, plates and houses: only with the personal-data permission.
        return [ReportMessageInline, ReportEventInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, "reports.view_report", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come in through the site, the API, Open311 or an import

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # changes go through the actions (services)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retention anonymises; reports are never deleted here

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return _may(request, "reports.handle_report")

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return _may(request, "reports.moderate_report")

    def run_service(
        self,
        request: HttpRequest,
        queryset: QuerySet[Report],
        *,
        perm: str,
        call: Callable[[Report], Any],
    ) -> None:
        done = 0
        for report in queryset.select_related("category"):
            if not _may(request, perm, report):
                self.message_user(
                    request, _("%(ref)s: geen toestemming.") % {"ref": report}, messages.WARNING
                )
                continue
            try:
                call(report)
            except DomainError as err:
                self.message_user(request, f"{report}: {err.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d melding(en) bijgewerkt.") % {"count": done}, messages.SUCCESS
            )


# --- Audit log ---------------------------------------------------------------------------------


@admin.register(ReportEvent)
class ReportEventAdmin(_BackofficeModuleMixin, admin.ModelAdmin):
    list_display = ("created_at", "report", "action", "actor")
    list_filter = ("action",)
    search_fields = ("report__reference", "action")
    list_select_related = ("report", "actor")
    fields = ("created_at", "report", "action", "actor", "before", "after")
    readonly_fields = fields
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        qs = super().get_queryset(request)
        if not _may(request, "reports.view_confidential"):
            qs = qs.exclude(report__category__sensitivity=ReportCategory.Sensitivity.CONFIDENTIAL)
        return qs

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request, "reports.view_report", obj.report if obj is not None else None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
