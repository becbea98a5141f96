"""Read use cases for reports: tracking, staff lists, nearby duplicates, the public map."""

from __future__ import annotations

import hashlib
import threading
import time as monotonic_time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from geo.codes import AreaLevel
from geo.grid import BASE_CELL_M, cell_centre_wgs84, cell_centres_wgs84, distance_m
from geo.models import Area
from geo.selectors import area_list
from reports.models import Report, ReportCategory, ReportEvent, ReportMessage
from reports.tokens import token_hash

PUBLIC_TEXT_STATES = (Report.Moderation.APPROVED, Report.Moderation.REDACTED)


def category_list_active() -> QuerySet[ReportCategory]:
    return ReportCategory.objects.filter(is_active=True).select_related("parent", "theme")


def category_tree() -> list[tuple[ReportCategory, list[ReportCategory]]]:
    """Active main categories with their active subcategories, in display order."""
    cats = list(category_list_active())
    mains = [c for c in cats if c.parent_id is None]
    return [(m, [c for c in cats if c.parent_id == m.pk]) for m in mains]


@dataclass(frozen=True)
class IntakeCategory:
    """What the intake needs to know of a category slug. `category` is shared between
    requests: treat it as read-only."""

    category: ReportCategory
    parent_active: bool
    has_active_children: bool


class _IntakeCategoryCache:
    """Every category, loaded in one query and kept per process for
    REPORTS_CATEGORY_CACHE_SECONDS: filing a report then costs no category queries, and an
    unknown slug costs none either. Saving or deleting a category clears the cache of the
    process that did it at once (receivers); other processes reload within the period."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_slug: dict[str, IntakeCategory] | None = None
        self._loaded_at = 0.0

    def clear(self) -> None:
        with self._lock:
            self._by_slug = None

    def get(self, slug: str) -> IntakeCategory | None:
        ttl = settings.REPORTS_CATEGORY_CACHE_SECONDS
        now = monotonic_time.monotonic()
        with self._lock:
            by_slug = self._by_slug
            if by_slug is not None and now - self._loaded_at < ttl:
                return by_slug.get(slug)
        by_slug = self._load()
        if ttl > 0:
            with self._lock:
                self._by_slug, self._loaded_at = by_slug, now
        return by_slug.get(slug)

    @staticmethod
    def _load() -> dict[str, IntakeCategory]:
        cats = list(ReportCategory.objects.select_related("parent", "theme"))
        with_active_children = {c.parent_id for c in cats if c.parent_id and c.is_active}
        return {
            c.slug: IntakeCategory(
                category=c,
                parent_active=c.parent_id is None or c.parent.is_active,
                has_active_children=c.pk in with_active_children,
            )
            for c in cats
        }


_intake_categories = _IntakeCategoryCache()


def category_for_intake_lookup(*, slug: str) -> IntakeCategory | None:
    """The category a report is filed under, by slug, from the per-process cache (None when
    no category has this slug). Whether it may be used is the intake service's decision."""
    return _intake_categories.get(slug)


def category_intake_cache_clear() -> None:
    _intake_categories.clear()


def report_get_by_token(*, token: str) -> Report:
    """The report a tracking link points at; Report.DoesNotExist for unknown tokens."""
    if not token or len(token) > 64:
        raise Report.DoesNotExist
    return Report.objects.select_related("category", "buurt").get(
        tracking_token_hash=token_hash(token)
    )


@dataclass(frozen=True)
class StaffFilters:
    status: str | None = None
    category: str | None = None  # slug; a main category includes its subcategories
    theme: str | None = None  # theme slug (veld or thema)
    buurt: str | None = None  # BU code
    wijk: str | None = None  # WK code
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    include_confidential: bool = False
    moderation: str | None = None  # Report.Moderation value
    sort: str = "newest"  # a key of STAFF_SORTS; unknown keys sort newest first


