"""Shared API plumbing: the domain-error handler, a rules-based permission class and the
second-factor guard for staff endpoints."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError
from core.mfa import session_has_mfa, user_has_totp


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render `DomainError` as `{"code", "detail", "extra"}`; everything else as DRF does."""
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "detail": str(exc.message), "extra": exc.extra},
            status=exc.http_status,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class RulesPermission(permissions.BasePermission):
    """Checks `view.required_perm` (a django-rules permission) against
    `view.get_permission_object()` when the view defines it."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        perm = getattr(view, "required_perm", None)
        if perm is None:
            return True
        get_obj = getattr(view, "get_permission_object", None)
        obj = get_obj() if get_obj is not None else None
        return request.user.has_perm(perm, obj)


class MfaConfirmedPermission(permissions.BasePermission):
    """The caller set up TOTP and confirmed this session with it, as the staff pages require
    (`frontend.views.mixins.MfaRequiredMixin`). Put it after the role check, so callers
    without the role get the usual 403, and before object look-ups."""

    message = _(
        "Bevestig deze sessie eerst met tweestapsverificatie (de code uit je "
        "authenticator-app) via de medewerkerspagina's."
    )
    code = "mfa_required"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return user_has_totp(request.user) and session_has_mfa(request)
