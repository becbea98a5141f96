"""Open311 GeoReport v2 endpoints (/open311/v2/), XML and JSON by format suffix.

Errors use the spec's shape, `[{"code": <HTTP status>, "description": "<parameter>: …"}]`
(`<errors><error>…` in XML), with HTTP 400, 403 or 404. GET responses list public categories
only and never carry personal data (see reports.open311.serializers).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import DomainError
from reports.exceptions import Open311KeyInvalidError
from reports.models import Open311Client, Report
from reports.open311.renderers import (
    Open311ContentNegotiation,
    Open311JSONRenderer,
    Open311XMLRenderer,
)
from reports.open311.serializers import (
    CONSENT_ATTRIBUTE,
    ErrorOutputSerializer,
    ServiceDefinitionOutputSerializer,
    ServiceOutputSerializer,
    ServiceRequestCreatedOutputSerializer,
    ServiceRequestFilterSerializer,
    ServiceRequestInputSerializer,
    ServiceRequestOutputSerializer,
)
from reports.open311_keys import open311_client_for_key
from reports.selectors import category_list_accepting_reports, report_list_for_open311
from reports.services import report_create

CHANGESET = "2026-11-25T00:00:00+01:00"  # bump when the Open311 interface changes
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

# Our domain's field names → the Open311 parameter a client sent.
PARAMETER_NAMES = {
    "category": "service_code",
    "lon": "long",
    "location": "lat",
    "buurt": "lat",
    "location_description": "lat",
    "contact_email": "email",
    "contact_consent": CONSENT_ATTRIBUTE,
    "idempotency_key": "device_id",
    "non_field_errors": "request",
}

FORMAT = [
    OpenApiParameter(
        "fmt", str, OpenApiParameter.PATH, enum=["xml", "json"], description="Response format."
    ),
    OpenApiParameter("format", exclude=True),  # the suffix decides, not ?format=
]
ERRORS = OpenApiResponse(
    ErrorOutputSerializer(many=True),
    description="Spec-shaped errors (`<errors><error><code/><description/>…` in XML).",
)


def _error(status: int, parameter: str | None, message: Any) -> dict[str, Any]:
    text = str(message)
    return {"code": status, "description": f"{parameter}: {text}" if parameter else text}


def _flatten(detail: Any, parameter: str | None = None) -> list[tuple[str | None, str]]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            out += _flatten(value, PARAMETER_NAMES.get(str(key), str(key)))
        return out
    if isinstance(detail, list):
        out = []
        for value in detail:
            out += _flatten(value, parameter)
        return out
    return [(parameter, str(detail))]


def open311_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as Open311 `errors`; the HTTP status doubles as the error code."""
    if isinstance(exc, DomainError):
        field = exc.extra.get("field")
        errors = [
            _error(exc.http_status, PARAMETER_NAMES.get(field, field), exc.message),
        ]
        return Response(errors, status=exc.http_status)
    if isinstance(exc, exceptions.NotFound):
        return Response([_error(404, None, exc.detail)], status=404)
    if isinstance(exc, Http404):
        return Response([_error(404, None, _("Niet gevonden."))], status=404)
    if isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied):
        return Response([_error(403, None, _("Geen toegang."))], status=403)
    if isinstance(exc, exceptions.NotAuthenticated):
        return Response(
            [_error(403, "api_key", _("Een API-sleutel is nodig om meldingen te sturen."))],
            status=403,
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return Response([_error(403, "api_key", exc.detail)], status=403)
    if isinstance(exc, exceptions.ValidationError):
        errors = [_error(400, p, m) for p, m in _flatten(exc.detail)]
        return Response(errors, status=400)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(int(wait))
        return Response(
            [_error(exc.status_code, None, exc.detail)], status=exc.status_code, headers=headers
        )
    return None


class Open311KeyAuthentication(authentication.BaseAuthentication):
    """POST only: `api_key` (form field, or query parameter) names an active Open311Client,
    which becomes request.auth."""

    def authenticate(self, request: Request) -> tuple[Any, Open311Client] | None:
        if request.method != "POST":
            return None
        key = request.data.get("api_key") or request.query_params.get("api_key")
        if not key:
            return None
        try:
            client = open311_client_for_key(key=key)
        except Open311KeyInvalidError as exc:
            raise exceptions.AuthenticationFailed(str(exc.message)) from exc
        return AnonymousUser(), client


class Open311KeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = Open311KeyAuthentication
    name = "open311ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "api_key",
            "description": "Open311 API key; may also be sent as the form field api_key.",
        }


