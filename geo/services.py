"""Write use cases for areas: importing boundaries and key figures, the index stamp."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from geo import importing
from geo.codes import PARENT_LEVEL, AreaLevel, code_is_valid, normalise_code, parent_code_of
from geo.exceptions import AreaImportError, PopulationImportError
from geo.index import buurt_index_clear
from geo.models import Area, AreaIndexStamp, AreaPopulation

ProgressCallback = Callable[[int, int], None]

LAYER_HINTS = {
    AreaLevel.BUURT: ("buurten", "buurt"),
    AreaLevel.WIJK: ("wijken", "wijk"),
    AreaLevel.GEMEENTE: ("gemeenten", "gemeente"),
}


def area_index_bump() -> None:
    """Mark the areas as changed: this process drops its index now, others within
    GEO_INDEX_CHECK_SECONDS."""
    stamp, _created = AreaIndexStamp.objects.get_or_create(pk=1)
    AreaIndexStamp.objects.filter(pk=stamp.pk).update(version=F("version") + 1)
    buurt_index_clear()
    transaction.on_commit(buurt_index_clear)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    repaired: int = 0
    populations: int = 0
    dry_run: bool = False
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        prefix = "dry run: " if self.dry_run else ""
        text = f"{prefix}created={self.created} updated={self.updated} skipped={self.skipped}"
        if self.repaired:
            text += f" repaired={self.repaired}"
        if self.populations:
            text += f" population_rows={self.populations}"
        return text


def _choose_layer(path: Path, level: str, layer: str | None) -> str | None:
    import pyogrio

    try:
        layers = [str(name) for name, _geom in pyogrio.list_layers(path)]
    except Exception as exc:
        raise AreaImportError(
            _("%(file)s is geen leesbaar geografisch bestand (GeoJSON, GeoPackage of shapefile).")
            % {"file": path.name}
        ) from exc
    if layer is not None:
        if layer not in layers:
            raise AreaImportError(
                _("Laag %(layer)s bestaat niet; beschikbaar: %(layers)s.")
                % {"layer": layer, "layers": ", ".join(layers)}
            )
        return layer
    if len(layers) <= 1:
        return layers[0] if layers else None
    for hint in LAYER_HINTS[level]:
        for name in layers:
            if name.lower() == hint or name.lower().startswith(hint + "_"):
                return name
    raise AreaImportError(
        _("Het bestand heeft meerdere lagen (%(layers)s); kies er een met --layer.")
        % {"layers": ", ".join(layers)}
    )


def _read_frame(path: Path, level: str, layer: str | None) -> Any:
    import geopandas as gpd

    if not path.exists():
        raise AreaImportError(_("Bestand %(file)s bestaat niet.") % {"file": str(path)})
    chosen = _choose_layer(path, level, layer)
    try:
        frame = gpd.read_file(path, layer=chosen, engine="pyogrio")
    except Exception as exc:
        raise AreaImportError(
            _("%(file)s is geen leesbaar geografisch bestand (GeoJSON, GeoPackage of shapefile).")
            % {"file": path.name}
        ) from exc
    # An empty FeatureCollection has no geometry either: report it as empty first.
    if isinstance(frame, gpd.GeoDataFrame) and len(frame) == 0:
        raise AreaImportError(_("%(file)s bevat geen gebieden.") % {"file": path.name})
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise AreaImportError(
            _("%(file)s bevat geen geometrie: dit is geen geografisch bestand.")
            % {"file": path.name}
        )
    return frame


def _to_rd(frame: Any, srid: int | None, file_name: str) -> Any:
    """Reproject to RD New; refuse metre coordinates that claim (or default) to be degrees."""
    valid = frame.geometry[~frame.geometry.isna() & ~frame.geometry.is_empty]
    bounds = tuple(float(v) for v in valid.total_bounds)
    if srid is not None:
        frame = frame.set_crs(epsg=srid, allow_override=True)
    elif frame.crs is None or frame.crs.is_geographic:
        # GeoJSON without a "crs" member is read as WGS84 (RFC 7946), so check the numbers.
        if not importing.bounds_look_geographic(bounds):
            if importing.bounds_look_rd(bounds):
                raise AreaImportError(
                    _(
                        "%(file)s geeft geen coördinatenstelsel op, maar de coördinaten zijn "
                        "meters in RD New (EPSG:28992), geen graden. Importeer opnieuw met "
                        "--srid 28992."
                    )
                    % {"file": file_name},
                    extra={"bounds": bounds},
                )
            raise AreaImportError(
                _(
                    "%(file)s geeft geen (juist) coördinatenstelsel op en de coördinaten zijn "
                    "geen graden. Geef het stelsel op met --srid (bijvoorbeeld --srid 28992)."
                )
                % {"file": file_name},
                extra={"bounds": bounds},
            )
        if frame.crs is None:
            frame = frame.set_crs(epsg=importing.WGS84_SRID)
    return frame.to_crs(epsg=importing.RD_SRID)


def _year_from_frame(frame: Any, explicit: int | None) -> int:
    if explicit is not None:
        return explicit
    cols = list(frame.columns)
    if col := importing.find_column(cols, importing.YEAR_ALIASES):
        years = {int(v) for v in frame[col].dropna().unique()}
        if len(years) == 1:
            return years.pop()
    if col := importing.find_column(cols, importing.YEARCODE_ALIASES):
        years = {str(v)[:4] for v in frame[col].dropna().unique()}
        if len(years) == 1 and (y := years.pop()).isdigit():
            return int(y)
    raise AreaImportError(
        _("Het jaar van de gebiedsindeling staat niet in het bestand; geef het op met --year.")
    )


@dataclass
class _Row:
    code: str
    name: str
    parent_code: str
    is_water: bool
    prepared: importing.PreparedGeometry
    population: importing.PopulationFigures | None


def area_import_from_file(
    *,
    path: str | Path,
    level: str,
    year: int | None = None,
    srid: int | None = None,
    layer: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    parent_field: str | None = None,
    population_year: int | None = None,
    simplify_m: float = 10.0,
    dry_run: bool = False,
    source: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import or update areas of one level from GeoJSON, GeoPackage or shapefile.

    Upserts by (code, year); validates every code before writing anything; repairs invalid
    geometry (reported as `repaired`); skips features without geometry (reported); imports
    population columns when the file has them (CBS sentinels → NULL + suppressed flag).
    """
    if level not in AreaLevel.values:
        raise AreaImportError(_("Onbekend niveau %(level)s.") % {"level": level})
    path = Path(path)
    frame = _read_frame(path, level, layer)
    columns = [c for c in frame.columns if c != frame.geometry.name]

    code_col = importing.find_column(columns, importing.CODE_ALIASES[level], code_field)
    if code_col is None:
        raise AreaImportError(
            _(
                "Geen kolom met de CBS-code gevonden (verwacht bijvoorbeeld %(aliases)s); "
                "geef de kolom op met --code-field."
            )
            % {"aliases": ", ".join(importing.CODE_ALIASES[level][:3])},
            extra={"columns": columns},
        )
    name_col = importing.find_column(columns, importing.NAME_ALIASES[level], name_field)
    if name_col is None:
        raise AreaImportError(
            _("Geen kolom met de naam gevonden; geef de kolom op met --name-field."),
            extra={"columns": columns},
        )
    parent_col = importing.find_column(columns, importing.PARENT_ALIASES[level], parent_field)
    if parent_field and parent_col is None:
        raise AreaImportError(
            _("Kolom %(col)s bestaat niet.") % {"col": parent_field}, extra={"columns": columns}
        )
    water_col = importing.find_column(columns, importing.WATER_ALIASES)
    pop_counts, pop_percents = importing.population_columns(columns)

    codes = [normalise_code(v) for v in frame[code_col]]
    bad = [c or "(leeg)" for c in codes if not code_is_valid(c, level)]
    if bad:
        pattern = {"buurt": "BU + 8", "wijk": "WK + 6", "gemeente": "GM + 4"}[level]
        raise AreaImportError(
            _(
                "%(count)d code(s) in kolom %(col)s zijn geen geldige %(level)scodes "
                "(%(pattern)s tekens), bijvoorbeeld: %(examples)s. Er is niets geïmporteerd."
            )
            % {
                "count": len(bad),
                "col": code_col,
                "level": level,
                "pattern": pattern,
                "examples": ", ".join(bad[:5]),
            },
        )
    dupes = sorted({c for c in codes if codes.count(c) > 1}) if len(set(codes)) < len(codes) else []
    if dupes:
        raise AreaImportError(
            _("Codes komen meer dan eens voor: %(codes)s. Er is niets geïmporteerd.")
            % {"codes": ", ".join(dupes[:5])}
        )

    area_year = _year_from_frame(frame, year)
    frame = _to_rd(frame, srid, path.name)

    result = ImportResult(dry_run=dry_run)
    rows: list[_Row] = []
    total = len(frame)
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    for i, (record, geom, code) in enumerate(zip(records, frame.geometry, codes, strict=True)):
        if progress and i and i % 500 == 0:
            progress(i, total)
        fixed, was_repaired = importing.repair(geom)
        if fixed is None:
            result.skipped += 1
            result.messages.append(
                _("%(code)s: geen (vlak)geometrie, overgeslagen.") % {"code": code}
            )
            continue
        if was_repaired:
            result.repaired += 1
            result.messages.append(_("%(code)s: ongeldige geometrie hersteld.") % {"code": code})
        parent = normalise_code(record.get(parent_col)) if parent_col else ""
        if not parent or not code_is_valid(parent, PARENT_LEVEL[level] or ""):
            parent = parent_code_of(code) or ""
        water = str(record.get(water_col, "")).strip().upper() == "JA" if water_col else False
        population = None
        if pop_counts or pop_percents:
            population = importing.population_from_row(record, pop_counts, pop_percents)
        rows.append(
            _Row(
                code=code,
                name=str(record.get(name_col) or code).strip(),
                parent_code=parent,
                is_water=water,
                prepared=importing.prepare_geometry(fixed, simplify_m=simplify_m),
                population=population,
            )
        )
    if progress and total:  # also when the last features were skipped
        progress(total, total)

    _upsert_areas(
        rows=rows,
        level=level,
        year=area_year,
        population_year=population_year or area_year,
        source=source or path.name,
        result=result,
        dry_run=dry_run,
    )
    return result


