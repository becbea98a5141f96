"""Staff pages (/beheer/): policy staff, moderators and administrators."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.exceptions import DomainError
from frontend.views.mixins import StaffPageMixin
from participation.models import User
from participation.roles import ROLE_DEFINITIONS, role_choices
from participation.selectors import (
    staff_overview_get,
    staff_role_holders,
    user_get_by_email,
    user_role_keys,
)
from participation.services import user_role_grant, user_role_revoke


class StaffHomeView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roles"] = [ROLE_DEFINITIONS[key] for key in user_role_keys(user=self.request.user)]
        context["overview"] = staff_overview_get()
        return context


class RoleChangeForm(forms.Form):
    GRANT = "grant"
    REVOKE = "revoke"

    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Het e-mailadres waarmee de medewerker inlogt."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "class": "utrecht-textbox"}),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=role_choices,
        error_messages={"invalid_choice": _("Onbekende rol. Kies een rol uit de lijst.")},
    )
    action = forms.ChoiceField(
        label=_("Wat wil je doen?"),
        choices=[(GRANT, _("Rol toekennen")), (REVOKE, _("Rol intrekken"))],
        initial=GRANT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        try:
            self.target_user: User = user_get_by_email(email=email)
        except User.DoesNotExist:
            raise forms.ValidationError(
                _(
                    "Er is geen account met dit e-mailadres. De medewerker moet eerst zelf een "
                    "account aanmaken."
                ),
                code="unknown_email",
            ) from None
        return email


class StaffRolesView(StaffPageMixin, FormView):
    """Administrators grant and revoke staff roles by e-mail address."""

    template_name = "frontend/staff/roles.html"
    form_class = RoleChangeForm
    permission_required = (
        "participation.access_staff_pages",
        "participation.manage_roles",
    )

    def get_success_url(self) -> str:
        return reverse("frontend:staff-roles")

    def form_valid(self, form: RoleChangeForm) -> HttpResponse:
        user = form.target_user
        role_key = form.cleaned_data["role"]
        definition = ROLE_DEFINITIONS[role_key]
        try:
            if form.cleaned_data["action"] == RoleChangeForm.GRANT:
                user_role_grant(user=user, role_key=role_key, granted_by=self.request.user)
                message = _("%(email)s heeft nu de rol %(role)s.")
            else:
                user_role_revoke(user=user, role_key=role_key, revoked_by=self.request.user)
                message = _("De rol %(role)s is ingetrokken bij %(email)s.")
        except DomainError as err:
            form.add_error(None, err.message)
            return self.form_invalid(form)
        messages.success(self.request, message % {"email": user.email, "role": definition.label})
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["holders"] = staff_role_holders()
        context["role_definitions"] = list(ROLE_DEFINITIONS.values())
        return context
