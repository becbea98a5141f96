"""Open311 GeoReport v2 input and output shapes (http://wiki.open311.org/GeoReport_v2).

Mapping (docs/open311.md in the report to the lead; domain.md §5):

* service_code = category slug of an active leaf category that accepts reports; group = the
  IVP veiligheidsveld; metadata = false; type = realtime.
* status: nieuw / in_behandeling → open; afgehandeld / doorgestuurd / geannuleerd → closed.
* Output never carries personal data: description = the moderated public text (empty until
  moderated), lat/long = centre of the 100 m grid cell, address = the buurt name,
  requested_datetime to the minute; no e-mail, names, phone, photos, messages.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import Report, ReportCategory
from reports.selectors import public_location, public_text

MAX_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000
REFERENCE = re.compile(r"^[A-Za-z0-9\-]{1,20}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]{0,79}$")
CONSENT_ATTRIBUTE = "attribute[contact_consent]"

OPEN_OR_CLOSED = {
    "type": "string",
    "pattern": "^(open|closed)$",
    "description": "`open` (nieuw, in behandeling) or `closed` (afgehandeld, doorgestuurd, "
    "geannuleerd).",
}


def w3c(dt: datetime | None) -> str | None:
    """ISO 8601 with the local UTC offset, to the minute."""
    if dt is None:
        return None
    return timezone.localtime(dt).replace(second=0, microsecond=0).isoformat()


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _theme_name(theme: Any) -> str:
    return theme.name_en if _english() and theme.name_en else theme.name


# --- Services --------------------------------------------------------------------------------


class ServiceOutputSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="slug")
    service_name = serializers.CharField(source="localized_name")
    description = serializers.CharField(source="localized_description")
    metadata = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    keywords = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField()

    def get_metadata(self, category: ReportCategory) -> bool:
        return False

    @extend_schema_field({"type": "string", "pattern": "^realtime$"})
    def get_type(self, category: ReportCategory) -> str:
        return "realtime"

    def get_keywords(self, category: ReportCategory) -> str:
        words = []
        if category.parent_id:
            words.append(category.parent.localized_name)
        if category.theme_id:
            words.append(_theme_name(category.theme))
        return ", ".join(words)

    def get_group(self, category: ReportCategory) -> str:
        """The veiligheidsveld of the category's thema (or the theme itself when it is a veld
        or a cross-cutting theme); the main category when there is no theme."""
        theme = category.theme
        if theme is not None:
            return _theme_name(theme.parent if theme.parent_id else theme)
        return category.parent.localized_name if category.parent_id else ""


class ServiceDefinitionOutputSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="slug")
    attributes = serializers.SerializerMethodField(
        help_text="Always empty: services have no metadata (metadata=false)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_attributes(self, category: ReportCategory) -> list[Any]:
        return []


# --- Service requests: output ----------------------------------------------------------------


class ServiceRequestOutputSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(source="reference")
    status = serializers.SerializerMethodField()
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.CharField(source="category.localized_name")
    service_code = serializers.CharField(source="category.slug")
    description = serializers.SerializerMethodField(
        help_text="The moderated public text; empty until a moderator approved it."
    )
    agency_responsible = serializers.SerializerMethodField()
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.SerializerMethodField()
    updated_datetime = serializers.SerializerMethodField()
    expected_datetime = serializers.SerializerMethodField()
    address = serializers.CharField(source="buurt.name", help_text="The buurt, not an address.")
    address_id = serializers.SerializerMethodField()
    zipcode = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField(help_text="Centre of the 100 m cell (WGS84).")
    long = serializers.SerializerMethodField(help_text="Centre of the 100 m cell (WGS84).")
    media_url = serializers.SerializerMethodField()

    @extend_schema_field(OPEN_OR_CLOSED)
    def get_status(self, report: Report) -> str:
        return "open" if report.is_open else "closed"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_notes(self, report: Report) -> None:
        return None  # messages are addressed to the reporter: never public

    def get_description(self, report: Report) -> str:
        return public_text(report)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency_responsible(self, report: Report) -> str | None:
        if report.status == Report.Status.FORWARDED and report.partner:
            return report.get_partner_display()
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_notice(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.DateTimeField())
    def get_requested_datetime(self, report: Report) -> str | None:
        return w3c(report.created_at)

    @extend_schema_field(serializers.DateTimeField())
    def get_updated_datetime(self, report: Report) -> str | None:
        closed = not report.is_open and report.closed_at is not None
        return w3c(report.closed_at if closed else report.updated_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expected_datetime(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address_id(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zipcode(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_lat(self, report: Report) -> float | None:
        point = public_location(report)
        return point[0] if point else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_long(self, report: Report) -> float | None:
        point = public_location(report)
        return point[1] if point else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_media_url(self, report: Report) -> None:
        return None  # photos are never public


class ServiceRequestCreatedOutputSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField()
    account_id = serializers.CharField(allow_null=True)


class ErrorOutputSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status.")
    description = serializers.CharField(help_text="Starts with the parameter concerned.")


# --- Service requests: input -----------------------------------------------------------------


@extend_schema_field(OpenApiTypes.DATETIME)
class W3CDateTimeField(serializers.Field):
    """A W3C datetime (ISO 8601: 2026-01-31T00:00:00+01:00 or …Z) or a date. Without an
    offset the municipality's time zone applies. A "+" decoded to a space by a client that
    did not encode the query string is accepted."""

    default_error_messages = {
        "invalid": _("Gebruik een W3C-datum en -tijd, bijvoorbeeld 2026-01-31T00:00:00+01:00."),
    }

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        if "T" in text and " " in text:
            text = text.replace(" ", "+")
        try:
            value = parse_datetime(text)
            if value is None:
                day = parse_date(text)
                value = datetime(day.year, day.month, day.day) if day else None  # noqa: DTZ001
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


def _code_list(value: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not items or len(items) > 100 or not all(pattern.match(i) for i in items):
        raise serializers.ValidationError(
            _("Geef één of meer %(what)s, gescheiden door komma's.") % {"what": what}
        )
    return items


class ServiceRequestFilterSerializer(serializers.Serializer):
    """GET requests: `service_request_id` overrides every other filter. Without dates the
    last 90 days; a span of more than 90 days is refused."""

    class Meta:
        ref_name = "Open311RequestFilter"

    service_request_id = serializers.CharField(
        required=False, help_text="Comma-separated service_request_ids."
    )
    service_code = serializers.CharField(required=False, help_text="Comma-separated codes.")
    status = serializers.CharField(required=False, help_text="open, closed or open,closed.")
    start_date = W3CDateTimeField(required=False)
    end_date = W3CDateTimeField(required=False)
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100_000)
    page_size = serializers.IntegerField(
        required=False, default=MAX_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def validate_service_request_id(self, value: str) -> tuple[str, ...]:
        return _code_list(value, REFERENCE, "service_request_ids")

    def validate_service_code(self, value: str) -> tuple[str, ...]:
        return _code_list(value, SLUG, "service codes")

    def validate_status(self, value: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
        if not items or not set(items) <= {"open", "closed"}:
            raise serializers.ValidationError(_("Gebruik open, closed of open,closed."))
        return items

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("service_request_id"):
            return attrs
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if end is None:
            end = start + MAX_SPAN if start is not None else timezone.now()
        if start is None:
            start = end - MAX_SPAN
        if end < start:
            raise serializers.ValidationError({"end_date": [_("end_date ligt vóór start_date.")]})
        if end - start > MAX_SPAN:
            raise serializers.ValidationError(
                {"end_date": [_("start_date en end_date liggen hooguit 90 dagen uit elkaar.")]}
            )
        attrs["start_date"], attrs["end_date"] = start, end
        return attrs


class ServiceRequestInputSerializer(serializers.Serializer):
    """POST requests (application/x-www-form-urlencoded). Accepted but never stored:
    first_name, last_name, phone, account_id, media_url (we fetch no remote files), and
    email unless `attribute[contact_consent]=true`."""

    class Meta:
        ref_name = "Open311RequestCreate"

    api_key = serializers.CharField(
        required=False,
        help_text="Issued by the municipality (stored hashed); checked before anything else. "
        "May also be sent as a query parameter.",
    )
    service_code = serializers.CharField(max_length=80)
    lat = serializers.FloatField(required=False, help_text="WGS84 latitude (required).")
    long = serializers.FloatField(required=False, help_text="WGS84 longitude (required).")
    address_string = serializers.CharField(
        required=False, allow_blank=True, help_text="Not supported: give lat and long."
    )
    address_id = serializers.CharField(
        required=False, allow_blank=True, help_text="Not supported: give lat and long."
    )
    description = serializers.CharField(
        trim_whitespace=False, help_text="Plain text, at most 4000 characters; required."
    )
    email = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Stored only with attribute[contact_consent]=true (then used to mail status "
        "updates); otherwise dropped.",
    )
    device_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Idempotency hint: the same device, service, text and place again returns the "
        "request created before.",
    )
    account_id = serializers.CharField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    media_url = serializers.CharField(required=False, allow_blank=True)
    jurisdiction_id = serializers.CharField(required=False, allow_blank=True)
    contact_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Sent as attribute[contact_consent]=true: the resident agreed to be e-mailed "
        "about this request (extension; Open311 has no consent field).",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields[CONSENT_ATTRIBUTE] = fields.pop("contact_consent")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lon = attrs.get("lat"), attrs.get("long")
        if lat is None and lon is None:
            if attrs.get("address_string") or attrs.get("address_id"):
                raise serializers.ValidationError(
                    {
                        "lat": [
                            _(
                                "Deze gemeente heeft de plek als lat en long (WGS84) nodig; "
                                "address_string en address_id worden niet ondersteund."
                            )
                        ]
                    }
                )
            raise serializers.ValidationError({"lat": [_("Geef lat en long (WGS84).")]})
        if lat is None or lon is None:
            missing = "lat" if lat is None else "long"
            raise serializers.ValidationError({missing: [_("Geef zowel lat als long (WGS84).")]})
        return attrs
