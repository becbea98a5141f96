"""A tiny URLconf for the notification tests: the tracking page lives in `frontend`, which
these tests do not depend on, so `frontend:report-track` is defined here (namespaced)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _track(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


frontend_patterns = ([path("melding/volgen/<str:token>/", _track, name="report-track")], "frontend")

urlpatterns = [path("", include(frontend_patterns))]