# The orders the staff list offers; every one ends in a unique key, so pages are stable.
STAFF_SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "status": ("status", "-created_at", "-pk"),
    "category": ("category__name", "-created_at", "-pk"),
    "buurt": ("buurt__name", "-created_at", "-pk"),
    "support": ("-support_count", "-created_at", "-pk"),
}


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def report_list_for_staff(*, filters: StaffFilters) -> QuerySet[Report]:
    qs = Report.objects.select_related("category__parent", "category__theme", "buurt")
    if not filters.include_confidential:
        qs = qs.exclude(category__sensitivity=ReportCategory.Sensitivity.CONFIDENTIAL)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(
            Q(category__slug=filters.category) | Q(category__parent__slug=filters.category)
        )
    if filters.theme:
        qs = qs.filter(
            Q(category__theme__slug=filters.theme) | Q(category__theme__parent__slug=filters.theme)
        )
    if filters.buurt:
        qs = qs.filter(buurt__code=filters.buurt)
    if filters.wijk:
        qs = qs.filter(buurt__parent_code=filters.wijk)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.text:
        t = filters.text.strip()
        qs = qs.filter(
            Q(description__icontains=t)
            | Q(public_description__icontains=t)
            | Q(reference__iexact=t)
            | Q(location_description__icontains=t)
        )
    if filters.moderation:
        qs = qs.filter(moderation=filters.moderation)
    return qs.order_by(*STAFF_SORTS.get(filters.sort, STAFF_SORTS["newest"]))


def report_list_awaiting_moderation() -> QuerySet[Report]:
    """The moderation queue, oldest first: reports whose text waits for a moderator and
    could become public once moderated, i.e. in a public category, not merged into another
    report and not cancelled. Restricted and confidential texts are never published, so
    they do not wait here (moderators can still moderate them from the report)."""
    return (
        Report.objects.filter(
            moderation=Report.Moderation.PENDING,
            category__sensitivity=ReportCategory.Sensitivity.PUBLIC,
            duplicate_of__isnull=True,
        )
        .exclude(status=Report.Status.CANCELLED)
        .select_related("category__parent", "buurt")
        .order_by("created_at", "pk")
    )


def report_map_features_for_staff(
    *, filters: StaffFilters, limit: int = 5000
) -> tuple[list[dict[str, Any]], int]:
    """The staff map of a selection: GeoJSON Point features at the exact location (staff
    see exact points of the categories they may see; `filters.include_confidential`
    decides about confidential ones), at most `limit`, newest first, and the number of
    located reports in the selection. Reports placed by buurt only have no point."""
    located = report_list_for_staff(filters=filters).filter(lat__isnull=False, lon__isnull=False)
    total = located.count()
    rows = located.values(
        "uuid", "reference", "lat", "lon", "status", "category__name", "category__name_en"
    )[:limit]
    status_labels = dict(Report.Status.choices)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {
                "uuid": str(row["uuid"]),
                "reference": row["reference"],
                "status": row["status"],
                "status_label": str(status_labels.get(row["status"], row["status"])),
                "category": row["category__name"],
                "category_en": row["category__name_en"],
            },
        }
        for row in rows
    ]
    return features, total


