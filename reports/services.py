"""Write use cases for reports: intake, joining, handling, moderation, merge, retention."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import AreaLevel
from geo.grid import distance_m, rd_cell, rd_cells
from geo.index import buurt_id_for_point
from geo.models import Area
from reports import photos as photo_processing
from reports.exceptions import (
    CategoryRedirectOnlyError,
    CategoryUnavailableError,
    ContactConsentRequiredError,
    DescriptionInvalidError,
    IdempotencyConflictError,
    InvalidTransitionError,
    LocationRequiredError,
    MergeInvalidError,
    ModerationInvalidError,
    PartnerRequiredError,
    ReportImportError,
    ReportNotOpenError,
    RetentionTooShortError,
    TooManyPhotosError,
)
from reports.models import (
    Report,
    ReportCategory,
    ReportEvent,
    ReportMessage,
    ReportPhoto,
    ReportSupport,
)
from reports.selectors import (
    category_for_intake_lookup,
    public_location,
    report_list_nearby_open,
    report_list_open_in_buurt,
)
from reports.tokens import device_hash, reference_new, token_hash, tracking_token_for

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
# C0 control characters other than tab and newline (NUL is refused by PostgreSQL text).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
DESCRIPTION_MAX = 4000
IDEMPOTENCY_KEY_MAX = 64
Status = Report.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_PROGRESS, Status.RESOLVED, Status.FORWARDED, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.FORWARDED, Status.CANCELLED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    Status.FORWARDED: {Status.IN_PROGRESS},
    Status.CANCELLED: {Status.IN_PROGRESS},
}


def report_statuses_next(*, report: Report) -> list[str]:
    """The statuses this report can move to now, in workflow order (none for a report that
    was merged into another one: that one is handled instead)."""
    if report.duplicate_of_id:
        return []
    allowed = TRANSITIONS.get(report.status, set())
    return [value for value in Status.values if value in allowed]


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def report_event_log(
    *,
    report: Report,
    action: str,
    actor: Any = None,
    before: dict | None = None,
    after: dict | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        before=before or {},
        after=after or {},
    )


# --- Intake ----------------------------------------------------------------------------------


def text_clean(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    """Plain text only: drop control characters, strip, refuse empty (when required), too
    long or markup."""
    text = CONTROL_CHARS.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        raise DescriptionInvalidError(_("Vul dit veld in."), extra={"field": field})
    if len(text) > max_length:
        raise DescriptionInvalidError(
            _("Gebruik hooguit %(max)d tekens (nu %(n)d).") % {"max": max_length, "n": len(text)},
            extra={"field": field, "max_length": max_length, "length": len(text)},
        )
    if MARKUP.search(text):
        raise DescriptionInvalidError(
            _("Gebruik gewone tekst, zonder HTML of scripts."), extra={"field": field}
        )
    return text


def category_for_intake(*, slug: str) -> ReportCategory:
    """The category a new report is filed under: active, under an active main category,
    without active subcategories (pick one of those), and accepting reports (not a
    redirect-only category). Read from the per-process category cache."""
    found = category_for_intake_lookup(slug=slug)
    if found is None or not found.category.is_active or not found.parent_active:
        raise CategoryUnavailableError(extra={"field": "category", "value": slug})
    if found.has_active_children:
        raise CategoryUnavailableError(
            _("Kies een subcategorie."), extra={"field": "category", "value": slug}
        )
    category = found.category
    if not category.accepts_reports:
        raise CategoryRedirectOnlyError(
            extra={"field": "category", "channel": category.redirect_channel}
        )
    return category


def _buurt_for_intake(
    *, lat: float | None, lon: float | None, buurt_code: str | None, location_description: str
) -> tuple[Area, float | None, float | None]:
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise LocationRequiredError(
                _("Geef zowel de breedtegraad (lat) als de lengtegraad (lon)."),
                extra={"field": "lat" if lat is None else "lon"},
            )
        try:
            area_id = buurt_id_for_point(lat=lat, lon=lon)
        except Exception as exc:  # domain errors from geo: add the field they concern
            if hasattr(exc, "extra"):
                exc.extra.setdefault("field", "location")
            raise
        buurt = Area.objects.defer(*Area.GEOMETRY_FIELDS).get(pk=area_id)
        return buurt, float(lat), float(lon)
    if buurt_code:
        prefix = "BU" + settings.BUURTSTEM_MUNICIPALITY_CODE[2:6]
        buurt = (
            Area.objects.defer(*Area.GEOMETRY_FIELDS)
            .filter(level=AreaLevel.BUURT, code=buurt_code.strip().upper())
            .filter(code__startswith=prefix)
            .order_by("-year")
            .first()
        )
        if buurt is None:
            raise LocationRequiredError(
                _("Deze buurt hoort niet bij de gemeente."), extra={"field": "buurt"}
            )
        if len(location_description.strip()) < 3:
            raise LocationRequiredError(
                _("Beschrijf de plek in de buurt (straat, plein of herkenningspunt)."),
                extra={"field": "location_description"},
            )
        return buurt, None, None
    raise LocationRequiredError(extra={"field": "location"})


def report_place_check(
    *,
    lat: float | None = None,
    lon: float | None = None,
    buurt_code: str | None = None,
    location_description: str = "",
) -> Area:
    """The buurt a report at this place would get, validated exactly as `report_create`
    does (point → buurt through the index, or a chosen buurt of the municipality plus a
    description of the place); writes nothing. For intake forms that check the place in a
    step before the report is filed."""
    place = text_clean(
        location_description, field="location_description", max_length=300, required=False
    )
    buurt, _lat, _lon = _buurt_for_intake(
        lat=lat, lon=lon, buurt_code=buurt_code, location_description=place
    )
    return buurt


@dataclass(frozen=True)
class NearbyOpenReport:
    """An open report a resident may join instead of filing a duplicate. `distance_m` is the
    distance to the report's public location (its 100 m cell centre) rounded to 10 m, or
    None when the resident chose a buurt instead of a point: the exact point never leaves
    the server."""

    report: Report
    distance_m: int | None


@dataclass(frozen=True)
class IntakePrecheck:
    category: ReportCategory
    buurt: Area
    nearby: list[NearbyOpenReport]


def report_intake_precheck(
    *,
    category_slug: str,
    lat: float | None = None,
    lon: float | None = None,
    buurt_code: str | None = None,
    location_description: str = "",
) -> IntakePrecheck:
    """The first step of filing: the category and the place are validated as
    `report_create` validates them (same errors, same fields), and the open reports of that
    category nearby (around the point, or in the chosen buurt) are listed so the resident
    can join one instead. Writes nothing."""
    category = category_for_intake(slug=category_slug)
    buurt = report_place_check(
        lat=lat, lon=lon, buurt_code=buurt_code, location_description=location_description
    )
    nearby: list[NearbyOpenReport] = []
    if lat is not None and lon is not None:
        lat_f, lon_f = float(lat), float(lon)
        for report, _exact in report_list_nearby_open(category=category, lat=lat_f, lon=lon_f):
            cell = public_location(report)
            distance = (
                int(round(distance_m(lat_f, lon_f, cell[0], cell[1]) / 10) * 10) if cell else None
            )
            nearby.append(NearbyOpenReport(report=report, distance_m=distance))
    else:
        nearby = [
            NearbyOpenReport(report=report, distance_m=None)
            for report in report_list_open_in_buurt(category=category, buurt=buurt)
        ]
    return IntakePrecheck(category=category, buurt=buurt, nearby=nearby)


@dataclass(frozen=True)
class ReportIntake:
    report: Report
    tracking_token: str
    created: bool  # False: an idempotent replay returned the report created before


def _report_by_idempotency_key(key: str) -> Report | None:
    """The report filed with this (unique) key, if any; get() compiles no ORDER BY."""
    try:
        return Report.objects.get(idempotency_key=key)
    except Report.DoesNotExist:
        return None


def _coordinate_key(value: Any) -> str:
    if value is None:
        return ""
    try:
        return f"{float(value):.6f}"
    except (TypeError, ValueError):
        return str(value)


def _fingerprint(
    *, category_id: int, description: str, lat: Any, lon: Any, buurt_code: str | None
) -> str:
    """What makes two submissions "the same": category, text and place (the point, or the
    chosen buurt when no point was given)."""
    place = (
        f"{_coordinate_key(lat)},{_coordinate_key(lon)}"
        if lat is not None or lon is not None
        else (buurt_code or "").strip().upper()
    )
    return hashlib.sha256(f"{category_id}:{description}:{place}".encode()).hexdigest()


def _contact_email_clean(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DescriptionInvalidError(
            _("Dit is geen geldig e-mailadres."), extra={"field": "contact_email"}
        ) from exc
    if len(email) > Report._meta.get_field("contact_email").max_length:
        raise DescriptionInvalidError(
            _("Dit e-mailadres is te lang."), extra={"field": "contact_email"}
        )
    return email


def report_create(
    *,
    category_slug: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    buurt_code: str | None = None,
    location_description: str = "",
    occurred_at: datetime | None = None,
    photos: Sequence[bytes] = (),
    contact_email: str = "",
    contact_consent: bool = False,
    reporter: Any = None,
    idempotency_key: str | None = None,
    source: str = Report.Source.WEB,
    external_id: str = "",
) -> ReportIntake:
    """File a report. Everything is validated before anything is written; photos are
    re-encoded without metadata; the buurt is assigned from the point (or chosen when the
    resident does not use the map). A repeated submission with the same idempotency key
    returns the first report instead of creating a second one; the same key with another
    category, text or place is refused (idempotency_conflict)."""
    category = category_for_intake(slug=category_slug)
    text = text_clean(description, field="description", max_length=DESCRIPTION_MAX)
    place = text_clean(
        location_description, field="location_description", max_length=300, required=False
    )
    if idempotency_key and len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise DescriptionInvalidError(
            _("De verzendsleutel is te lang."),
            extra={"field": "idempotency_key", "max_length": IDEMPOTENCY_KEY_MAX},
        )
    fingerprint = _fingerprint(
        category_id=category.pk, description=text, lat=lat, lon=lon, buurt_code=buurt_code
    )

    if idempotency_key:
        existing = _report_by_idempotency_key(idempotency_key)
        if existing is not None:
            return _replay(existing, fingerprint)

    buurt, lat_f, lon_f = _buurt_for_intake(
        lat=lat, lon=lon, buurt_code=buurt_code, location_description=place
    )
    grid = rd_cell(lat_f, lon_f) if lat_f is not None and lon_f is not None else None
    now = timezone.now()
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at)
        if occurred_at > now + timedelta(minutes=5):
            raise DescriptionInvalidError(
                _("Het tijdstip ligt in de toekomst."), extra={"field": "occurred_at"}
            )
    email = _contact_email_clean(contact_email)
    if email and not contact_consent:
        raise ContactConsentRequiredError(extra={"field": "contact_consent"})
    max_photos = _setting("REPORTS_MAX_PHOTOS", 3)
    if len(photos) > max_photos:
        raise TooManyPhotosError(extra={"field": "photos", "max": max_photos})
    max_bytes = _setting("REPORTS_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
    cleaned = []
    for i, data in enumerate(photos):
        try:
            cleaned.append(photo_processing.photo_clean(data, max_bytes=max_bytes))
        except Exception as exc:
            if hasattr(exc, "extra"):
                exc.extra.update({"field": "photos", "index": i})
            raise

    stored: list[ReportPhoto] = []
    try:
        with transaction.atomic():
            report = Report(
                reference=reference_new(),
                category=category,
                description=text,
                occurred_at=occurred_at,
                lat=lat_f,
                lon=lon_f,
                location_description=place,
                grid_x=grid[0] if grid else None,
                grid_y=grid[1] if grid else None,
                buurt=buurt,
                reporter=reporter if getattr(reporter, "pk", None) else None,
                contact_email=email,
                contact_consent=bool(contact_consent),
                idempotency_key=idempotency_key or None,
                source=source,
                external_id=external_id,
            )
            token = tracking_token_for(str(report.uuid))
            report.tracking_token_hash = token_hash(token)
            report.save()
            for clean in cleaned:
                photo = ReportPhoto(
                    report=report,
                    width=clean.width,
                    height=clean.height,
                    size_bytes=len(clean.content),
                )
                photo.image.save("photo.jpg", ContentFile(clean.content), save=False)
                stored.append(photo)
                photo.save()
            report_event_log(
                report=report,
                action="report.created",
                actor=reporter,
                after={
                    "status": report.status,
                    "category": category.slug,
                    "buurt": buurt.code,
                    "source": source,
                    "photos": len(cleaned),
                },
            )
    except IntegrityError:
        for photo in stored:
            photo.image.delete(save=False)
        if idempotency_key:  # a concurrent twin won the race
            existing = _report_by_idempotency_key(idempotency_key)
            if existing is not None:
                return _replay(existing, fingerprint)
        raise
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise
    return ReportIntake(report=report, tracking_token=token, created=True)


def _replay(existing: Report, fingerprint: str) -> ReportIntake:
    stored = _fingerprint(
        category_id=existing.category_id,
        description=existing.description,
        lat=existing.lat,
        lon=existing.lon,
        buurt_code=existing.buurt.code if existing.lat is None else None,
    )
    if stored != fingerprint:
        raise IdempotencyConflictError(extra={"field": "idempotency_key"})
    return ReportIntake(
        report=existing, tracking_token=tracking_token_for(str(existing.uuid)), created=False
    )


def report_support_add(*, report: Report, user: Any = None, device_id: str | None = None) -> bool:
    """ "Ik heb hier ook last van". True when the support was added, False when this resident
    (account or device) had already joined. Only open reports in public categories."""
    if not report.is_open or report.duplicate_of_id:
        raise ReportNotOpenError()
    if not report.category.is_public:
        raise CategoryUnavailableError(extra={"field": "report"})
    user = user if getattr(user, "pk", None) else None
    if user is not None and report.reporter_id == user.pk:
        return False
    dev = device_hash(device_id) if device_id and user is None else ""
    if user is None and not dev:
        raise DescriptionInvalidError(_("Onbekende afzender."), extra={"field": "device"})
    try:
        with transaction.atomic():
            ReportSupport.objects.create(report=report, user=user, device_hash=dev)
            Report.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    report.refresh_from_db(fields=["support_count"])
    return True


# --- Handling --------------------------------------------------------------------------------


@transaction.atomic
def report_status_change(
    *,
    report: Report,
    actor: Any,
    status: str,
    partner: str = "",
    message: str = "",
) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if (
        status not in Status.values
        or status == report.status
        or (status not in TRANSITIONS.get(report.status, set()))
    ):
        raise InvalidTransitionError(extra={"field": "status", "from": report.status, "to": status})
    if report.duplicate_of_id:
        # A merged duplicate is handled through the report it was merged into.
        raise InvalidTransitionError(
            extra={"field": "status", "from": report.status, "to": status, "reason": "merged"}
        )
    if status == Status.FORWARDED and partner not in Report.Partner.values:
        raise PartnerRequiredError(extra={"field": "partner"})
    body = text_clean(message, field="message", max_length=DESCRIPTION_MAX, required=False)
    before = {"status": report.status, "partner": report.partner}
    report.status = status
    report.partner = partner if status == Status.FORWARDED else ""
    report.closed_at = timezone.now() if status in Report.CLOSED_STATUSES else None
    report.save(update_fields=["status", "partner", "closed_at", "updated_at"])
    report_event_log(
        report=report,
        action="report.status_changed",
        actor=actor,
        before=before,
        after={"status": report.status, "partner": report.partner},
    )
    if body:
        _message_add(report=report, actor=actor, body=body, kind=ReportMessage.Kind.PUBLIC)
    _notify_reporter_on_commit(report)
    return report


def _message_add(*, report: Report, actor: Any, body: str, kind: str) -> ReportMessage:
    msg = ReportMessage.objects.create(
        report=report, kind=kind, body=body, author=actor if getattr(actor, "pk", None) else None
    )
    report_event_log(
        report=report,
        action=f"report.message_added.{kind}",
        actor=actor,
        after={"message_id": msg.pk, "length": len(body)},
    )
    return msg


@transaction.atomic
def report_message_add(*, report: Report, actor: Any, body: str, public: bool) -> ReportMessage:
    """A message to the reporter (public: shown on the tracking page, e-mailed when contact
    was given) or an internal note for staff."""
    text = text_clean(body, field="body", max_length=DESCRIPTION_MAX)
    kind = ReportMessage.Kind.PUBLIC if public else ReportMessage.Kind.INTERNAL
    msg = _message_add(report=report, actor=actor, body=text, kind=kind)
    if public:
        _notify_reporter_on_commit(report)
    return msg


@transaction.atomic
def report_moderate(*, report: Report, actor: Any, decision: str, public_text: str = "") -> Report:
    """Approve (the text as written or as given), redact (public text required) or reject.
    The original description is kept for staff with the right permission."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = {"moderation": report.moderation, "public_description": report.public_description}
    if decision == Report.Moderation.APPROVED:
        text = text_clean(
            public_text or report.description, field="public_text", max_length=DESCRIPTION_MAX
        )
    elif decision == Report.Moderation.REDACTED:
        if not (public_text or "").strip():
            raise ModerationInvalidError(extra={"field": "public_text"})
        text = text_clean(public_text, field="public_text", max_length=DESCRIPTION_MAX)
    elif decision == Report.Moderation.REJECTED:
        text = ""
    else:
        raise ModerationInvalidError(_("Onbekende beslissing."), extra={"field": "decision"})
    report.moderation = decision
    report.public_description = text
    report.save(update_fields=["moderation", "public_description", "updated_at"])
    report_event_log(
        report=report,
        action="report.moderated",
        actor=actor,
        before=before,
        after={"moderation": decision, "public_description": text},
    )
    return report


