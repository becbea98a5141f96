"""Bulk import of existing reports from another system (CSV or GeoJSON points).

Reading, mapping and validating happen here, without writing; the rows that pass are
stored by `reports.services.report_import_many` in one transaction. The buurt of every
point is assigned in one vectorised lookup (`BuurtIndex.lookup_many`).

Input
-----
* CSV (comma, semicolon or tab separated, UTF-8, header row) with `lat`/`lon` columns
  (decimal point or comma), or a GeoJSON FeatureCollection of Point features (WGS84, or RD
  New when the legacy `crs` member says EPSG:28992) whose properties hold the columns.
* Columns (several common names are recognised, see COLUMN_ALIASES): external id,
  category (the other system's code, mapped to our slug by the mapping CSV
  `external_code,slug`; without a mapping file the codes must be our slugs),
  created date, status, and optionally closed date, partner and
  description.
* Dates: ISO 8601 (with or without time and offset) or Dutch `dd-mm-jjjj [uu:mm[:ss]]`
  (also with `/`); without an offset they are Amsterdam time.

Every problem is reported per row (line number, field, message). Without `partial`
nothing is written when any row has an error; with it the valid rows are imported.
Rows imported from the same source before are skipped (idempotent).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from pyproj import Transformer

from core.exceptions import DomainError
from geo.index import buurt_index_get, validate_wgs84
from reports.exceptions import ReportImportError
from reports.models import Report, ReportCategory
from reports.services import (
    DESCRIPTION_MAX,
    IMPORT_EXTERNAL_ID_MAX,
    ReportImportRow,
    report_import_existing_ids,
    report_import_many,
    text_clean,
)

Status = Report.Status

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "external_id",
        "extern_id",
        "id",
        "kenmerk",
        "meldingnummer",
        "melding_id",
        "nummer",
        "service_request_id",
    ),
    "category": (
        "category",
        "categorie",
        "category_code",
        "categorie_code",
        "code",
        "service_code",
    ),
    "created": (
        "created",
        "created_at",
        "date",
        "datum",
        "datum_melding",
        "aangemaakt",
        "gemeld_op",
        "requested_datetime",
    ),
    "closed": ("closed", "closed_at", "datum_afgehandeld", "afgehandeld_op", "gesloten_op"),
    "status": ("status", "state"),
    "description": ("description", "omschrijving", "toelichting", "tekst", "text"),
    "partner": ("partner", "doorgestuurd_naar"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "long", "lng", "longitude", "lengtegraad"),
}
REQUIRED = ("external_id", "category", "created", "status")

STATUS_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("open", "nieuw", "new", "gemeld", "ontvangen", "submitted", "reported"), Status.NEW
    ),
    **dict.fromkeys(
        (
            "in behandeling",
            "in progress",
            "bezig",
            "ingepland",
            "gepland",
            "acknowledged",
            "heropend",
            "reopened",
        ),
        Status.IN_PROGRESS,
    ),
    **dict.fromkeys(
        (
            "closed",
            "afgehandeld",
            "gesloten",
            "afgesloten",
            "opgelost",
            "resolved",
            "done",
            "afgerond",
            "gereed",
        ),
        Status.RESOLVED,
    ),
    **dict.fromkeys(("doorgestuurd", "forwarded", "doorverwezen", "doorgezet"), Status.FORWARDED),
    **dict.fromkeys(
        (
            "geannuleerd",
            "cancelled",
            "canceled",
            "vervallen",
            "ingetrokken",
            "dubbel",
            "duplicate",
        ),
        Status.CANCELLED,
    ),
}

_DUTCH_DATE = re.compile(
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_rd_to_wgs84 = Transformer.from_crs(28992, 4326, always_xy=True)


@dataclass(frozen=True)
class ImportIssue:
    """A problem with one row: `line` is the CSV line (the header is line 1) or the
    GeoJSON feature number (from 1)."""

    line: int
    field: str
    message: str
    external_id: str = ""

    def __str__(self) -> str:
        ref = f" ({self.external_id})" if self.external_id else ""
        return f"{self.line}{ref} {self.field}: {self.message}"


@dataclass
class ReportImportResult:
    total: int = 0
    imported: int = 0
    valid: int = 0
    errors: list[ImportIssue] = field(default_factory=list)
    skipped: list[ImportIssue] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False

    @property
    def written(self) -> bool:
        return self.imported > 0

    def summary(self) -> str:
        if self.dry_run:
            head = f"dry run: {self.valid} of {self.total} rows would be imported"
        else:
            head = f"{self.imported} of {self.total} rows imported"
        return (
            f"{head}, {len(self.skipped)} skipped (imported before), {len(self.errors)} with errors"
        )


@dataclass
class _Raw:
    line: int
    values: dict[str, str]
    lat: Any = None
    lon: Any = None
    geometry_error: str = ""


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _canonical_columns(headers: Iterable[str]) -> dict[str, str]:
    """Map our canonical column names to the header names present in the file."""
    present = {_normalise_header(h): h for h in headers if h is not None}
    found = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in present:
                found[canonical] = present[alias]
                break
    return found


# --- Mapping ---------------------------------------------------------------------------------


def _normalise_code(value: str) -> str:
    return (value or "").strip().lower()


def category_mapping_default() -> dict[str, ReportCategory]:
    """Without a mapping file the file's category codes are our own slugs: every category
    without subcategories (active or not: history keeps its categories) maps to itself."""
    parents = set(
        ReportCategory.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)
    )
    return {_normalise_code(c.slug): c for c in ReportCategory.objects.all() if c.pk not in parents}


def category_mapping_read(*, path: str | Path) -> dict[str, ReportCategory]:
    """Read the `external_code,slug` mapping. Refuses (ReportImportError, with the line) a
    missing column, an unknown slug, a main category with subcategories and a code mapped
    to two different categories."""
    text = _read_text(path, what="mapping")
    reader = csv.DictReader(io.StringIO(text), dialect=_sniff(text))
    headers = {_normalise_header(h): h for h in reader.fieldnames or []}
    if "external_code" not in headers or "slug" not in headers:
        raise ReportImportError(
            _("Het koppelbestand heeft de kolommen external_code en slug nodig."),
            extra={"file": "mapping", "line": 1},
        )
    categories = {c.slug: c for c in ReportCategory.objects.all()}
    parents = set(
        ReportCategory.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)
    )
    mapping: dict[str, ReportCategory] = {}
    for row in reader:
        line = reader.line_num
        code = _normalise_code(row.get(headers["external_code"]) or "")
        slug = (row.get(headers["slug"]) or "").strip()
        if not code and not slug:
            continue
        category = categories.get(slug)
        problem = None
        if not code:
            problem = _("externe code ontbreekt")
        elif category is None:
            problem = _("onbekende categorie %(slug)s") % {"slug": repr(slug)}
        elif category.pk in parents:
            problem = _("%(slug)s is een hoofdcategorie; koppel aan een subcategorie") % {
                "slug": slug
            }
        elif code in mapping and mapping[code].pk != category.pk:
            problem = _("code %(code)s is al gekoppeld aan %(slug)s") % {
                "code": code,
                "slug": mapping[code].slug,
            }
        if problem:
            raise ReportImportError(
                _("Koppelbestand, regel %(line)d: %(problem)s")
                % {"line": line, "problem": problem},
                extra={"file": "mapping", "line": line},
            )
        mapping[code] = category  # type: ignore[assignment]
    if not mapping:
        raise ReportImportError(
            _("Het koppelbestand bevat geen koppelingen."), extra={"file": "mapping"}
        )
    return mapping


# --- Reading ---------------------------------------------------------------------------------


def _read_text(path: str | Path, *, what: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise ReportImportError(
            _("Bestand niet gevonden: %(path)s") % {"path": path}, extra={"file": what}
        ) from exc
    except UnicodeDecodeError as exc:
        raise ReportImportError(
            _("Het bestand is geen UTF-8-tekst."), extra={"file": what}
        ) from exc


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _rows_from_csv(text: str) -> tuple[list[_Raw], dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), dialect=_sniff(text))
    columns = _canonical_columns(reader.fieldnames or [])
    missing = [c for c in (*REQUIRED, "lat", "lon") if c not in columns]
    if missing:
        raise ReportImportError(
            _("Kolommen ontbreken: %(columns)s") % {"columns": ", ".join(missing)},
            extra={"file": "data", "missing": missing},
        )
    rows = []
    for record in reader:
        values = {
            canonical: (record.get(header) or "").strip() for canonical, header in columns.items()
        }
        if not any(values.values()):
            continue  # blank line
        rows.append(_Raw(line=reader.line_num, values=values, lat=values["lat"], lon=values["lon"]))
    return rows, columns


def _rows_from_geojson(text: str) -> tuple[list[_Raw], dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportImportError(
            _("Het bestand is geen geldige GeoJSON."), extra={"file": "data"}
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReportImportError(
            _("Verwacht een GeoJSON FeatureCollection."), extra={"file": "data"}
        )
    crs_name = str(((data.get("crs") or {}).get("properties") or {}).get("name") or "")
    rd = crs_name.endswith(("28992", "28992/"))
    if crs_name and not rd and not crs_name.endswith(("4326", "CRS84")):
        raise ReportImportError(
            _("Onbekend coördinatenstelsel %(crs)s; gebruik WGS84 of RD New.") % {"crs": crs_name},
            extra={"file": "data"},
        )
    features = data.get("features") or []
    all_keys: set[str] = set()
    for feature in features:
        all_keys.update((feature.get("properties") or {}).keys())
    columns = _canonical_columns(all_keys)
    rows = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        values = {
            canonical: "" if props.get(key) is None else str(props.get(key)).strip()
            for canonical, key in columns.items()
        }
        raw = _Raw(line=number, values=values)
        geometry = feature.get("geometry")
        if geometry is None:
            raw.lat, raw.lon = values.get("lat"), values.get("lon")
        elif geometry.get("type") != "Point" or len(geometry.get("coordinates") or []) < 2:
            raw.geometry_error = _("alleen punten (Point) kunnen worden ingelezen")
        else:
            x, y = geometry["coordinates"][:2]
            if rd:
                try:
                    x, y = _rd_to_wgs84.transform(float(x), float(y))
                except (TypeError, ValueError):
                    raw.geometry_error = _("ongeldige coördinaten")
            raw.lat, raw.lon = y, x
        rows.append(raw)
    return rows, columns


# --- Parsing one row ---------------------------------------------------------------------------


def parse_status(value: str) -> str | None:
    key = re.sub(r"[\s_\-]+", " ", (value or "").strip().lower())
    return STATUS_ALIASES.get(key)


def parse_datetime(value: str) -> datetime | None:
    """An aware datetime, or None when the text is not a date we recognise."""
    text = (value or "").strip()
    if not text:
        return None
    parsed: datetime | None = None
    match = _DUTCH_DATE.match(text)
    try:
        if match:
            parsed = datetime(  # noqa: DTZ001 (made aware below)
                int(match["y"]),
                int(match["m"]),
                int(match["d"]),
                int(match["H"] or 0),
                int(match["M"] or 0),
                int(match["S"] or 0),
            )
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def parse_coordinate(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


@dataclass
class _Parsed:
    raw: _Raw
    external_id: str
    category: ReportCategory
    created_at: datetime
    closed_at: datetime | None
    status: str
    partner: str
    description: str
    lat: float
    lon: float


def _parse_row(
    raw: _Raw,
    *,
    mapping: dict[str, ReportCategory],
    source_name: str,
    now: datetime,
    mapping_from_file: bool = True,
) -> tuple[_Parsed | None, list[ImportIssue]]:
    v = raw.values
    ext = v.get("external_id", "")
    issues: list[ImportIssue] = []

    def issue(field_name: str, message: str) -> None:
        issues.append(ImportIssue(raw.line, field_name, message, ext))

    if not ext:
        issue("external_id", _("extern kenmerk ontbreekt"))
    elif len(source_name) + 1 + len(ext) > IMPORT_EXTERNAL_ID_MAX:
        issue("external_id", _("extern kenmerk is te lang"))

    code = _normalise_code(v.get("category", ""))
    category = mapping.get(code)
    if category is None:
        issue(
            "category",
            (
                _("onbekende categorie %(code)s (niet in het koppelbestand)")
                if mapping_from_file
                else _("onbekende categorie %(code)s (geen categorie van Buurtstem)")
            )
            % {"code": repr(v.get("category", ""))},
        )

    created = parse_datetime(v.get("created", ""))
    if created is None:
        issue(
            "created",
            _("ongeldige of ontbrekende datum %(value)s") % {"value": repr(v.get("created", ""))},
        )
    elif created > now:
        issue("created", _("de datum ligt in de toekomst"))

    status = parse_status(v.get("status", ""))
    if status is None:
        issue("status", _("onbekende status %(value)s") % {"value": repr(v.get("status", ""))})

    closed = None
    if v.get("closed"):
        closed = parse_datetime(v["closed"])
        if closed is None:
            issue("closed", _("ongeldige datum %(value)s") % {"value": repr(v["closed"])})
        elif created is not None and closed < created:
            issue("closed", _("afgesloten vóór de meldingsdatum"))
        elif closed > now:
            issue("closed", _("de datum ligt in de toekomst"))

    partner = v.get("partner", "").strip().lower()
    if partner and partner not in Report.Partner.values:
        partner = Report.Partner.OVERIG

    description = ""
    try:
        description = text_clean(
            v.get("description", ""),
            field="description",
            max_length=DESCRIPTION_MAX,
            required=False,
        )
    except DomainError as exc:
        issue("description", str(exc))

    lat = lon = None
    if raw.geometry_error:
        issue("location", raw.geometry_error)
    else:
        lat, lon = parse_coordinate(raw.lat), parse_coordinate(raw.lon)
        if lat is None or lon is None:
            issue(
                "location",
                _("ongeldige of ontbrekende coördinaten (%(lat)s, %(lon)s)")
                % {"lat": raw.lat, "lon": raw.lon},
            )
        else:
            try:
                validate_wgs84(lat, lon)
            except DomainError as exc:
                issue("location", str(exc))
                lat = lon = None

    if issues:
        return None, issues
    return (
        _Parsed(
            raw=raw,
            external_id=ext,
            category=category,  # type: ignore[arg-type]
            created_at=created,  # type: ignore[arg-type]
            closed_at=closed,
            status=status,  # type: ignore[arg-type]
            partner=partner,
            description=description,
            lat=lat,  # type: ignore[arg-type]
            lon=lon,  # type: ignore[arg-type]
        ),
        [],
    )


# --- The use case ----------------------------------------------------------------------------


def report_import_from_file(
    *,
    path: str | Path,
    mapping_path: str | Path | None,
    source_name: str = "import",
    dry_run: bool = False,
    partial: bool = False,
    actor: Any = None,
    now: datetime | None = None,
) -> ReportImportResult:
    """Validate a file of reports and import it (see the module docstring). Raises
    ReportImportError for problems with the file as a whole (unreadable, columns missing,
    bad mapping); row problems are returned in the result."""
    source_name = (source_name or "").strip()
    if not _SOURCE_NAME.match(source_name):
        raise ReportImportError(
            _("De bronnaam mag letters, cijfers, punt, streepje en liggend streepje bevatten."),
            extra={"field": "source_name"},
        )
    mapping = (
        category_mapping_read(path=mapping_path)
        if mapping_path is not None
        else category_mapping_default()
    )
    text = _read_text(path, what="data")
    suffix = Path(path).suffix.lower()
    if suffix in (".geojson", ".json"):
        raws, _columns = _rows_from_geojson(text)
    elif suffix in (".csv", ".txt"):
        raws, _columns = _rows_from_csv(text)
    else:
        raise ReportImportError(_("Gebruik een .csv- of .geojson-bestand."), extra={"file": "data"})
    now = now or timezone.now()
    result = ReportImportResult(total=len(raws), dry_run=dry_run, partial=partial)

    parsed: list[_Parsed] = []
    for raw in raws:
        row, issues = _parse_row(
            raw,
            mapping=mapping,
            source_name=source_name,
            now=now,
            mapping_from_file=mapping_path is not None,
        )
        result.errors.extend(issues)
        if row is not None:
            parsed.append(row)

    # One vectorised point-in-buurt lookup for every row with valid coordinates.
    buurt_ids: list[int] = []
    if parsed:
        index = buurt_index_get()
        ids = index.lookup_many(
            np.array([p.lat for p in parsed], dtype=float),
            np.array([p.lon for p in parsed], dtype=float),
        )
        buurt_ids = ids.tolist()
    inside: list[tuple[_Parsed, int]] = []
    for row, buurt_id in zip(parsed, buurt_ids, strict=True):
        if buurt_id < 0:
            result.errors.append(
                ImportIssue(
                    row.raw.line,
                    "location",
                    _("de plek ligt niet in een buurt van de gemeente"),
                    row.external_id,
                )
            )
        else:
            inside.append((row, buurt_id))

    # Duplicates: within the file an error, imported before a skip.
    first_line: dict[str, int] = {}
    for raw in raws:
        ext = raw.values.get("external_id", "")
        if ext and ext in first_line:
            result.errors.append(
                ImportIssue(
                    raw.line,
                    "external_id",
                    _("kenmerk komt al voor op regel %(line)d") % {"line": first_line[ext]},
                    ext,
                )
            )
        elif ext:
            first_line[ext] = raw.line
    duplicate_lines = {e.line for e in result.errors if e.field == "external_id"}
    already = report_import_existing_ids(
        source_name=source_name, external_ids=[row.external_id for row, _ in inside]
    )
    todo: list[ReportImportRow] = []
    for row, buurt_id in inside:
        if row.raw.line in duplicate_lines:
            continue
        if row.external_id in already:
            result.skipped.append(
                ImportIssue(
                    row.raw.line,
                    "external_id",
                    _("al eerder ingelezen; overgeslagen"),
                    row.external_id,
                )
            )
            continue
        todo.append(
            ReportImportRow(
                external_id=row.external_id,
                category=row.category,
                buurt_id=buurt_id,
                lat=row.lat,
                lon=row.lon,
                created_at=row.created_at,
                status=row.status,
                closed_at=row.closed_at,
                partner=row.partner,
                description=row.description,
            )
        )
    result.errors.sort(key=lambda e: (e.line, e.field))
    result.valid = len(todo)
    if dry_run or (result.errors and not partial) or not todo:
        return result
    created = report_import_many(rows=todo, source_name=source_name, actor=actor)
    result.imported = len(created)
    return result
