"""Write use cases for reports: intake, joining, handling, moderation, merge, retention."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import AreaLevel
from geo.grid import rd_cell
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
from reports.tokens import device_hash, reference_new, token_hash, tracking_token_for

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
DESCRIPTION_MAX = 4000
Status = Report.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_PROGRESS, Status.RESOLVED, Status.FORWARDED, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.FORWARDED, Status.CANCELLED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    Status.FORWARDED: {Status.IN_PROGRESS},
    Status.CANCELLED: {Status.IN_PROGRESS},
}


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
    """Plain text only: strip, refuse empty (when required), too long or markup."""
    text = (value or "").replace("\r\n", "\n").strip()
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
    category = (
        ReportCategory.objects.select_related("parent", "theme")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if category is None or (category.parent_id and not category.parent.is_active):
        raise CategoryUnavailableError(extra={"field": "category", "value": slug})
    if category.children.filter(is_active=True).exists():
        raise CategoryUnavailableError(
            _("Kies een subcategorie."), extra={"field": "category", "value": slug}
        )
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
        return Area.objects.get(pk=area_id), float(lat), float(lon)
    if buurt_code:
        prefix = "BU" + settings.BUURTSTEM_MUNICIPALITY_CODE[2:6]
        buurt = (
            Area.objects.filter(level=AreaLevel.BUURT, code=buurt_code.strip().upper())
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


@dataclass(frozen=True)
class ReportIntake:
    report: Report
    tracking_token: str
    created: bool  # False: an idempotent replay returned the report created before


def _fingerprint(category: ReportCategory, description: str) -> str:
    return hashlib.sha256(f"{category.pk}:{description}".encode()).hexdigest()


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
    returns the first report instead of creating a second one."""
    category = category_for_intake(slug=category_slug)
    text = text_clean(description, field="description", max_length=DESCRIPTION_MAX)
    place = text_clean(
        location_description, field="location_description", max_length=300, required=False
    )

    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, category, text)

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
    email = (contact_email or "").strip().lower()
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
            existing = Report.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, category, text)
        raise
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise
    return ReportIntake(report=report, tracking_token=token, created=True)


def _replay(existing: Report, category: ReportCategory, text: str) -> ReportIntake:
    if _fingerprint(existing.category, existing.description) != _fingerprint(category, text):
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
    """Merge a duplicate into another report: the duplicate is cancelled and points at the
    target; its reporter and supporters count as supporters of the target."""
    duplicate = Report.objects.select_for_update().get(pk=duplicate.pk)
    into = Report.objects.select_for_update().get(pk=into.pk)
    if duplicate.pk == into.pk or into.duplicate_of_id or duplicate.duplicate_of_id:
        raise MergeInvalidError(extra={"field": "into"})
    if duplicate.buurt.code[2:6] != into.buurt.code[2:6]:
        raise MergeInvalidError(extra={"field": "into"})
    moved = 0
    supporters = list(duplicate.supports.all())
    if duplicate.reporter_id and duplicate.reporter_id != into.reporter_id:
        supporters.append(ReportSupport(report=duplicate, user_id=duplicate.reporter_id))
    elif not duplicate.reporter_id:
        supporters.append(ReportSupport(report=duplicate, device_hash=f"merged:{duplicate.uuid}"))
    for support in supporters:
        if support.user_id and (
            support.user_id == into.reporter_id
            or into.supports.filter(user_id=support.user_id).exists()
        ):
            continue
        if support.device_hash and into.supports.filter(device_hash=support.device_hash).exists():
            continue
        ReportSupport.objects.create(
            report=into, user_id=support.user_id, device_hash=support.device_hash
        )
        moved += 1
    into.support_count = into.supports.count()
    into.save(update_fields=["support_count", "updated_at"])
    before = {"status": duplicate.status, "duplicate_of": None}
    duplicate.duplicate_of = into
    duplicate.status = Status.CANCELLED
    duplicate.closed_at = timezone.now()
    duplicate.save(update_fields=["duplicate_of", "status", "closed_at", "updated_at"])
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
        after={"from": duplicate.reference, "supporters_added": moved},
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
    consent, account link, supporters' account links. Returns the number of reports."""
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
            ReportSupport.objects.filter(report_id__in=chunk).update(user=None)
            ReportEvent.objects.bulk_create(
                ReportEvent(
                    report_id=pk, action="report.contact_anonymised", after={"retention_days": days}
                )
                for pk in chunk
            )
    return len(ids)
