"""Output serializers shared by the reports API views (input serializers live on the views).

Public shapes never carry personal data: no e-mail, account, original text, exact point or
photo. Staff shapes carry the original text and exact point; contact data only in
`StaffReportDetailOutputSerializer.personal_data`, filled when the viewer holds
`reports.view_personal_data`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo.grid import distance_m
from reports.models import Report, ReportCategory, ReportMessage
from reports.selectors import public_location, public_text
from reports.services import ReportIntake


def tracking_url(token: str) -> str:
    """The resident's tracking page (the frontend's, or this API's while there is none)."""
    try:
        path = reverse("frontend:report-track", kwargs={"token": token})
    except NoReverseMatch:
        path = reverse("api-v1:reports:report-track", kwargs={"token": token})
    return settings.BUURTSTEM_SITE_URL.rstrip("/") + path


# A pattern, not an enum: OpenAPI enums are named after the field, and "status" already
# names the workflow status enum (two enums with one name make the schema ambiguous).
OPEN_OR_CLOSED = {
    "type": "string",
    "pattern": "^(open|closed)$",
    "description": "`open` (nieuw, in behandeling) or `closed` (afgehandeld, doorgestuurd, "
    "geannuleerd).",
}


def open_or_closed(report: Report) -> str:
    return "open" if report.is_open else "closed"


class BuurtRefOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryRefOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="localized_name")


class PointOutputSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


# --- Categories ------------------------------------------------------------------------------


class CategoryOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="localized_name")
    description = serializers.CharField(source="localized_description")
    sensitivity = serializers.ChoiceField(choices=ReportCategory.Sensitivity.choices)
    on_public_map = serializers.BooleanField(source="is_public")
    redirect_channel = serializers.ChoiceField(choices=ReportCategory.Channel.choices)
    redirect_channel_label = serializers.CharField(source="get_redirect_channel_display")
    accepts_reports = serializers.BooleanField()
    theme = serializers.SerializerMethodField(help_text="IVP thema slug.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_theme(self, category: ReportCategory) -> str | None:
        return category.theme.slug if category.theme_id else None


class CategoryTreeOutputSerializer(CategoryOutputSerializer):
    """Serializes a `(main, [subcategories])` pair from `reports.selectors.category_tree`,
    reusing this serializer's bound fields (no serializer instance per category)."""

    subcategories = CategoryOutputSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        main, subs = instance
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name == "subcategories":
                data[name] = field.to_representation(subs)
            else:
                data[name] = field.to_representation(field.get_attribute(main))
        return data


# --- Intake and tracking ---------------------------------------------------------------------


class ReportIntakeOutputSerializer(serializers.Serializer):
    reference = serializers.CharField(source="report.reference")
    uuid = serializers.UUIDField(source="report.uuid")
    status = serializers.ChoiceField(source="report.status", choices=Report.Status.choices)
    buurt = BuurtRefOutputSerializer(source="report.buurt")
    tracking_token = serializers.CharField(
        help_text="Secret: whoever has it can follow the report. Shown only to the reporter."
    )
    tracking_url = serializers.SerializerMethodField()

    def get_tracking_url(self, intake: ReportIntake) -> str:
        return tracking_url(intake.tracking_token)


class PublicMessageOutputSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    body = serializers.CharField()


class ReportTrackOutputSerializer(serializers.Serializer):
    """What the holder of a tracking link sees: no personal data, no internal notes, no
    exact location and not the text as written (a link may be shared)."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Report.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    open_or_closed = serializers.SerializerMethodField()
    category = CategoryRefOutputSerializer()
    buurt_name = serializers.CharField(source="buurt.name")
    created_on = serializers.SerializerMethodField()
    closed_on = serializers.SerializerMethodField()
    support_count = serializers.IntegerField()
    messages = serializers.SerializerMethodField()

    @extend_schema_field(OPEN_OR_CLOSED)
    def get_open_or_closed(self, report: Report) -> str:
        return open_or_closed(report)

    @extend_schema_field(serializers.DateField())
    def get_created_on(self, report: Report) -> Any:
        return timezone.localdate(report.created_at).isoformat()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_closed_on(self, report: Report) -> Any:
        return timezone.localdate(report.closed_at).isoformat() if report.closed_at else None

    @extend_schema_field(PublicMessageOutputSerializer(many=True))
    def get_messages(self, report: Report) -> list[dict[str, Any]]:
        public = report.messages.filter(kind=ReportMessage.Kind.PUBLIC).order_by("created_at")
        return PublicMessageOutputSerializer(public, many=True).data


# --- Public: nearby, table, support ----------------------------------------------------------


class NearbyReportOutputSerializer(serializers.Serializer):
    """A nearby open report. Pass the resident's point as context["point"] = (lat, lon)."""

    uuid = serializers.UUIDField()
    category = CategoryRefOutputSerializer()
    text = serializers.SerializerMethodField(help_text="Moderated text; empty until moderated.")
    distance_m = serializers.SerializerMethodField(
        help_text="Distance to the report's public location (the centre of its 100 m cell), "
        "rounded to 10 m: the exact point never leaves the server, not even by trilateration."
    )
    support_count = serializers.IntegerField()
    status = serializers.SerializerMethodField()
    created_on = serializers.SerializerMethodField()

    def get_text(self, report: Report) -> str:
        return public_text(report)

    def get_distance_m(self, report: Report) -> int:
        lat, lon = self.context["point"]
        cell = public_location(report)
        if cell is None:
            return 0
        return round(distance_m(lat, lon, cell[0], cell[1]) / 10) * 10

    @extend_schema_field(OPEN_OR_CLOSED)
    def get_status(self, report: Report) -> str:
        return open_or_closed(report)

    @extend_schema_field(serializers.DateField())
    def get_created_on(self, report: Report) -> str:
        return timezone.localdate(report.created_at).isoformat()


class PublicReportRowOutputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    category = CategoryRefOutputSerializer()
    date = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(help_text="Moderated text; empty until moderated.")
    buurt = BuurtRefOutputSerializer()
    location = serializers.SerializerMethodField(
        help_text="Centre of the report's 100 m grid cell, never the exact point."
    )
    support_count = serializers.IntegerField()

    @extend_schema_field(serializers.DateField())
    def get_date(self, report: Report) -> str:
        return timezone.localdate(report.created_at).isoformat()

    @extend_schema_field(OPEN_OR_CLOSED)
    def get_status(self, report: Report) -> str:
        return open_or_closed(report)

    def get_text(self, report: Report) -> str:
        return public_text(report)

    @extend_schema_field(PointOutputSerializer(allow_null=True))
    def get_location(self, report: Report) -> dict[str, float] | None:
        point = public_location(report)
        return {"lat": point[0], "lon": point[1]} if point else None


class SupportOutputSerializer(serializers.Serializer):
    added = serializers.BooleanField(help_text="False when this account or device had joined.")
    support_count = serializers.IntegerField()


# --- Staff -----------------------------------------------------------------------------------


class StaffReportOutputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Report.Status.choices)
    partner = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    category = CategoryRefOutputSerializer()
    sensitivity = serializers.CharField(source="category.sensitivity")
    buurt = BuurtRefOutputSerializer()
    description = serializers.CharField(help_text="The text as the resident wrote it.")
    moderation = serializers.ChoiceField(choices=Report.Moderation.choices)
    support_count = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Report.Source.choices)


class StaffMessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReportMessage.Kind.choices)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    author = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: ReportMessage) -> str | None:
        author = message.author
        if author is None:
            return None
        return getattr(author, "display_name", "") or str(author)


class StaffPhotoOutputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size_bytes = serializers.IntegerField()


class PersonalDataOutputSerializer(serializers.Serializer):
    contact_email = serializers.CharField()
    contact_consent = serializers.BooleanField()
    contact_anonymised_at = serializers.DateTimeField(allow_null=True)
    reporter_email = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reporter_email(self, report: Report) -> str | None:
        return report.reporter.email if report.reporter_id else None


class StaffReportDetailOutputSerializer(StaffReportOutputSerializer):
    public_description = serializers.CharField()
    occurred_at = serializers.DateTimeField(allow_null=True)
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    location_description = serializers.CharField()
    duplicate_of = serializers.SerializerMethodField(help_text="Reference it was merged into.")
    messages = StaffMessageOutputSerializer(many=True)
    photos = StaffPhotoOutputSerializer(many=True)
    personal_data = serializers.SerializerMethodField(
        help_text="Only for holders of reports.view_personal_data; null otherwise."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_duplicate_of(self, report: Report) -> str | None:
        return report.duplicate_of.reference if report.duplicate_of_id else None

    @extend_schema_field(PersonalDataOutputSerializer(allow_null=True))
    def get_personal_data(self, report: Report) -> dict[str, Any] | None:
        if not self.context.get("show_personal_data"):
            return None
        return PersonalDataOutputSerializer(report).data


class StaffModerationOutputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    moderation = serializers.ChoiceField(choices=Report.Moderation.choices)
    public_description = serializers.CharField()