@transaction.atomic
def report_merge(*, duplicate: Report, into: Report, actor: Any) -> Report:
    """Merge a duplicate into another report of the same municipality: the duplicate is
    cancelled and points at the target; its supporters move to the target and its reporter
    counts as one more supporter (nobody is counted twice). Reports merged into the
    duplicate earlier now point at the target, so `duplicate_of` never forms a chain.
    Refused: a report with itself, a target that is merged or cancelled, a duplicate that is
    merged already."""
    if duplicate.pk == into.pk:
        raise MergeInvalidError(extra={"field": "into", "reason": "same_report"})
    locked = {
        r.pk: r
        for r in Report.objects.select_for_update()
        .select_related("buurt")
        .filter(pk__in=[duplicate.pk, into.pk])
        .order_by("pk")  # a fixed lock order: two opposite merges cannot deadlock
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.duplicate_of_id or duplicate.duplicate_of_id:
        raise MergeInvalidError(extra={"field": "into", "reason": "already_merged"})
    if into.status == Status.CANCELLED:
        raise MergeInvalidError(extra={"field": "into", "reason": "target_cancelled"})
    if duplicate.buurt.code[2:6] != into.buurt.code[2:6]:
        raise MergeInvalidError(extra={"field": "into", "reason": "other_municipality"})

    taken_users = set(into.supports.exclude(user=None).values_list("user_id", flat=True))
    if into.reporter_id:
        taken_users.add(into.reporter_id)
    taken_devices = set(into.supports.exclude(device_hash="").values_list("device_hash", flat=True))
    moved = 0
    for support in duplicate.supports.all():
        if (support.user_id and support.user_id in taken_users) or (
            support.device_hash and support.device_hash in taken_devices
        ):
            support.delete()  # already counted on the target
            continue
        support.report = into
        support.save(update_fields=["report", "updated_at"])
        taken_users.add(support.user_id)
        taken_devices.add(support.device_hash)
        moved += 1
    if duplicate.reporter_id:
        if duplicate.reporter_id not in taken_users:
            ReportSupport.objects.create(report=into, user_id=duplicate.reporter_id)
            moved += 1
    else:
        ReportSupport.objects.create(report=into, device_hash=f"merged:{duplicate.uuid}")
        moved += 1
    into.support_count = into.supports.count()
    into.save(update_fields=["support_count", "updated_at"])

    earlier = list(duplicate.duplicates.values_list("reference", flat=True))
    if earlier:
        duplicate.duplicates.update(duplicate_of=into)
    before = {"status": duplicate.status, "duplicate_of": None}
    duplicate.duplicate_of = into
    duplicate.status = Status.CANCELLED
    duplicate.partner = ""
    duplicate.closed_at = timezone.now()
    duplicate.support_count = 0
    duplicate.save(
        update_fields=[
            "duplicate_of",
            "status",
            "partner",
            "closed_at",
            "support_count",
            "updated_at",
        ]
    )
    report_event_log(
        report=duplicate,
        action="report.merged",
        actor=actor,
        before=before,
        after={"status": duplicate.status, "duplicate_of": into.reference},
    )
    report_event_log(
        report=into,
        action="report.merge_received",
        actor=actor,
        after={"from": duplicate.reference, "supporters_added": moved, "repointed": earlier},
    )
    _message_add(
        report=duplicate,
        actor=actor,
        kind=ReportMessage.Kind.PUBLIC,
        body=_(
            "Deze melding is samengevoegd met een melding over hetzelfde probleem "
            "(%(ref)s); we behandelen ze samen."
        )
        % {"ref": into.reference},
    )
    _notify_reporter_on_commit(duplicate)
    return into


def _notify_reporter_on_commit(report: Report) -> None:
    if not report.contact_consent or report.contact_anonymised_at:
        return
    from reports.tasks import report_notify_reporter

    report_id = report.pk
    transaction.on_commit(lambda: report_notify_reporter.enqueue(report_id=report_id))


# --- Retention -------------------------------------------------------------------------------


def report_contacts_anonymise(*, older_than_days: int | None = None, dry_run: bool = False) -> int:
    """Erase contact data of reports closed longer than the retention period ago: e-mail,
    consent, account link, and the supporters' account links and device hashes. Each report
    is done once (`contact_anonymised_at`) and gets an audit event. Refuses a period shorter
    than 30 days. Returns the number of reports (that would be) anonymised."""
    days = (
        older_than_days
        if older_than_days is not None
        else _setting("REPORTS_CONTACT_RETENTION_DAYS", 365)
    )
    if days < 30:
        raise RetentionTooShortError(extra={"field": "days", "value": days})
    cutoff = timezone.now() - timedelta(days=days)
    qs = Report.objects.filter(
        status__in=Report.CLOSED_STATUSES, closed_at__lt=cutoff, contact_anonymised_at__isnull=True
    )
    ids = list(qs.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    now = timezone.now()
    with transaction.atomic():
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            Report.objects.filter(pk__in=chunk).update(
                contact_email="",
                contact_consent=False,
                reporter=None,
                contact_anonymised_at=now,
            )
            ReportSupport.objects.filter(report_id__in=chunk).update(user=None, device_hash="")
            ReportEvent.objects.bulk_create(
                ReportEvent(
                    report_id=pk, action="report.contact_anonymised", after={"retention_days": days}
                )
                for pk in chunk
            )
    return len(ids)


# --- Import from another system --------------------------------------------------------------

IMPORT_EXTERNAL_ID_MAX = 100


@dataclass(frozen=True)
class ReportImportRow:
    """One validated report from another system (see `reports.imports`, which parses and
    validates files, assigns the buurt in bulk and builds these rows)."""

    external_id: str  # the id in the other system, without the source name
    category: ReportCategory
    buurt_id: int
    lat: float
    lon: float
    created_at: datetime
    status: str
    closed_at: datetime | None = None
    partner: str = ""
    description: str = ""


def report_import_external_id(*, source_name: str, external_id: str) -> str:
    """Imported reports are unique by (source system, id there); both are kept in
    `Report.external_id` as "<source>:<id>" with `source=import`."""
    return f"{source_name}:{external_id}"


def report_import_existing_ids(*, source_name: str, external_ids: Sequence[str]) -> set[str]:
    """Those of the given external ids that were imported from this source before."""
    keys = [report_import_external_id(source_name=source_name, external_id=e) for e in external_ids]
    found: set[str] = set()
    prefix_len = len(source_name) + 1
    for start in range(0, len(keys), 500):
        found.update(
            key[prefix_len:]
            for key in Report.objects.filter(
                source=Report.Source.IMPORT, external_id__in=keys[start : start + 500]
            ).values_list("external_id", flat=True)
        )
    return found


@transaction.atomic
def report_import_many(
    *, rows: Sequence[ReportImportRow], source_name: str, actor: Any = None
) -> list[Report]:
    """Store reports imported from another system, all or nothing, skipping those imported
    from the same source before (idempotent). Imported reports get `source=import`, stay
    pending moderation (their text is never public until moderated), carry no contact data,
    keep their original creation date and closing date, and get a `report.imported` audit
    event. The caller validates the rows (`reports.imports`); this only re-checks what the
    database relies on."""
    source_name = source_name.strip()
    if not source_name or ":" in source_name:
        raise ReportImportError(
            _("Geef een bronnaam zonder dubbele punt."), extra={"field": "source_name"}
        )
    seen: set[str] = set()
    todo: list[ReportImportRow] = []
    already = report_import_existing_ids(
        source_name=source_name, external_ids=[r.external_id for r in rows]
    )
    for row in rows:
        key = report_import_external_id(source_name=source_name, external_id=row.external_id)
        if not row.external_id or len(key) > IMPORT_EXTERNAL_ID_MAX:
            raise ReportImportError(extra={"field": "external_id", "value": row.external_id})
        if row.status not in Status.values:
            raise ReportImportError(extra={"field": "status", "value": row.status})
        if row.external_id in already or row.external_id in seen:
            continue
        seen.add(row.external_id)
        todo.append(row)
    if not todo:
        return []

    gx, gy = rd_cells(
        np.array([r.lat for r in todo], dtype=float), np.array([r.lon for r in todo], dtype=float)
    )
    reports = []
    for row, cell_x, cell_y in zip(todo, gx.tolist(), gy.tolist(), strict=True):
        closed = row.status in Report.CLOSED_STATUSES
        report = Report(
            reference=reference_new(),
            category=row.category,
            description=text_clean(
                row.description,
                field="description",
                max_length=DESCRIPTION_MAX,
                required=False,
            ),
            lat=float(row.lat),
            lon=float(row.lon),
            grid_x=cell_x,
            grid_y=cell_y,
            buurt_id=row.buurt_id,
            status=row.status,
            partner=(row.partner or Report.Partner.OVERIG)
            if row.status == Status.FORWARDED
            else "",
            closed_at=(row.closed_at or row.created_at) if closed else None,
            moderation=Report.Moderation.PENDING,
            source=Report.Source.IMPORT,
            external_id=report_import_external_id(
                source_name=source_name, external_id=row.external_id
            ),
        )
        report.tracking_token_hash = token_hash(tracking_token_for(str(report.uuid)))
        reports.append(report)
    Report.objects.bulk_create(reports, batch_size=500)
    # created_at is auto_now_add (always "now" on insert); imports keep the original date.
    for report, row in zip(reports, todo, strict=True):
        report.created_at = row.created_at
    Report.objects.bulk_update(reports, ["created_at"], batch_size=500)
    buurt_codes = dict(
        Area.objects.filter(pk__in={r.buurt_id for r in todo}).values_list("pk", "code")
    )
    ReportEvent.objects.bulk_create(
        (
            ReportEvent(
                report=report,
                action="report.imported",
                actor=actor if getattr(actor, "pk", None) else None,
                after={
                    "source": source_name,
                    "external_id": row.external_id,
                    "status": report.status,
                    "category": row.category.slug,
                    "buurt": buurt_codes.get(row.buurt_id, ""),
                    "created_at": row.created_at.isoformat(),
                },
            )
            for report, row in zip(reports, todo, strict=True)
        ),
        batch_size=500,
    )
    return reports
