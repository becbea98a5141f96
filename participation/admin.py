"""Django admin (technical management). Role changes, consent texts and withdrawals go
through the services, so the same invariants and audit logging apply as in the staff pages.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from participation.models import (
    Burgerpanel,
    ConsentText,
    PanelMembership,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.roles import ROLE_DEFINITIONS, RoleDefinition
from participation.selectors import user_role_keys
from participation.services import (
    consent_text_create,
    consent_text_publish,
    consent_text_update,
    panel_leave,
    user_create,
    user_role_grant,
    user_role_revoke,
)

# --- Users ----------------------------------------------------------------------------------


class UserCreationAdminForm(AdminUserCreationForm):
    """Without a usable password the person sets one via "Wachtwoord vergeten"; allauth asks
    them to verify the address when they first sign in."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        # Same normalisation as participation.services.user_create; addresses are unique
        # regardless of case.
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "is_active", "is_staff", "is_superuser")


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    return str(message) % {
        key: str(value) if isinstance(value, Promise) else value for key, value in params.items()
    }


# Action descriptions are built at import time: keep them lazy so they follow the language.
_interpolate_lazy = lazy(_interpolate, str)


def _role_action(definition: RoleDefinition, *, grant: bool) -> Callable[..., None]:
    if grant:
        description = _interpolate_lazy(_("Rol %(role)s toekennen"), {"role": definition.label})
        done_message = _("Rol %(role)s toegekend aan %(count)d gebruiker(s).")
    else:
        description = _interpolate_lazy(_("Rol %(role)s intrekken"), {"role": definition.label})
        done_message = _("Rol %(role)s ingetrokken bij %(count)d gebruiker(s).")

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for user in queryset:
            try:
                if grant:
                    user_role_grant(user=user, role_key=definition.key, granted_by=request.user)
                else:
                    user_role_revoke(user=user, role_key=definition.key, revoked_by=request.user)
            except DomainError as err:
                modeladmin.message_user(request, f"{user}: {err.message}", messages.WARNING)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                _interpolate(done_message, {"role": definition.label, "count": done}),
                messages.SUCCESS,
            )

    action.__name__ = f"{'grant' if grant else 'revoke'}_{definition.key}"
    return admin.action(description=description, permissions=["manage_roles"])(action)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """E-mail based. Roles are shown read-only and changed with the actions (services);
    group and permission fields are left out on purpose."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name")}),
        (_("Rollen en toegang"), {"fields": ("roles", "is_active", "is_staff", "is_superuser")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "display_name", "roles", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    filter_horizontal = ()
    readonly_fields = ("roles", "last_login", "date_joined")
    actions = [
        _role_action(definition, grant=grant)
        for definition in ROLE_DEFINITIONS.values()
        for grant in (True, False)
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The address is managed by allauth (verification); change it there.
            fields += ("email",)
            if not request.user.is_superuser:
                fields += ("is_superuser",)
        return fields

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # New accounts go through the service, which also adds the (unverified) allauth
        # e-mail address.
        password = form.cleaned_data.get("password1") or None
        if not form.cleaned_data.get("set_usable_password", True):
            password = None
        created = user_create(email=obj.email, password=password)
        for field in User._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    @admin.display(description=_("rollen"))
    def roles(self, obj: User) -> str:
        return ", ".join(str(ROLE_DEFINITIONS[key].label) for key in user_role_keys(user=obj))

    def has_manage_roles_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.manage_roles")


# --- Wijkraden ------------------------------------------------------------------------------


class WijkraadMembershipInline(admin.TabularInline):
    model = WijkraadMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Wijkraad)
class WijkraadAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "area_codes")
    list_filter = ("is_active",)
    search_fields = ("name", "slug", "areas__code")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("areas",)
    inlines = [WijkraadMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Wijkraad]:
        return super().get_queryset(request).prefetch_related("areas")

    @admin.display(description=_("gebieden"))
    def area_codes(self, obj: Wijkraad) -> str:
        return ", ".join(sorted(area.code for area in obj.areas.all()))


@admin.register(WijkraadMembership)
class WijkraadMembershipAdmin(admin.ModelAdmin):
    list_display = ("wijkraad", "user", "role", "created_at")
    list_filter = ("wijkraad", "role")
    search_fields = ("user__email", "wijkraad__name")
    autocomplete_fields = ("user",)
    list_select_related = ("wijkraad", "user")


# --- Burgerpanel ----------------------------------------------------------------------------


@admin.register(Burgerpanel)
class BurgerpanelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "municipality_codes", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ConsentTextForm(forms.ModelForm):
    class Meta:
        model = ConsentText
        fields = ("panel", "body")


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Drafts are created and edited through the services (version numbers are assigned);
    published texts are read-only because memberships refer to them."""

    form = ConsentTextForm
    list_display = ("panel", "version", "published_at")
    list_filter = ("panel",)
    actions = ["publish"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("panel", "body")
        return ("panel", "version", "body", "published_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        if obj.is_published:
            return ("panel", "version", "body", "published_at")
        return ("panel", "version", "published_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ConsentText, form: Any, change: bool) -> None:
        if change:
            saved = consent_text_update(consent_text=obj, body=form.cleaned_data["body"])
        else:
            saved = consent_text_create(panel=obj.panel, body=obj.body)
        for field in ConsentText._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    @admin.action(description=_("Geselecteerde concepten publiceren"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[ConsentText]) -> None:
        for text in queryset:
            try:
                consent_text_publish(consent_text=text)
            except DomainError as err:
                self.message_user(request, f"{text}: {err.message}", messages.WARNING)
            else:
                self.message_user(request, _("%(text)s gepubliceerd.") % {"text": text})


@admin.register(PanelMembership)
class PanelMembershipAdmin(admin.ModelAdmin):
    """Read-only: people join through the site; withdrawal goes through `panel_leave`, which
    erases the personal data."""

    list_display = (
        "__str__",
        "panel",
        "user",
        "consent_text",
        "consented_at",
        "withdrawn_at",
    )
    list_filter = ("panel", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email",)
    list_select_related = ("panel", "user", "consent_text__panel")
    actions = ["withdraw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.change_panelmembership")

    @admin.action(
        description=_("Uitschrijven en persoonsgegevens wissen"), permissions=["withdraw"]
    )
    def withdraw(self, request: HttpRequest, queryset: QuerySet[PanelMembership]) -> None:
        done = 0
        for membership in queryset:
            try:
                panel_leave(membership=membership)
            except DomainError as err:
                self.message_user(request, f"{membership}: {err.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d lidmaatschap(pen) beëindigd.") % {"count": done}
            )