class Open311ClientPermission(permissions.BasePermission):
    """POST needs a valid key; reading is public."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method != "POST" or isinstance(request.auth, Open311Client)


class Open311Api(APIView):
    """Base: format by suffix, spec-shaped errors, no session (so no CSRF) and no cookies."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    content_negotiation_class = Open311ContentNegotiation
    parser_classes = [FormParser, MultiPartParser]
    xml_root = "response"

    def get_exception_handler(self) -> Any:
        return open311_exception_handler

    def get_format_suffix(self, **kwargs: Any) -> str | None:
        # The URL kwarg is `fmt`, not DRF's `format`: DRF's schema generator skips every
        # `.{format}` path, and these endpoints belong in the OpenAPI document.
        return kwargs.get("fmt")


def _service_get(code: str) -> Any:
    for category in category_list_accepting_reports():
        if category.slug == code:
            return category
    raise Http404


class DiscoveryApi(Open311Api):
    xml_root = "discovery"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_discovery",
        summary="Open311 service discovery",
        parameters=FORMAT,
        responses={200: OpenApiResponse(description="discovery document")},
    )
    def get(self, request: Request, fmt: str) -> Response:
        path = reverse("open311:discovery", kwargs={"fmt": "xml"}).rsplit("/", 1)[0] + "/"
        base = settings.BUURTSTEM_SITE_URL.rstrip("/") + path
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("Gemeente, via Buurtstem: %(site)s")
                % {"site": settings.BUURTSTEM_SITE_URL},
                "key_service": _(
                    "API-sleutels voor het versturen van meldingen geeft de gemeente uit "
                    "(beheerders van Buurtstem)."
                ),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": [Open311XMLRenderer.media_type, Open311JSONRenderer.media_type],
                    }
                ],
            }
        )


class ServiceListApi(Open311Api):
    xml_root = "services"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_service_list",
        summary="Open311 services (report categories)",
        description="Active leaf categories that accept reports. service_code = category slug; "
        "group = IVP veiligheidsveld; metadata = false; type = realtime.",
        parameters=FORMAT,
        responses={200: ServiceOutputSerializer(many=True)},
    )
    def get(self, request: Request, fmt: str) -> Response:
        return Response(ServiceOutputSerializer(category_list_accepting_reports(), many=True).data)


class ServiceDefinitionApi(Open311Api):
    xml_root = "service_definition"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_service_definition",
        summary="Open311 service definition",
        parameters=FORMAT,
        responses={200: ServiceDefinitionOutputSerializer, 404: ERRORS},
    )
    def get(self, request: Request, service_code: str, fmt: str) -> Response:
        return Response(ServiceDefinitionOutputSerializer(_service_get(service_code)).data)


class ServiceRequestListApi(Open311Api):
    xml_root = "service_requests"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_request_list",
        summary="Open311 service requests (public reports)",
        description="Public categories only; restricted and confidential reports are never "
        "listed. Filters: service_request_id (comma list; overrides the others), "
        "service_code, status (open/closed), start_date/end_date (W3C datetime, at most 90 "
        "days apart; default the last 90 days), page and page_size (extension, max 1000). "
        "Newest first. Only requests whose 100 m cell holds at least 5 public requests of "
        "the same selection are listed (with service_request_id: of all public requests), "
        "the small-count rule of the public map.",
        parameters=[*FORMAT, ServiceRequestFilterSerializer],
        auth=[],
        responses={200: ServiceRequestOutputSerializer(many=True), 400: ERRORS},
    )
    def get(self, request: Request, fmt: str) -> Response:
        params = ServiceRequestFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        reports = report_list_for_open311(
            references=v.get("service_request_id", ()),
            service_codes=v.get("service_code", ()),
            statuses=v.get("status", ()),
            start=v.get("start_date"),
            end=v.get("end_date"),
        )
        first = (v["page"] - 1) * v["page_size"]
        page = reports[first : first + v["page_size"]]
        return Response(ServiceRequestOutputSerializer(page, many=True).data)