_AREA_FIELDS = (
    "name",
    "parent_code",
    "boundary",
    "boundary_simplified",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "label_lon",
    "label_lat",
    "area_m2",
    "is_water",
    "source",
    "level",
)


def _area_values(row: _Row, level: str, source: str) -> dict[str, Any]:
    p = row.prepared
    return {
        "level": level,
        "name": row.name,
        "parent_code": row.parent_code,
        "boundary": importing.geojson_coords_to_lists(p.boundary),
        "boundary_simplified": importing.geojson_coords_to_lists(p.boundary_simplified),
        "min_lon": p.bounds[0],
        "min_lat": p.bounds[1],
        "max_lon": p.bounds[2],
        "max_lat": p.bounds[3],
        "label_lon": p.label[0],
        "label_lat": p.label[1],
        "area_m2": p.area_m2,
        "is_water": row.is_water,
        "source": source[:300],
    }


def _upsert_areas(
    *,
    rows: list[_Row],
    level: str,
    year: int,
    population_year: int,
    source: str,
    result: ImportResult,
    dry_run: bool,
) -> None:
    with transaction.atomic():
        existing = {
            a.code: a for a in Area.objects.filter(year=year, code__in=[r.code for r in rows])
        }
        to_create: list[Area] = []
        to_update: list[Area] = []
        for row in rows:
            values = _area_values(row, level, source)
            area = existing.get(row.code)
            if area is None:
                to_create.append(Area(code=row.code, year=year, **values))
                continue
            changed = [k for k, v in values.items() if getattr(area, k) != v]
            if not changed:
                result.skipped += 1
                continue
            for k in changed:
                setattr(area, k, values[k])
            area.updated_at = timezone.now()  # bulk_update() does not apply auto_now
            to_update.append(area)
        result.created += len(to_create)
        result.updated += len(to_update)
        if dry_run:
            result.populations = sum(
                1 for r in rows if r.population and not r.population.is_empty()
            )
            transaction.set_rollback(True)
            return
        Area.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Area.objects.bulk_update(to_update, [*_AREA_FIELDS, "updated_at"], batch_size=500)
        _link_parents(codes=[r.code for r in rows], year=year)
        areas = {a.code: a for a in Area.objects.filter(year=year, code__in=[r.code for r in rows])}
        for row in rows:
            if row.population is not None and not row.population.is_empty():
                _population_upsert(
                    area=areas[row.code],
                    year=population_year,
                    figures=row.population,
                    source=source,
                )
                result.populations += 1
        area_index_bump()


