"""Guards shared by the staff pages (/beheer/)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.views import PermissionRequiredMixin

from core.mfa import session_has_mfa, user_has_totp

TOTP_REQUIRED_MESSAGE = _(
    "Medewerkers moeten eerst tweestapsverificatie instellen voordat ze de "
    "medewerkerspagina's kunnen gebruiken. Scan de QR-code met een authenticator-app en vul "
    "de code in."
)
MFA_SESSION_REQUIRED_MESSAGE = _(
    "Bevestig eerst met de code uit je authenticator-app dat jij het bent; daarna kun je de "
    "medewerkerspagina's gebruiken."
)


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class MfaRequiredMixin:
    """Staff must have TOTP set up, and this session must have been confirmed with it.

    Without TOTP: to allauth's activation page. With TOTP, but a session that was not
    confirmed with a second factor (it was signed in before TOTP was set up): to allauth's
    MFA re-authentication, which records the step and returns here.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not user_has_totp(request.user):
            messages.warning(request, TOTP_REQUIRED_MESSAGE)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if not session_has_mfa(request):
            messages.info(request, MFA_SESSION_REQUIRED_MESSAGE)
            return HttpResponseRedirect(_with_next(reverse("mfa_reauthenticate"), request))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class StaffPageMixin(LoginRequiredMixin, PermissionRequiredMixin, MfaRequiredMixin):
    """Signed in (else: to the login page), allowed to use the staff pages (else: 403) and
    confirmed with a second factor (else: set up or confirm TOTP first).

    Subclasses that need more than access add permissions, e.g.
    `permission_required = (StaffPageMixin.permission_required, "participation.manage_roles")`.
    """

    permission_required: str | tuple[str, ...] = "participation.access_staff_pages"
    raise_exception = False  # anonymous: login redirect; signed in without permission: 403
