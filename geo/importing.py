"""Pure functions for reading CBS area and key-figure files (no ORM).

CBS files name the same thing differently per vintage (`BU_CODE`, `buurtcode`, `buurtCode`,
`statcode`, …); columns are matched on a normalised name (lower case, without `_`, `-` and
spaces) against the alias tables below. See domain.md §3.2 and §3.4.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from geo.codes import AreaLevel

RD_SRID = 28992
WGS84_SRID = 4326
SUPPRESSED_THRESHOLD = -99000  # CBS sentinels such as -99997 / -99995 (domain.md §3.4)
SUPPRESSED_MARKERS = {".", "x", "X", "geheim"}


def normalise_column(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).lower()


CODE_ALIASES: dict[str, tuple[str, ...]] = {
    AreaLevel.BUURT: ("bucode", "buurtcode", "statcode", "code"),
    AreaLevel.WIJK: ("wkcode", "wijkcode", "statcode", "code"),
    AreaLevel.GEMEENTE: ("gmcode", "gemeentecode", "statcode", "code"),
}
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    AreaLevel.BUURT: ("bunaam", "buurtnaam", "statnaam", "naam", "name"),
    AreaLevel.WIJK: ("wknaam", "wijknaam", "statnaam", "naam", "name"),
    AreaLevel.GEMEENTE: ("gmnaam", "gemeentenaam", "statnaam", "naam", "name"),
}
PARENT_ALIASES: dict[str, tuple[str, ...]] = {
    AreaLevel.BUURT: ("wkcode", "wijkcode"),
    AreaLevel.WIJK: ("gmcode", "gemeentecode"),
    AreaLevel.GEMEENTE: (),
}
YEAR_ALIASES = ("jaar", "jaargang", "peiljaar", "year")
YEARCODE_ALIASES = ("jrstatcode",)
WATER_ALIASES = ("water",)

# Population figures: counts first; old vintages publish age bands as percentages.
COUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "inhabitants": ("aantinw", "aantalinwoners", "inwoners", "inhabitants"),
    "age_0_14": ("aantalinwoners0tot15jaar", "inwoners0tot15", "age014"),
    "age_15_24": ("aantalinwoners15tot25jaar", "inwoners15tot25", "age1524"),
    "age_25_44": ("aantalinwoners25tot45jaar", "inwoners25tot45", "age2544"),
    "age_45_64": ("aantalinwoners45tot65jaar", "inwoners45tot65", "age4564"),
    "age_65_plus": ("aantalinwoners65jaarenouder", "inwoners65plus", "age65plus"),
    "men": ("aantman", "aantalmannen", "mannen", "men"),
    "women": ("aantvrouw", "aantalvrouwen", "vrouwen", "women"),
}
PERCENT_ALIASES: dict[str, tuple[str, ...]] = {
    "age_0_14": ("p0014jr", "percentagepersonen0tot15jaar"),
    "age_15_24": ("p1524jr", "percentagepersonen15tot25jaar"),
    "age_25_44": ("p2544jr", "percentagepersonen25tot45jaar"),
    "age_45_64": ("p4564jr", "percentagepersonen45tot65jaar"),
    "age_65_plus": ("p65eojr", "percentagepersonen65jaarenouder"),
}
POPULATION_CODE_ALIASES = (
    "code",
    "gwbcode",
    "gwbcode10",
    "regiocode",
    "wijkenenbuurten",
    "statcode",
    "bucode",
    "wkcode",
    "gmcode",
    "buurtcode",
    "wijkcode",
    "gemeentecode",
)


def find_column(
    columns: Iterable[str], aliases: Iterable[str], explicit: str | None = None
) -> str | None:
    """The first column matching an alias (normalised), or the explicit name when given."""
    columns = list(columns)
    if explicit:
        return explicit if explicit in columns else None
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(normalise_column(col), col)
    for alias in aliases:
        if alias in by_norm:
            return by_norm[alias]
    return None


@dataclass
class Figure:
    value: int | None
    suppressed: bool


def parse_count(raw: Any) -> Figure:
    """A CBS count: sentinel or marker → suppressed; empty → not available."""
    if raw is None:
        return Figure(None, False)
    if isinstance(raw, str):
        text = raw.strip()
        if text == "":
            return Figure(None, False)
        if text in SUPPRESSED_MARKERS:
            return Figure(None, True)
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return Figure(None, True)
    else:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return Figure(None, True)
    if math.isnan(number):
        return Figure(None, False)
    if number < 0:  # ≤ −99 000 are CBS sentinels; no count can be negative
        return Figure(None, True)
    return Figure(round(number), False)


def parse_percentage(raw: Any) -> float | None:
    fig = parse_count(raw) if not isinstance(raw, float) else None
    if isinstance(raw, float):
        return None if (math.isnan(raw) or raw < 0) else raw
    if fig is None or fig.value is None:
        return None
    try:
        return float(str(raw).replace(",", "."))
    except ValueError:
        return None


@dataclass
class PopulationFigures:
    values: dict[str, int | None] = field(default_factory=dict)
    suppressed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return all(v is None for v in self.values.values()) and not self.suppressed


def population_columns(columns: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    cols = list(columns)
    counts = {f: c for f, aliases in COUNT_ALIASES.items() if (c := find_column(cols, aliases))}
    percents = {
        f: c
        for f, aliases in PERCENT_ALIASES.items()
        if f not in counts and (c := find_column(cols, aliases))
    }
    return counts, percents


def population_from_row(
    row: dict[str, Any], counts: dict[str, str], percents: dict[str, str]
) -> PopulationFigures:
    figures = PopulationFigures()
    for fld, col in counts.items():
        fig = parse_count(row.get(col))
        figures.values[fld] = fig.value
        if fig.suppressed:
            figures.suppressed.append(fld)
    inhabitants = figures.values.get("inhabitants")
    for fld, col in percents.items():
        raw = row.get(col)
        pct = parse_percentage(raw)
        if pct is None:
            figures.values[fld] = None
            if parse_count(raw).suppressed:  # an empty cell is missing, not withheld
                figures.suppressed.append(fld)
        elif inhabitants is not None:
            figures.values[fld] = round(inhabitants * pct / 100)
        else:
            figures.values[fld] = None
    return figures


# --- Geometry ---------------------------------------------------------------------------------


def bounds_look_geographic(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def bounds_look_rd(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return -7000 <= minx <= maxx <= 300000 and 289000 <= miny <= maxy <= 629000


def polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    """Keep the polygonal part of a (repaired) geometry; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.GeometryCollection):
        parts = [g for g in geom.geoms if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
        if not parts:
            return None
        merged = shapely.union_all(parts)
        return merged if isinstance(merged, shapely.Polygon | shapely.MultiPolygon) else None
    return None


def repair(geom: shapely.Geometry) -> tuple[shapely.Geometry | None, bool]:
    """(polygonal geometry, was_repaired)."""
    if geom is None or geom.is_empty:
        return None, False
    if geom.is_valid:
        return polygonal(geom), False
    return polygonal(shapely.make_valid(geom)), True


def round_coordinates(geom: shapely.Geometry, decimals: int) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


_to_wgs84 = Transformer.from_crs(RD_SRID, WGS84_SRID, always_xy=True)
_to_rd = Transformer.from_crs(WGS84_SRID, RD_SRID, always_xy=True)


def rd_to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(_to_wgs84.transform(xy[:, 0], xy[:, 1]))
    )


