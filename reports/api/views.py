"""Reports API (/api/v1/reports/): intake, tracking, nearby and support for residents; the
public map and table; handling for staff. One view per operation, each calling one service
or selector (docs/architecture.md, style §3.5).

Errors: domain errors as {"code", "detail", "extra"} (extra.field names the input field),
input errors as {field: [messages]}.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers
from rest_framework.fields import empty
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.utils import html
from rest_framework.views import APIView

from core.api import MfaConfirmedPermission, RulesPermission
from core.exceptions import DomainError
from geo.index import validate_wgs84
from reports.analysis import RateFilters, report_rates, sensitivities_for
from reports.api.serializers import (
    CategoryTreeOutputSerializer,
    NearbyReportOutputSerializer,
    PublicReportRowOutputSerializer,
    ReportIntakeOutputSerializer,
    ReportTrackOutputSerializer,
    StaffMessageOutputSerializer,
    StaffModerationOutputSerializer,
    StaffReportDetailOutputSerializer,
    StaffReportOutputSerializer,
    SupportOutputSerializer,
)
from reports.exceptions import PhotoTooLargeError, TooManyPhotosError
from reports.models import Report, ReportCategory, ReportMessage
from reports.selectors import (
    CELL_SIZES,
    PublicFilters,
    StaffFilters,
    category_list_active,
    category_tree,
    cell_size_for_zoom,
    public_count_rounding,
    public_map_cells_cached,
    public_min_count,
    public_report_rows,
    report_get_by_token,
    report_get_for_staff,
    report_get_public,
    report_list_for_staff,
    report_list_nearby_open,
)
from reports.services import (
    report_create,
    report_merge,
    report_message_add,
    report_moderate,
    report_status_change,
    report_support_add,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{8,200}$")
DEVICE_HEADER = "X-Device-Id"
DEVICE_COOKIE = "buurtstem_device"
DEVICE_ID = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
MAP_MAX_AGE = 60  # seconds; the cells are cached about as long (REPORTS_MAP_CACHE_SECONDS)
SLUG_LIST = re.compile(r"^[a-z0-9][a-z0-9\-]*(,[a-z0-9][a-z0-9\-]*)*$")
ERRORS = {
    400: OpenApiResponse(
        description='Input error: `{field: [messages]}`, or a domain error `{"code", "detail", '
        '"extra": {"field": …}}`.'
    ),
    403: OpenApiResponse(description="Not allowed (not signed in, or missing permission)."),
    404: OpenApiResponse(description="Unknown, or not visible to you."),
}


# --- Shared plumbing -------------------------------------------------------------------------


class DynamicScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] per request,
    so settings overrides (tests, the benchmark) apply; a rate of None switches it off."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class BackofficePermission(permissions.BasePermission):
    """Staff roles only (reports.view_backoffice), checked before any object is looked up,
    so that anonymous callers learn nothing about which reports exist."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.has_perm("reports.view_backoffice")


class DateRangeSerializer(serializers.Serializer):
    """`from` / `to` (inclusive days). `from` is a Python keyword, hence the renaming."""

    date_from = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD).")
    to = serializers.DateField(required=False, help_text="Last day, inclusive (YYYY-MM-DD).")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": [_("'to' ligt vóór 'from'.")]})
        return attrs


def _slug_list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in value.split(",") if s)) if value else ()


def _with_field(exc: DomainError, field: str) -> DomainError:
    exc.extra.setdefault("field", field)
    return exc


class PhotoListField(serializers.ListField):
    """`photos` (repeat the part) or `photos[]` in multipart/form-data."""

    child = serializers.FileField(allow_empty_file=False)

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary):
            files = dictionary.getlist(self.field_name, []) + dictionary.getlist(
                f"{self.field_name}[]", []
            )
            return files or empty
        return super().get_value(dictionary)


class StaffPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


# --- Categories ------------------------------------------------------------------------------


