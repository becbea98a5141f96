"""Django admin (technical management). Questionnaires are edited in the staff pages through
the services; here surveys can be published and closed (through the services) and the rest
is read-only. Responses are shown without anything that could identify a respondent."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from surveys.models import (
    Invitation,
    InvitationWave,
    OpenAnswerModeration,
    Question,
    Response,
    Section,
    Survey,
    SurveyVersion,
)
from surveys.services import survey_close, survey_publish


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _run(request: HttpRequest, queryset: QuerySet, service: Callable[..., Any], done: Any) -> None:
    for survey in queryset:
        try:
            service(survey=survey)
        except DomainError as exc:
            messages.error(request, f"{survey}: {exc.message}")
        else:
            messages.success(request, f"{survey}: {done}")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "status", "distribution", "panel", "opens_at", "closes_at")
    list_filter = ("status", "distribution")
    search_fields = ("title", "slug")
    actions = ("publish", "close")

    @admin.action(description=_("Conceptversie publiceren"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(request, queryset, survey_publish, _("gepubliceerd"))

    @admin.action(description=_("Vragenlijst sluiten"))
    def close(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(request, queryset, survey_close, _("gesloten"))


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("position", "title", "condition")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyVersion)
class SurveyVersionAdmin(ReadOnlyAdmin):
    list_display = ("survey", "number", "published_at")
    inlines = (SectionInline,)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("code", "type", "version", "required")
    list_filter = ("type",)
    search_fields = ("code", "text")


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("ref", "survey", "channel", "is_indicative", "submitted_at")
    list_filter = ("channel", "is_indicative")
    fields = ("ref", "survey", "survey_version", "channel", "is_indicative", "buurt", "age_band",
              "sex", "submitted_at")  # fmt: skip


@admin.register(OpenAnswerModeration)
class OpenAnswerModerationAdmin(ReadOnlyAdmin):
    list_display = ("answer", "status", "moderated_at")
    list_filter = ("status",)


@admin.register(InvitationWave)
class InvitationWaveAdmin(ReadOnlyAdmin):
    list_display = ("name", "survey", "mode", "issued_at")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("survey", "wave", "sent_at", "expires_at", "used_at", "responded_at")
    fields = ("survey", "wave", "sent_at", "expires_at", "used_at", "responded_at",
              "reminder_count", "last_reminded_at")  # fmt: skip