def wgs84_to_rd(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.column_stack(_to_rd.transform(xy[:, 0], xy[:, 1])))


@dataclass
class PreparedGeometry:
    boundary: dict
    boundary_simplified: dict
    bounds: tuple[float, float, float, float]
    label: tuple[float, float]  # lon, lat
    area_m2: float


def prepare_geometry(geom_rd: shapely.Geometry, *, simplify_m: float = 10.0) -> PreparedGeometry:
    """From a polygon in RD metres: full and simplified WGS84 GeoJSON, bbox, label point, area."""
    simplified_rd = shapely.simplify(geom_rd, simplify_m, preserve_topology=True)
    full = round_coordinates(rd_to_wgs84(geom_rd), 7)
    simple = round_coordinates(rd_to_wgs84(simplified_rd), 5)
    label = full.representative_point() if not full.is_valid else full.point_on_surface()
    return PreparedGeometry(
        boundary=shapely.geometry.mapping(full),
        boundary_simplified=shapely.geometry.mapping(simple),
        bounds=tuple(float(v) for v in full.bounds),  # type: ignore[arg-type]
        label=(round(label.x, 6), round(label.y, 6)),
        area_m2=float(geom_rd.area),
    )


def geojson_coords_to_lists(obj: Any) -> Any:
    """shapely.mapping returns tuples; JSON columns round-trip lists. Normalise for comparison."""
    if isinstance(obj, dict):
        return {k: geojson_coords_to_lists(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [geojson_coords_to_lists(v) for v in obj]
    return obj