class CategoryListApi(APIView):
    """The category tree for the report form: main categories with their subcategories."""

    @extend_schema(
        operation_id="reports_category_list",
        summary="Report categories (tree)",
        description="Active main categories with active subcategories, in display order, with "
        "sensitivity, the channel to use first (e.g. 112) and whether reports are accepted. "
        "Names follow Accept-Language (nl, en).",
        responses={200: CategoryTreeOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(CategoryTreeOutputSerializer(category_tree(), many=True).data)


# --- Intake ----------------------------------------------------------------------------------


class ReportCreateApi(APIView):
    """File a report (anonymous allowed). Idempotent with an Idempotency-Key."""

    permission_classes = [RulesPermission]
    required_perm = "reports.add_report"
    throttle_classes = [DynamicScopedRateThrottle]
    throttle_scope = "report_create"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ReportCreateInput"

        category = serializers.CharField(max_length=80, help_text="Subcategory slug.")
        description = serializers.CharField(
            trim_whitespace=False, help_text="Plain text, at most 4000 characters."
        )
        lat = serializers.FloatField(required=False, allow_null=True, help_text="WGS84")
        lon = serializers.FloatField(required=False, allow_null=True, help_text="WGS84")
        buurt = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=10,
            help_text="BU code, when no point is given (then location_description is needed).",
        )
        location_description = serializers.CharField(
            required=False, allow_blank=True, default="", trim_whitespace=False
        )
        occurred_at = serializers.DateTimeField(required=False, allow_null=True)
        contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
        contact_consent = serializers.BooleanField(required=False, default=False)
        idempotency_key = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text="Alternative to the Idempotency-Key header (8–200 characters "
            "A-Z a-z 0-9 _ . : -).",
        )
        photos = PhotoListField(
            required=False,
            default=list,
            help_text="Up to 3 JPEG/PNG/WebP files (multipart/form-data only).",
        )

        def validate_photos(self, files: list[Any]) -> list[bytes]:
            max_photos = getattr(settings, "REPORTS_MAX_PHOTOS", 3)
            if len(files) > max_photos:
                raise TooManyPhotosError(extra={"field": "photos", "max": max_photos})
            max_bytes = settings.REPORTS_PHOTO_MAX_BYTES
            for index, upload in enumerate(files):
                if upload.size > max_bytes:  # refuse before reading it into memory
                    raise PhotoTooLargeError(
                        extra={"field": "photos", "index": index, "max_bytes": max_bytes}
                    )
            return [upload.read() for upload in files]

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            header = self.context["request"].headers.get(IDEMPOTENCY_HEADER, "").strip()
            body = (attrs.get("idempotency_key") or "").strip()
            if header and body and header != body:
                raise serializers.ValidationError(
                    {"idempotency_key": [_("Verschilt van de Idempotency-Key-header.")]}
                )
            raw = header or body
            if raw and not IDEMPOTENCY_KEY.match(raw):
                raise serializers.ValidationError(
                    {
                        "idempotency_key": [
                            _("Gebruik 8 tot 200 tekens: letters, cijfers, _ . : of -.")
                        ]
                    }
                )
            # Namespaced and hashed: any client key fits the column and cannot collide with
            # keys of the web form or Open311.
            attrs["idempotency_key"] = (
                "api:" + hashlib.sha256(raw.encode()).hexdigest()[:60] if raw else None
            )
            return attrs

    @extend_schema(
        operation_id="reports_report_create",
        summary="File a report",
        description="Anonymous allowed; throttled per IP (scope `report_create`). JSON or "
        "multipart/form-data (`photos`, up to 3). Give `lat`+`lon` (WGS84) or `buurt` plus "
        "`location_description`. Send an `Idempotency-Key` header (or `idempotency_key`): a "
        "retry with the same key returns the same report with 200. Domain error codes: "
        "`category_unavailable`, `category_redirect_only`, `description_invalid`, "
        "`location_required`, `invalid_coordinates`, `swapped_coordinates`, "
        "`outside_municipality`, `contact_consent_required`, `photo_invalid`, "
        "`photo_too_large`, `too_many_photos`, `idempotency_conflict` (409).",
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Unique per submission (e.g. a UUID); retries reuse it.",
            )
        ],
        request={
            "application/json": InputSerializer,
            "multipart/form-data": InputSerializer,
        },
        responses={
            201: ReportIntakeOutputSerializer,
            200: OpenApiResponse(
                ReportIntakeOutputSerializer, description="Idempotent replay: the same report."
            ),
            **ERRORS,
            409: OpenApiResponse(description="`idempotency_conflict`"),
            429: OpenApiResponse(description="Too many reports from this address."),
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        intake = report_create(
            category_slug=v["category"],
            description=v["description"],
            lat=v.get("lat"),
            lon=v.get("lon"),
            buurt_code=v.get("buurt") or None,
            location_description=v["location_description"],
            occurred_at=v.get("occurred_at"),
            photos=v["photos"],
            contact_email=v["contact_email"],
            contact_consent=v["contact_consent"],
            reporter=request.user,
            idempotency_key=v["idempotency_key"],
            source=Report.Source.API,
        )
        return Response(
            ReportIntakeOutputSerializer(intake).data, status=201 if intake.created else 200
        )


class ReportTrackApi(APIView):
    """The tracking page's data, for whoever holds the tracking token."""

    @extend_schema(
        operation_id="reports_report_track",
        summary="Follow a report with its tracking token",
        description="Status, category, buurt, dates and the public messages. No personal "
        "data, no internal notes, no exact location, not the original text.",
        responses={200: ReportTrackOutputSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, token: str) -> Response:
        try:
            report = report_get_by_token(token=token)
        except Report.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ReportTrackOutputSerializer(report).data)


class ReportNearbyListApi(APIView):
    """Open reports of the same category nearby, shown before filing a new one."""

    class InputSerializer(serializers.Serializer):
        category = serializers.SlugRelatedField(
            slug_field="slug", queryset=category_list_active(), help_text="Subcategory slug."
        )
        lat = serializers.FloatField(help_text="WGS84")
        lon = serializers.FloatField(help_text="WGS84")

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            try:
                attrs["lat"], attrs["lon"] = validate_wgs84(attrs["lat"], attrs["lon"])
            except DomainError as exc:
                raise _with_field(exc, "location") from None
            return attrs

    @extend_schema(
        operation_id="reports_report_nearby",
        summary="Open reports nearby",
        description="Open reports in the same public category within about 150 m, from the "
        "last 30 days, nearest first: moderated text only, distance to the blurred location "
        "rounded to 10 m, support count. Empty for non-public categories.",
        parameters=[InputSerializer],
        responses={200: NearbyReportOutputSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        found = report_list_nearby_open(category=v["category"], lat=v["lat"], lon=v["lon"])
        out = NearbyReportOutputSerializer(
            [report for report, _distance in found],
            many=True,
            context={"point": (v["lat"], v["lon"])},
        )
        return Response(out.data)


class ReportSupportCreateApi(APIView):
    """ "Ik heb hier ook last van": join an open public report."""

    throttle_classes = [DynamicScopedRateThrottle]
    throttle_scope = "report_support"

    @extend_schema(
        operation_id="reports_report_support",
        summary="Join a report (“me too”)",
        description=f"Signed-in residents join with their account; others with a device id "
        f"from the `{DEVICE_HEADER}` header or the `{DEVICE_COOKIE}` cookie (16–64 characters "
        "A-Z a-z 0-9 _ -). Without one the server issues a device cookie. 201 when added, "
        "200 when this account or device had joined already. Errors: `report_not_open` "
        "(409), 404 for reports that are not public.",
        request=None,
        parameters=[OpenApiParameter(DEVICE_HEADER, str, OpenApiParameter.HEADER, required=False)],
        responses={
            201: SupportOutputSerializer,
            200: SupportOutputSerializer,
            400: ERRORS[400],
            404: ERRORS[404],
            409: OpenApiResponse(description="`report_not_open`"),
        },
    )
    def post(self, request: Request, uuid: Any) -> Response:
        try:
            report = report_get_public(uuid=uuid)
        except Report.DoesNotExist as exc:
            raise Http404 from exc
        user = request.user if request.user.is_authenticated else None
        device_id, issued = None, False
        if user is None:
            device_id = request.headers.get(DEVICE_HEADER) or request.COOKIES.get(DEVICE_COOKIE)
            if device_id and not DEVICE_ID.match(device_id):
                raise serializers.ValidationError(
                    {"device_id": [_("Gebruik 16 tot 64 tekens: letters, cijfers, _ of -.")]}
                )
            if not device_id:
                device_id, issued = secrets.token_urlsafe(24), True
        added = report_support_add(report=report, user=user, device_id=device_id)
        response = Response(
            SupportOutputSerializer({"added": added, "support_count": report.support_count}).data,
            status=201 if added else 200,
        )
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


# --- Public map and table --------------------------------------------------------------------


class PublicFilterSerializer(DateRangeSerializer):
    categories = serializers.RegexField(
        SLUG_LIST,
        required=False,
        help_text="Comma-separated category slugs; a main category includes its subcategories.",
    )

    def to_filters(self) -> PublicFilters:
        v = self.validated_data
        return PublicFilters(
            categories=_slug_list(v.get("categories", "")),
            date_from=v.get("from"),
            date_to=v.get("to"),
        )


GEOJSON_CELLS = inline_serializer(
    "PublicMapCellCollection",
    {
        "type": serializers.ChoiceField(choices=["FeatureCollection"]),
        "cell_size_m": serializers.ChoiceField(choices=list(CELL_SIZES)),
        "min_count": serializers.IntegerField(
            help_text="Cells with fewer reports than this have null numbers (show “<5”)."
        ),
        "rounded_to": serializers.IntegerField(
            help_text="Published numbers are rounded to a multiple of this."
        ),
        "features": inline_serializer(
            "PublicMapCell",
            {
                "type": serializers.ChoiceField(choices=["Feature"]),
                "geometry": inline_serializer(
                    "PublicMapCellPoint",
                    {
                        "type": serializers.ChoiceField(choices=["Point"]),
                        "coordinates": serializers.ListField(
                            child=serializers.FloatField(), min_length=2, max_length=2
                        ),
                    },
                ),
                "properties": inline_serializer(
                    "PublicMapCellCounts",
                    {
                        "reports": serializers.IntegerField(allow_null=True),
                        "people": serializers.IntegerField(allow_null=True),
                    },
                ),
            },
            many=True,
        ),
    },
)


class PublicMapApi(APIView):
    """Counts per grid cell for the public map: public categories only, blurred."""

    class InputSerializer(PublicFilterSerializer):
        zoom = serializers.IntegerField(
            required=False, default=13, min_value=0, max_value=22, help_text="Leaflet zoom."
        )

    @extend_schema(
        operation_id="reports_public_map",
        summary="Public map (GeoJSON cells)",
        description="A GeoJSON FeatureCollection with one Point per grid cell (the cell "
        "centre; 100 m at zoom ≥ 16 up to 1600 m at zoom ≤ 12) and the number of reports and "
        "of people (reporters plus those who joined). Restricted and confidential categories "
        "never appear. Small-count rule: a cell with fewer than `min_count` (5) reports has "
        "null numbers (show it as “<5”); other numbers are rounded "
        "to a multiple of `rounded_to` (5). Coordinates are [lon, lat] (WGS84). Cached for "
        "about a minute.",
        parameters=[InputSerializer],
        responses={200: GEOJSON_CELLS, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = cell_size_for_zoom(params.validated_data["zoom"])
        cells = public_map_cells_cached(filters=params.to_filters(), cell_size=size)
        body = {
            "type": "FeatureCollection",
            "cell_size_m": size,
            "min_count": public_min_count(),
            "rounded_to": public_count_rounding(),
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                    "properties": {
                        "reports": c["reports"],
                        "people": c["people"],
                    },
                }
                for c in cells
            ],
        }
        response = Response(body, content_type="application/geo+json")
        response["Cache-Control"] = f"public, max-age={MAP_MAX_AGE}"
        return response


class PublicReportListApi(generics.ListAPIView):
    """The table alternative to the map: one row per public report, newest first."""

    serializer_class = PublicReportRowOutputSerializer
    pagination_class = PublicPagination

    @extend_schema(
        operation_id="reports_public_list",
        summary="Public reports (table)",
        description="Category, date, open/closed, moderated text (empty until moderated), "
        "buurt and the blurred point of each public report. Only reports whose 100 m cell "
        "holds at least `REPORTS_PUBLIC_MIN_COUNT` (5) reports of the same selection are "
        "listed: the map withholds smaller cells, and the list does not give them away. "
        "(The table on /meldingen/ shows the buurt instead of the cell and counts per buurt.)",
        parameters=[PublicFilterSerializer],
        responses={200: PublicReportRowOutputSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = PublicFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return public_report_rows(filters=params.to_filters())


# --- Staff -----------------------------------------------------------------------------------


class StaffReportListApi(generics.ListAPIView):
    """Reports for staff, with filters; confidential categories only for those allowed."""

    permission_classes = [BackofficePermission, MfaConfirmedPermission]
    serializer_class = StaffReportOutputSerializer
    pagination_class = StaffPagination

    class FilterSerializer(DateRangeSerializer):
        status = serializers.ChoiceField(choices=Report.Status.choices, required=False)
        category = serializers.SlugField(
            required=False, help_text="Category slug; a main category includes its subs."
        )
        theme = serializers.SlugField(required=False, help_text="IVP veld or thema slug.")
        buurt = serializers.RegexField(r"^BU[0-9A-Z]{8}$", required=False)
        wijk = serializers.RegexField(r"^WK[0-9A-Z]{6}$", required=False)
        q = serializers.CharField(
            required=False, max_length=200, help_text="Text, place or reference."
        )

    @extend_schema(
        operation_id="reports_staff_report_list",
        summary="Reports (staff)",
        parameters=[FilterSerializer],
        responses={200: StaffReportOutputSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.FilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        return report_list_for_staff(
            filters=StaffFilters(
                status=v.get("status"),
                category=v.get("category"),
                theme=v.get("theme"),
                buurt=v.get("buurt"),
                wijk=v.get("wijk"),
                date_from=v.get("from"),
                date_to=v.get("to"),
                text=v.get("q"),
                include_confidential=self.request.user.has_perm("reports.view_confidential"),
            )
        )


class StaffReportMixin:
    """Looks up the report in the URL once; permission checks run against it."""

    kwargs: dict[str, Any]

    def get_permission_object(self) -> Report:
        if not hasattr(self, "_report"):
            try:
                self._report = report_get_for_staff(uuid=self.kwargs["uuid"])
            except Report.DoesNotExist as exc:
                raise Http404 from exc
        return self._report


class StaffReportDetailApi(StaffReportMixin, APIView):
    permission_classes = [BackofficePermission, MfaConfirmedPermission, RulesPermission]
    required_perm = "reports.view_report"

    @extend_schema(
        operation_id="reports_staff_report_detail",
        summary="One report (staff)",
        description="The original text, exact point, messages and notes, photos. "
        "`personal_data` (contact e-mail, account) only with reports.view_personal_data "
        "(moderators, administrators); null otherwise.",
        responses={200: StaffReportDetailOutputSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, uuid: Any) -> Response:
        report = self.get_permission_object()
        show = request.user.has_perm("reports.view_personal_data", report)
        return Response(
            StaffReportDetailOutputSerializer(report, context={"show_personal_data": show}).data
        )


class StaffReportStatusChangeApi(StaffReportMixin, APIView):
    permission_classes = [BackofficePermission, MfaConfirmedPermission, RulesPermission]
    required_perm = "reports.handle_report"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StaffReportStatusInput"

        status = serializers.ChoiceField(choices=Report.Status.choices)
        partner = serializers.ChoiceField(
            choices=Report.Partner.choices,
            required=False,
            allow_blank=True,
            default="",
            help_text="Required when status is doorgestuurd.",
        )
        message = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            trim_whitespace=False,
            help_text="Optional public message to the reporter.",
        )

    @extend_schema(
        operation_id="reports_staff_report_status",
        summary="Change the status (staff)",
        description="Errors: `invalid_status_transition` (409), `partner_required`.",
        request=InputSerializer,
        responses={
            200: StaffReportOutputSerializer,
            **ERRORS,
            409: OpenApiResponse(description="`invalid_status_transition`"),
        },
    )
    def post(self, request: Request, uuid: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_status_change(
            report=self.get_permission_object(), actor=request.user, **data.validated_data
        )
        return Response(StaffReportOutputSerializer(report).data)


class StaffReportMessageCreateApi(StaffReportMixin, APIView):
    permission_classes = [BackofficePermission, MfaConfirmedPermission, RulesPermission]
    required_perm = "reports.handle_report"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StaffReportMessageInput"

        body = serializers.CharField(trim_whitespace=False)
        kind = serializers.ChoiceField(
            choices=ReportMessage.Kind.choices,
            help_text="public: shown on the tracking page (and e-mailed with consent); "
            "internal: a note for staff only.",
        )

    @extend_schema(
        operation_id="reports_staff_report_message",
        summary="Add a message or internal note (staff)",
        request=InputSerializer,
        responses={201: StaffMessageOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = report_message_add(
            report=self.get_permission_object(),
            actor=request.user,
            body=data.validated_data["body"],
            public=data.validated_data["kind"] == ReportMessage.Kind.PUBLIC,
        )
        return Response(StaffMessageOutputSerializer(message).data, status=201)


class StaffReportModerateApi(StaffReportMixin, APIView):
    permission_classes = [BackofficePermission, MfaConfirmedPermission, RulesPermission]
    required_perm = "reports.moderate_report"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StaffReportModerationInput"

        decision = serializers.ChoiceField(
            choices=[
                Report.Moderation.APPROVED,
                Report.Moderation.REDACTED,
                Report.Moderation.REJECTED,
            ]
        )
        public_text = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            trim_whitespace=False,
            help_text="The public text; required for redacted, optional for approved.",
        )

    @extend_schema(
        operation_id="reports_staff_report_moderate",
        summary="Moderate the public text (moderators)",
        description="Errors: `moderation_invalid`, `description_invalid`.",
        request=InputSerializer,
        responses={200: StaffModerationOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_moderate(
            report=self.get_permission_object(), actor=request.user, **data.validated_data
        )
        return Response(StaffModerationOutputSerializer(report).data)


class StaffReportMergeApi(StaffReportMixin, APIView):
    """Merge this report (the duplicate) into another one."""

    permission_classes = [BackofficePermission, MfaConfirmedPermission, RulesPermission]
    required_perm = "reports.handle_report"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StaffReportMergeInput"

        into = serializers.UUIDField(help_text="uuid of the report to merge this one into.")

        def validate_into(self, value: Any) -> Report:
            user = self.context["request"].user
            try:
                target = report_get_for_staff(uuid=value)
            except Report.DoesNotExist:
                target = None
            if target is None or not user.has_perm("reports.handle_report", target):
                raise serializers.ValidationError(_("Onbekende melding."))
            return target

    @extend_schema(
        operation_id="reports_staff_report_merge",
        summary="Merge a duplicate into another report (staff)",
        description="The duplicate is cancelled and points at the target; its reporter and "
        "supporters count for the target. Errors: `merge_invalid` (409).",
        request=InputSerializer,
        responses={
            200: StaffReportOutputSerializer,
            **ERRORS,
            409: OpenApiResponse(description="`merge_invalid`"),
        },
        examples=[OpenApiExample("Merge", value={"into": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"})],
    )
    def post(self, request: Request, uuid: Any) -> Response:
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        target = report_merge(
            duplicate=self.get_permission_object(),
            into=data.validated_data["into"],
            actor=request.user,
        )
        return Response(StaffReportOutputSerializer(target).data)


# --- Analysis --------------------------------------------------------------------------------


class FigureOutputSerializer(serializers.Serializer):
    reports = serializers.IntegerField(allow_null=True)
    people = serializers.IntegerField(
        allow_null=True, help_text="Reporters plus residents who joined a report."
    )
    rate = serializers.FloatField(allow_null=True, help_text="Reports per 1,000 inhabitants.")


class AreaRateOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    inhabitants = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(
        help_text="Why there is no rate: `water`, `no_population`, `withheld_by_cbs`; or empty."
    )
    current = FigureOutputSerializer()
    previous = FigureOutputSerializer()
    change = serializers.FloatField(allow_null=True, help_text="Rate change in points.")


class ReportRatesOutputSerializer(serializers.Serializer):
    level = serializers.CharField()
    date_from = serializers.DateField(source="filters.date_from")
    date_to = serializers.DateField(source="filters.date_to")
    previous_from = serializers.SerializerMethodField()
    previous_to = serializers.SerializerMethodField()
    includes_confidential = serializers.SerializerMethodField()
    rows = AreaRateOutputSerializer(many=True)
    total = AreaRateOutputSerializer(allow_null=True)

    def get_previous_from(self, table: Any) -> str:
        return table.filters.previous().date_from.isoformat()

    def get_previous_to(self, table: Any) -> str:
        return table.filters.previous().date_to.isoformat()

    def get_includes_confidential(self, table: Any) -> bool:
        return ReportCategory.Sensitivity.CONFIDENTIAL in table.filters.sensitivities


class StaffReportRatesApi(APIView):
    """Reports per 1,000 inhabitants per wijk or buurt, exact counts (policy staff)."""

    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "reports.view_report_rates"

    class FilterSerializer(DateRangeSerializer):
        level = serializers.ChoiceField(choices=["wijk", "buurt", "gemeente"], default="wijk")
        theme = serializers.SlugField(required=False, help_text="IVP veld or thema slug.")
        category = serializers.SlugField(
            required=False, help_text="Category slug; a main category includes its subs."
        )

    @extend_schema(
        operation_id="reports_staff_rates",
        summary="Reports per 1,000 inhabitants (staff)",
        description="Per area of `level`, for the period `from`–`to` (default: the last 12 "
        "months up to today, at most three years) and the period of the same length before "
        "it, with the gemeente as `total`. Counts reports that were not merged or cancelled, "
        "by filing date, in the categories the caller may see (confidential ones only with "
        "`reports.view_confidential`). Inhabitants: CBS key figures of the area (latest year "
        "up to the period's end). Exact counts: not for publication.",
        parameters=[FilterSerializer],
        responses={200: ReportRatesOutputSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        today = timezone.localdate()
        end = v.get("to") or today
        start = v.get("from") or end - timedelta(days=364)
        if end > today:
            raise serializers.ValidationError({"to": [_("De laatste dag ligt in de toekomst.")]})
        if (end - start).days >= 3 * 366:
            raise serializers.ValidationError(
                {"from": [_("Kies een periode van hooguit drie jaar.")]}
            )
        filters = RateFilters(
            date_from=start,
            date_to=end,
            sensitivities=sensitivities_for(
                may_see_confidential=request.user.has_perm("reports.view_confidential")
            ),
            theme=v.get("theme"),
            category=v.get("category"),
        )
        table = report_rates(
            filters=filters,
            level=v["level"],
            municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE,
            published=False,
        )
        return Response(ReportRatesOutputSerializer(table).data)