class ServiceRequestCreateApi(Open311Api):
    xml_root = "service_requests"
    authentication_classes = [Open311KeyAuthentication]
    permission_classes = [Open311ClientPermission]

    @extend_schema(
        tags=["open311"],
        operation_id="open311_request_create",
        summary="Open311: file a service request",
        description="Form-encoded, with `api_key`. Required: service_code, lat and long "
        "(WGS84; address_string/address_id are not supported), description (≤ 4000 "
        "characters, plain text). email is stored only with the extension "
        "`attribute[contact_consent]=true`; names and phone are never stored. device_id makes "
        "retries idempotent. Returns service_request_id (201; 200 for a replay).",
        parameters=FORMAT,
        request={"application/x-www-form-urlencoded": ServiceRequestInputSerializer},
        responses={
            201: ServiceRequestCreatedOutputSerializer(many=True),
            200: ServiceRequestCreatedOutputSerializer(many=True),
            400: ERRORS,
            403: ERRORS,
        },
    )
    def post(self, request: Request, fmt: str) -> Response:
        data = ServiceRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        client: Open311Client = request.auth
        consent = bool(v[CONSENT_ATTRIBUTE])
        email = (v.get("email") or "").strip() if consent else ""
        intake = report_create(
            category_slug=v["service_code"],
            description=v["description"],
            lat=v["lat"],
            lon=v["long"],
            contact_email=email,
            contact_consent=bool(email),
            idempotency_key=_idempotency_key(client, v),
            source=Report.Source.OPEN311,
            external_id=client.name[:100],
        )
        notice = _("Melding ontvangen met kenmerk %(ref)s.") % {"ref": intake.report.reference}
        if v.get("email") and not email:
            notice += " " + _(
                "Het e-mailadres is niet bewaard: stuur attribute[contact_consent]=true als de "
                "melder toestemming gaf om over deze melding gemaild te worden."
            )
        body = [
            {
                "service_request_id": intake.report.reference,
                "service_notice": notice,
                "account_id": None,
            }
        ]
        return Response(body, status=201 if intake.created else 200)


def _idempotency_key(client: Open311Client, v: dict[str, Any]) -> str | None:
    """device_id is a hint: the same client, device, service, text and place again is the
    same request (a retry); anything else from that device is a new one."""
    device = (v.get("device_id") or "").strip()
    if not device:
        return None
    raw = f"{client.pk}\n{device}\n{v['service_code']}\n{v['description']}\n{v['lat']}\n{v['long']}"
    return "o311:" + hashlib.sha256(raw.encode()).hexdigest()[:59]


class ServiceRequestCollectionApi(ServiceRequestCreateApi, ServiceRequestListApi):
    """`requests.{format}`: GET lists (ServiceRequestListApi), POST files one
    (ServiceRequestCreateApi); one URL, two operations."""


class ServiceRequestDetailApi(Open311Api):
    xml_root = "service_requests"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_request_detail",
        summary="Open311: one service request",
        description="A public request, if its 100 m cell holds at least 5 public requests "
        "(the small-count rule of the public map); 404 otherwise.",
        parameters=FORMAT,
        responses={200: ServiceRequestOutputSerializer(many=True), 404: ERRORS},
    )
    def get(self, request: Request, service_request_id: str, fmt: str) -> Response:
        found = list(report_list_for_open311(references=(service_request_id,))[:1])
        if not found:
            raise Http404
        return Response(ServiceRequestOutputSerializer(found, many=True).data)


class TokenDetailApi(Open311Api):
    xml_root = "service_requests"

    @extend_schema(
        tags=["open311"],
        operation_id="open311_token_detail",
        summary="Open311: service request id from a token (not used)",
        description="All services are realtime: POST returns the service_request_id at once, "
        "so tokens are never issued and this always answers 404.",
        parameters=FORMAT,
        responses={404: ERRORS},
    )
    def get(self, request: Request, token: str, fmt: str) -> Response:
        raise exceptions.NotFound(
            _("Onbekend token: deze server geeft geen tokens uit (alle diensten zijn realtime).")
        )