def _link_parents(*, codes: list[str], year: int) -> None:
    """Point areas at their parent (same vintage, else the latest one), in both directions:
    the imported areas to their parents and waiting children to the imported areas. An area
    linked to a parent of another vintage is relinked once its own vintage arrives."""
    candidates = (
        Area.objects.exclude(parent_code="")
        .filter(Q(code__in=codes) | Q(parent_code__in=codes))
        .filter(Q(parent__isnull=True) | ~Q(parent__year=F("year")))
        .only("id", "year", "parent_code", "parent_id")
    )
    candidates = list(candidates)
    if not candidates:
        return
    parents: dict[str, dict[int, int]] = {}
    for pk, code, parent_year in Area.objects.filter(
        code__in={a.parent_code for a in candidates}
    ).values_list("id", "code", "year"):
        parents.setdefault(code, {})[parent_year] = pk
    changed = []
    for area in candidates:
        by_year = parents.get(area.parent_code)
        if not by_year:
            continue
        parent_id = by_year.get(area.year) or by_year[max(by_year)]
        if parent_id != area.parent_id:
            area.parent_id = parent_id
            changed.append(area)
    Area.objects.bulk_update(changed, ["parent"], batch_size=500)


def _population_upsert(
    *, area: Area, year: int, figures: importing.PopulationFigures, source: str
) -> bool:
    """Create or update one population row; True when it was created."""
    defaults: dict[str, Any] = dict(figures.values)
    defaults["suppressed_fields"] = sorted(set(figures.suppressed))
    defaults["source"] = source[:300]
    _obj, created = AreaPopulation.objects.update_or_create(area=area, year=year, defaults=defaults)
    return created