def report_list_nearby_open(
    *,
    category: ReportCategory,
    lat: float,
    lon: float,
    radius_m: float | None = None,
    days: int | None = None,
    limit: int = 5,
) -> list[tuple[Report, float]]:
    """Open reports of the same public category near a point and recent enough to be the
    same problem, nearest first, with their distance in metres (shown before submitting)."""
    if not category.is_public:
        return []
    radius = radius_m if radius_m is not None else getattr(settings, "REPORTS_NEARBY_METERS", 150)
    days = days if days is not None else getattr(settings, "REPORTS_NEARBY_DAYS", 30)
    dlat = radius / 111_000
    dlon = radius / (111_000 * 0.6)  # cos(52°) ≈ 0.62: a slightly larger box, filtered below
    candidates = Report.objects.filter(
        category=category,
        status__in=Report.OPEN_STATUSES,
        duplicate_of__isnull=True,
        created_at__gte=timezone.now() - timedelta(days=days),
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    ).select_related("category", "buurt")
    found = []
    for report in candidates:
        d = distance_m(lat, lon, report.lat, report.lon)
        if d <= radius:
            found.append((report, d))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def report_list_open_in_buurt(
    *,
    category: ReportCategory,
    buurt: Any,
    days: int | None = None,
    limit: int = 5,
) -> list[Report]:
    """Open reports of the same public category in one buurt, recent enough to be the same
    problem, newest first: the nearby check for a resident who chose a buurt instead of a
    point on the map."""
    if not category.is_public:
        return []
    days = days if days is not None else getattr(settings, "REPORTS_NEARBY_DAYS", 30)
    return list(
        Report.objects.filter(
            category=category,
            buurt=buurt,
            status__in=Report.OPEN_STATUSES,
            duplicate_of__isnull=True,
            created_at__gte=timezone.now() - timedelta(days=days),
        )
        .select_related("category", "buurt")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class StatusStep:
    status: str
    label: str
    at: datetime


_STATUS_EVENTS = ("report.created", "report.imported", "report.status_changed", "report.merged")


def report_status_history(*, report: Report) -> list[StatusStep]:
    """The statuses a report went through, oldest first, for its tracking page: only the
    status and when, never who changed it, partners, notes or other audit details."""
    labels = dict(Report.Status.choices)
    steps: list[StatusStep] = []
    events = report.events.filter(action__in=_STATUS_EVENTS).order_by("created_at", "pk")
    for event in events.only("action", "before", "after", "created_at"):
        earlier = (event.before or {}).get("status")
        if not steps and earlier in labels:  # no intake event (e.g. data from elsewhere)
            steps.append(StatusStep(earlier, str(labels[earlier]), report.created_at))
        status = (event.after or {}).get("status")
        if status not in labels or (steps and steps[-1].status == status):
            continue
        at = report.created_at if event.action == "report.imported" else event.created_at
        steps.append(StatusStep(status=status, label=str(labels[status]), at=at))
    if not steps or steps[-1].status != report.status:
        steps.append(
            StatusStep(
                status=report.status,
                label=report.get_status_display(),
                at=report.updated_at,
            )
        )
    return steps


def report_public_messages(*, report: Report) -> QuerySet[ReportMessage]:
    """Messages from staff to the reporter (never internal notes), oldest first."""
    return report.messages.filter(kind=ReportMessage.Kind.PUBLIC).order_by("created_at", "pk")


# --- Public map and table --------------------------------------------------------------------
#
# Every public output of reports goes through `report_list_public` (or its indexed twin for the
# map) and, for counts, through `public_count` (the small-count rule, docs/reports-public-map.md).

CELL_SIZES = (100, 200, 400, 800, 1600)


def cell_size_for_zoom(zoom: int) -> int:
    """Clustering: coarser cells at lower zoom levels (Leaflet zoom)."""
    if zoom >= 16:
        return 100
    if zoom == 15:
        return 200
    if zoom == 14:
        return 400
    if zoom == 13:
        return 800
    return 1600


@dataclass(frozen=True)
class PublicFilters:
    categories: tuple[str, ...] = ()  # slugs; main categories include subcategories
    date_from: date | None = None
    date_to: date | None = None


def public_min_count() -> int:
    """k of the small-count rule: REPORTS_PUBLIC_MIN_COUNT (default 5)."""
    return max(1, int(getattr(settings, "REPORTS_PUBLIC_MIN_COUNT", 5)))


def public_count_rounding() -> int:
    """Published counts are multiples of this: REPORTS_PUBLIC_COUNT_ROUNDING (default 5;
    1 switches rounding off, which only tests should do)."""
    return max(1, int(getattr(settings, "REPORTS_PUBLIC_COUNT_ROUNDING", 5)))


def public_count(
    n: int, *, min_count: int | None = None, rounding: int | None = None
) -> int | None:
    """The small-count rule, the same for every public aggregate (map cells, counts per
    buurt, totals): 0 stays 0; 1 to k − 1 is withheld (None, shown as "<5"); larger counts
    are rounded to the nearest multiple of 5 (8 → 10, 12 → 10, 13 → 15).

    The rounding keeps withheld counts withheld: aggregates overlap (a 1600 m cell and the
    smaller cells inside it, every buurt and the total), and without rounding the difference
    between them would give a withheld count away exactly."""
    if n <= 0:
        return 0
    if n < (min_count if min_count is not None else public_min_count()):
        return None
    step = rounding if rounding is not None else public_count_rounding()
    return max(step, step * round(n / step))


def report_list_public(*, filters: PublicFilters) -> QuerySet[Report]:
    """Reports that may appear in public: public categories only (restricted and
    confidential never); not merged away; not cancelled (spam, mistakes); with a location
    (the grid cell). Reports in a category that was deactivated later stay: history keeps
    its meaning."""
    qs = Report.objects.filter(
        category__sensitivity=ReportCategory.Sensitivity.PUBLIC,
        duplicate_of__isnull=True,
        grid_x__isnull=False,
    ).exclude(status=Report.Status.CANCELLED)
    if filters.categories:
        qs = qs.filter(
            Q(category__slug__in=filters.categories)
            | Q(category__parent__slug__in=filters.categories)
        )
    return _in_period(qs, filters)


def _in_period(qs: QuerySet[Report], filters: PublicFilters) -> QuerySet[Report]:
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs


def _public_category_ids(categories: tuple[str, ...]) -> list[int]:
    qs = ReportCategory.objects.filter(sensitivity=ReportCategory.Sensitivity.PUBLIC)
    if categories:
        qs = qs.filter(Q(slug__in=categories) | Q(parent__slug__in=categories))
    return list(qs.values_list("pk", flat=True))


def _report_list_public_indexed(*, filters: PublicFilters) -> QuerySet[Report] | None:
    """The same reports as `report_list_public`, in a shape that needs no join: the public
    category ids are looked up first (a few dozen rows), so that the aggregate over the
    reports reads only the covering index `reports_public_map_idx` (grid cell, category,
    status, duplicate, created_at, support_count). None when no category matches."""
    category_ids = _public_category_ids(filters.categories)
    if not category_ids:
        return None
    qs = Report.objects.filter(
        grid_x__isnull=False,
        category_id__in=category_ids,
        duplicate_of__isnull=True,
    ).exclude(status=Report.Status.CANCELLED)
    return _in_period(qs, filters)


MAP_INDEX = "reports_public_map_idx"


def _rows_through_map_index(qs: QuerySet[Report]) -> list[tuple[Any, ...]]:
    """Run the map aggregate. PostgreSQL chooses by its statistics (ANALYZE, autovacuum).
    SQLite has none unless someone runs ANALYZE, and then takes `duplicate_of_id IS NULL` for
    a selective lookup and sorts 200k rows; it is told to use the covering index instead."""
    if connection.vendor != "sqlite":
        return list(qs)
    sql, params = qs.query.sql_with_params()
    table = connection.ops.quote_name(Report._meta.db_table)
    hinted = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {MAP_INDEX}", 1)
    if hinted == sql:  # the query no longer has that shape: run it as it is
        return list(qs)
    with connection.cursor() as cursor:
        cursor.execute(hinted, params)
        return cursor.fetchall()


def public_map_cells(*, filters: PublicFilters, cell_size: int) -> list[dict[str, Any]]:
    """Counts per grid cell, located at the cell centre: `reports` and `people` (reporters
    plus those who joined), both after the small-count rule (`public_count`): None for a
    cell with 1–4 reports, else rounded to 5.

    One aggregate per 100 m cell in the database (grouped in index order), summed up to the
    requested cell size here; cell centres are transformed all at once."""
    if cell_size not in CELL_SIZES:
        raise ValueError(cell_size)
    qs = _report_list_public_indexed(filters=filters)
    if qs is None:
        return []
    rows = _rows_through_map_index(
        qs.values("grid_x", "grid_y")
        .annotate(n=Count("*"), s=Sum("support_count"))
        .values_list("grid_x", "grid_y", "n", "s")
        .order_by()
    )
    factor = cell_size // BASE_CELL_M
    totals: dict[tuple[int, int], list[int]] = {}
    for gx, gy, n, s in rows:
        key = (gx // factor, gy // factor)
        if (total := totals.get(key)) is None:
            totals[key] = [n, n + (s or 0)]
        else:
            total[0] += n
            total[1] += n + (s or 0)
    if not totals:
        return []
    keys = sorted(totals)
    lats, lons = cell_centres_wgs84(
        np.fromiter((k[0] for k in keys), dtype=np.int64, count=len(keys)),
        np.fromiter((k[1] for k in keys), dtype=np.int64, count=len(keys)),
        size_m=cell_size,
    )
    k, step = public_min_count(), public_count_rounding()
    cells = []
    for key, lat, lon in zip(keys, lats.tolist(), lons.tolist(), strict=True):
        n, people = totals[key]
        reports = public_count(n, min_count=k, rounding=step)
        cells.append(
            {
                "lat": lat,
                "lon": lon,
                "reports": reports,
                "people": (
                    None if reports is None else public_count(people, min_count=k, rounding=step)
                ),
            }
        )
    return cells


def public_map_cells_cached(*, filters: PublicFilters, cell_size: int) -> list[dict[str, Any]]:
    """`public_map_cells` through the cache, for REPORTS_MAP_CACHE_SECONDS (default 60; 0
    switches it off): what the public map endpoint serves. The map may lag that long behind
    new reports and changes; the cells are public data, so the cache holds nothing private.
    With the per-process default cache every worker computes each filter once per period."""
    ttl = getattr(settings, "REPORTS_MAP_CACHE_SECONDS", 60)
    if ttl <= 0:
        return public_map_cells(filters=filters, cell_size=cell_size)
    raw = repr(
        (
            cell_size,
            sorted(filters.categories),
            filters.date_from,
            filters.date_to,
            public_min_count(),
            public_count_rounding(),
        )
    )
    key = "reports:map-cells:v2:" + hashlib.sha256(raw.encode()).hexdigest()
    cells = cache.get(key)
    if cells is None:
        cells = public_map_cells(filters=filters, cell_size=cell_size)
        cache.set(key, cells, ttl)
    return cells


@dataclass(frozen=True)
class PublicBuurtCount:
    """Public reports in one buurt, after the small-count rule (None = 1–4)."""

    code: str
    name: str
    reports: int | None


@dataclass(frozen=True)
class PublicBuurtSummary:
    buurten: list[PublicBuurtCount]
    total: int | None  # the small-count rule applied to the exact total

    @property
    def has_withheld(self) -> bool:
        return self.total is None or any(b.reports is None for b in self.buurten)


def public_counts_per_buurt(
    *, filters: PublicFilters, municipality_code: str
) -> PublicBuurtSummary:
    """Public reports per buurt of the municipality (latest vintage, every buurt, also those
    without reports), by name, and the total; every count after `public_count`."""
    counts: dict[int, int] = {}
    qs = _report_list_public_indexed(filters=filters)
    if qs is not None:
        counts = dict(qs.values("buurt_id").annotate(n=Count("*")).values_list("buurt_id", "n"))
    buurten = (
        Area.objects.filter(pk__in=counts)
        | area_list(level=AreaLevel.BUURT, municipality_code=municipality_code)
    ).only("code", "name")
    rows = [
        PublicBuurtCount(code=b.code, name=b.name, reports=public_count(counts.get(b.pk, 0)))
        for b in buurten
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.code))
    return PublicBuurtSummary(buurten=rows, total=public_count(sum(counts.values())))


# Cell key for grouping on one column: RD cell indexes are below 10**6 in both directions.
_PLACE_KEYS = {
    "cell": F("grid_x") * 1_000_000 + F("grid_y"),
    "buurt": F("buurt_id"),
}


def report_list_in_published_places(
    qs: QuerySet[Report], *, by: str, selection: QuerySet[Report] | None = None
) -> QuerySet[Report]:
    """The small-count rule for lists of single reports: keep only reports whose place holds
    at least k (REPORTS_PUBLIC_MIN_COUNT) reports of `selection` (default: `qs` itself, i.e.
    the same filters). `by` is the place the list publishes per report: "cell" (the 100 m
    cell, as the API list and Open311 do) or "buurt" (the table on /meldingen/). The map and
    the counts per buurt withhold such places ("<5"); a list that showed their reports one
    by one would give the withheld count away, and with it, in a quiet street, the neighbour
    who reported. `selection` must be a selection of public reports."""
    k = public_min_count()
    if k <= 1:
        return qs
    key = _PLACE_KEYS[by]
    base = selection if selection is not None else qs
    busy = (
        base.order_by()
        .annotate(place_key=key)
        .values("place_key")
        .annotate(n=Count("*"))
        .filter(n__gte=k)
        .values("place_key")
    )
    return qs.alias(place_key=key).filter(place_key__in=busy)


def public_report_rows(*, filters: PublicFilters, by: str = "cell") -> QuerySet[Report]:
    """The table alternative to the map: one row per public report, newest first; only
    reports whose place (`by`: the cell or the buurt the list shows) is published with a
    number (`report_list_in_published_places`)."""
    return (
        report_list_in_published_places(report_list_public(filters=filters), by=by)
        .select_related("category", "buurt")
        .only(
            "uuid",
            "reference",
            "created_at",
            "status",
            "moderation",
            "public_description",
            "support_count",
            "grid_x",
            "grid_y",
            "category__name",
            "category__name_en",
            "category__slug",
            "buurt__name",
            "buurt__code",
        )
        .order_by("-created_at", "-pk")
    )


def public_text(report: Report) -> str:
    """Only moderated text is ever public."""
    return report.public_description if report.moderation in PUBLIC_TEXT_STATES else ""


def public_location(report: Report) -> tuple[float, float] | None:
    if report.grid_x is None or report.grid_y is None:
        return None
    return cell_centre_wgs84(report.grid_x, report.grid_y)


# --- API and Open311 look-ups ---------------------------------------------------------------


def category_list_accepting_reports() -> list[ReportCategory]:
    """Active leaf categories (no active subcategories) under an active main category that
    accept reports, in display order, with their IVP thema and veld: what an intake channel
    such as Open311 offers as services."""
    cats = list(category_list_active().select_related("theme__parent"))
    active = {c.pk for c in cats}
    with_children = {c.parent_id for c in cats if c.parent_id}
    return [
        c
        for c in cats
        if c.accepts_reports
        and c.pk not in with_children
        and (c.parent_id is None or c.parent_id in active)
    ]


def report_get_for_staff(*, uuid: Any) -> Report:
    """One report with everything the staff detail shows; Report.DoesNotExist when unknown.
    Authorisation (view_report, view_personal_data) is the caller's job."""
    return (
        Report.objects.select_related(
            "category__parent", "category__theme", "buurt", "reporter", "duplicate_of"
        )
        .prefetch_related("messages__author", "photos")
        .get(uuid=uuid)
    )


def report_get_for_staff_by_reference(*, reference: str) -> Report:
    """The report with this reference (kenmerk, case-insensitive), as `report_get_for_staff`
    returns it; Report.DoesNotExist when unknown. Authorisation is the caller's job."""
    return (
        Report.objects.select_related("category__parent", "category__theme", "buurt")
        .filter(reference__iexact=(reference or "").strip())
        .get()
    )


def report_event_list(*, report: Report) -> QuerySet[ReportEvent]:
    """The audit log of one report, oldest first, with the staff member who acted."""
    return (
        ReportEvent.objects.filter(report=report)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def report_get_public(*, uuid: Any) -> Report:
    """A report that may appear in public (see `report_list_public`);
    Report.DoesNotExist otherwise."""
    return (
        report_list_public(filters=PublicFilters())
        .select_related("category", "buurt")
        .get(uuid=uuid)
    )


def report_list_for_open311(
    *,
    references: tuple[str, ...] = (),
    service_codes: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[Report]:
    """Open311 GET requests: public reports only (`report_list_public`), newest first.
    `references` (service_request_id) overrides the other filters; `statuses` are Open311's
    `open` / `closed`."""
    everything = report_list_public(filters=PublicFilters())
    qs = everything.select_related("category", "buurt")
    if references:
        # Asked for by id: the place rule over all public reports (a selection of the asked
        # ids alone would be a cell of one).
        return report_list_in_published_places(
            qs.filter(reference__in=references), by="cell", selection=everything
        ).order_by("-created_at", "-pk")
    if service_codes:
        qs = qs.filter(category__slug__in=service_codes)
    wanted = set(statuses)
    if wanted == {"open"}:
        qs = qs.filter(status__in=Report.OPEN_STATUSES)
    elif wanted == {"closed"}:
        qs = qs.exclude(status__in=Report.OPEN_STATUSES)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    return report_list_in_published_places(qs, by="cell").order_by("-created_at", "-pk")
