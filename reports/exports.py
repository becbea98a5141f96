"""Exports of a staff selection of reports (CSV and GeoJSON).

The caller passes a queryset from `reports.selectors.report_list_for_staff` (so the staff
filters and the confidential rule apply) and decides, from `reports.view_personal_data`,
whether personal data may be included. Without it no original text, e-mail address,
account or place description leaves the system; the exact point is included because the
export is for staff (`reports.export_reports`), never for the public.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from reports.models import Report

EXPORT_TZ = ZoneInfo("Europe/Amsterdam")

COLUMNS: tuple[str, ...] = (
    "reference",
    "created_at",
    "category_slug",
    "category_name",
    "theme_code",
    "theme_slug",
    "veld",
    "status",
    "partner",
    "closed_at",
    "buurt_code",
    "buurt_name",
    "wijk_code",
    "lat",
    "lon",
    "support_count",
    "moderation",
    "public_description",
)
PERSONAL_COLUMNS: tuple[str, ...] = (
    "description",
    "contact_email",
    "reporter_email",
    "location_description",
)
# Characters that make spreadsheet programs treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def report_export_columns(*, include_personal_data: bool) -> tuple[str, ...]:
    return COLUMNS + PERSONAL_COLUMNS if include_personal_data else COLUMNS


def _iso(value: datetime | None) -> str:
    return value.astimezone(EXPORT_TZ).isoformat() if value is not None else ""


def _prepared(reports: QuerySet[Report], *, include_personal_data: bool) -> Iterable[Report]:
    qs = reports.select_related("category__theme__parent", "buurt")
    if include_personal_data:
        qs = qs.select_related("reporter")
    return qs.iterator(chunk_size=2000)


def report_export_rows(
    *, reports: QuerySet[Report], include_personal_data: bool
) -> Iterator[dict[str, Any]]:
    """One dict per report with the export columns, in column order."""
    for report in _prepared(reports, include_personal_data=include_personal_data):
        theme = report.category.theme
        veld = theme.parent if theme is not None and theme.parent_id else theme
        row: dict[str, Any] = {
            "reference": report.reference,
            "created_at": _iso(report.created_at),
            "category_slug": report.category.slug,
            "category_name": report.category.name,
            "theme_code": theme.code if theme else "",
            "theme_slug": theme.slug if theme else "",
            "veld": veld.slug if veld else "",
            "status": report.status,
            "partner": report.partner,
            "closed_at": _iso(report.closed_at),
            "buurt_code": report.buurt.code,
            "buurt_name": report.buurt.name,
            "wijk_code": report.buurt.parent_code,
            "lat": report.lat,
            "lon": report.lon,
            "support_count": report.support_count,
            "moderation": report.moderation,
            "public_description": report.public_description,
        }
        if include_personal_data:
            row["description"] = report.description
            row["contact_email"] = report.contact_email
            row["reporter_email"] = report.reporter.email if report.reporter_id else ""
            row["location_description"] = report.location_description
        yield row


def csv_cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as text: strings starting with a formula character get
    a leading apostrophe. Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if value is None:
        return ""
    return value


def report_export_csv(*, reports: QuerySet[Report], include_personal_data: bool) -> str:
    """CSV (comma separated, UTF-8, header row) of the selection."""
    out = io.StringIO()
    columns = report_export_columns(include_personal_data=include_personal_data)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in report_export_rows(reports=reports, include_personal_data=include_personal_data):
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def report_export_geojson(*, reports: QuerySet[Report], include_personal_data: bool) -> dict:
    """A GeoJSON FeatureCollection (WGS84, exact points; geometry null for reports placed
    by buurt only) with the export columns as properties."""
    features = []
    for row in report_export_rows(reports=reports, include_personal_data=include_personal_data):
        lat, lon = row["lat"], row["lon"]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": row})
    return {"type": "FeatureCollection", "features": features}