def population_import_from_csv(
    *,
    path: str | Path,
    year: int | None = None,
    code_field: str | None = None,
    dry_run: bool = False,
    source: str = "",
) -> ImportResult:
    """Import CBS key figures per area code from a CSV (`,` or `;` separated).

    Codes must be valid CBS codes; rows for areas that are not in the database are skipped
    and reported. Sentinels (≤ −99 000), '.' and 'x' become NULL with a suppressed flag.
    """
    path = Path(path)
    if not path.exists():
        raise PopulationImportError(_("Bestand %(file)s bestaat niet.") % {"file": str(path)})
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PopulationImportError(
            _("%(file)s is geen tekstbestand in UTF-8.") % {"file": path.name}
        ) from exc
    if not text.strip():
        raise PopulationImportError(_("%(file)s is leeg.") % {"file": path.name})
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error as exc:
        raise PopulationImportError(
            _("%(file)s is geen CSV-bestand met kolomkoppen.") % {"file": path.name}
        ) from exc
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = list(reader.fieldnames or [])
    code_col = importing.find_column(columns, importing.POPULATION_CODE_ALIASES, code_field)
    if code_col is None:
        raise PopulationImportError(
            _("Geen kolom met de CBS-code gevonden; geef de kolom op met --code-field."),
            extra={"columns": columns},
        )
    counts, percents = importing.population_columns(columns)
    if not counts:
        raise PopulationImportError(
            _("Geen kolom met inwonertallen gevonden (bijvoorbeeld aantal_inwoners)."),
            extra={"columns": columns},
        )
    year_col = importing.find_column(columns, importing.YEAR_ALIASES)
    rows = list(reader)
    if not rows:
        raise PopulationImportError(_("%(file)s bevat geen rijen.") % {"file": path.name})

    parsed: list[tuple[int, str, int, importing.PopulationFigures]] = []
    bad: list[str] = []
    for line_no, raw in enumerate(rows, start=2):
        code = normalise_code(raw.get(code_col))
        level = next((lv for lv in AreaLevel.values if code_is_valid(code, lv)), None)
        row_year = year
        if row_year is None and year_col and str(raw.get(year_col, "")).strip()[:4].isdigit():
            row_year = int(str(raw[year_col]).strip()[:4])
        if level is None:
            bad.append(f"{_('regel')} {line_no}: {code or _('(leeg)')}")
            continue
        if row_year is None:
            raise PopulationImportError(
                _("Regel %(line)d heeft geen peiljaar; geef het op met --year.") % {"line": line_no}
            )
        parsed.append(
            (line_no, code, row_year, importing.population_from_row(raw, counts, percents))
        )
    if bad:
        raise PopulationImportError(
            _(
                "%(count)d rij(en) hebben geen geldige CBS-code, bijvoorbeeld %(examples)s. "
                "Er is niets geïmporteerd."
            )
            % {"count": len(bad), "examples": "; ".join(bad[:5])}
        )

    result = ImportResult(dry_run=dry_run)
    areas: dict[str, Area] = {}
    for area in Area.objects.filter(code__in={c for _l, c, _y, _f in parsed}).order_by("year"):
        areas[area.code] = area  # latest vintage wins
    with transaction.atomic():
        for line_no, code, row_year, figures in parsed:
            area = areas.get(code)
            if area is None:
                result.skipped += 1
                result.messages.append(
                    _("regel %(line)d: gebied %(code)s bestaat niet, overgeslagen.")
                    % {"line": line_no, "code": code}
                )
                continue
            exists = AreaPopulation.objects.filter(area=area, year=row_year).exists()
            if dry_run:
                result.updated += exists
                result.created += not exists
                continue
            if _population_upsert(
                area=area, year=row_year, figures=figures, source=source or path.name
            ):
                result.created += 1
            else:
                result.updated += 1
    return result
