"""In-process spatial index: which buurt contains a point.

One shapely STRtree over the buurt polygons (WGS84), built lazily per process and rebuilt when
the area version stamp changes (every import or edit bumps it). A single lookup costs a few
microseconds; `BuurtIndex.lookup_many` is vectorised for imports and batches.
See docs/adr/0001-geometry-outside-geodjango.md.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings

from geo.exceptions import (
    InvalidCoordinatesError,
    NoAreasError,
    OutsideMunicipalityError,
    SwappedCoordinatesError,
)

# A generous box around the European Netherlands (WGS84), used to recognise swapped input.
NL_BOUNDS = (3.0, 50.6, 7.4, 53.7)  # min_lon, min_lat, max_lon, max_lat


def _in_box(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def validate_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Return (lat, lon) as floats or raise a domain error that says what is wrong."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise InvalidCoordinatesError(extra={"lat": str(lat), "lon": str(lon)}) from exc
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise InvalidCoordinatesError(extra={"lat": str(lat), "lon": str(lon)})
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        if abs(lat_f) > 1000 and abs(lon_f) > 1000:
            raise InvalidCoordinatesError(
                InvalidCoordinatesError.default_message + " " + str(_rd_hint()),
                extra={"lat": lat_f, "lon": lon_f},
            )
        raise InvalidCoordinatesError(extra={"lat": lat_f, "lon": lon_f})
    if not _in_box(lon_f, lat_f, NL_BOUNDS) and _in_box(lat_f, lon_f, NL_BOUNDS):
        raise SwappedCoordinatesError(extra={"lat": lat_f, "lon": lon_f})
    return lat_f, lon_f


def _rd_hint() -> str:
    from django.utils.translation import gettext

    return gettext("Dit lijken RD-coördinaten (meters, EPSG:28992); geef WGS84-graden.")


@dataclass(frozen=True, slots=True)
class _Grid:
    """A uniform grid over the index bounds. Each cell holds the tree index of the polygon
    that contains the whole cell (in its interior), -1 when no polygon touches the cell,
    or -2 when the cell is mixed and its points need the exact test."""

    cells: np.ndarray  # int32, shape (ny, nx)
    min_x: float
    min_y: float
    dx: float
    dy: float

    MIXED = -2
    EMPTY = -1

    @classmethod
    def build(
        cls,
        tree: shapely.STRtree,
        geoms: np.ndarray,
        bounds: tuple[float, float, float, float],
        target_cells: int,
    ) -> _Grid:
        min_x, min_y, max_x, max_y = bounds
        width, height = max(max_x - min_x, 1e-9), max(max_y - min_y, 1e-9)
        nx = max(1, int(math.sqrt(target_cells * width / height)))
        ny = max(1, target_cells // nx)
        dx, dy = width / nx, height / ny
        ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
        x0 = min_x + ix.ravel() * dx
        y0 = min_y + iy.ravel() * dy
        # Cells are tested slightly enlarged, so that float rounding when a point is binned
        # can never put it in a cell whose polygon does not contain it.
        eps = max(dx, dy) * 1e-6
        boxes = shapely.box(x0 - eps, y0 - eps, x0 + dx + eps, y0 + dy + eps)
        cell_idx, tree_idx = tree.query(boxes, predicate="intersects")
        counts = np.bincount(cell_idx, minlength=nx * ny)
        cells = np.where(counts == 0, cls.EMPTY, cls.MIXED).astype(np.int32)
        single = counts[cell_idx] == 1
        c1, t1 = cell_idx[single], tree_idx[single]
        inside = shapely.contains_properly(geoms[t1], boxes[c1])
        cells[c1[inside]] = t1[inside]
        return cls(cells=cells.reshape(ny, nx), min_x=min_x, min_y=min_y, dx=dx, dy=dy)

    def cell_values(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        ny, nx = self.cells.shape
        ix = np.clip(((xs - self.min_x) / self.dx).astype(np.int64), 0, nx - 1)
        iy = np.clip(((ys - self.min_y) / self.dy).astype(np.int64), 0, ny - 1)
        return self.cells[iy, ix]

    def cell_value(self, x: float, y: float) -> int:
        ny, nx = self.cells.shape
        ix = min(max(int((x - self.min_x) / self.dx), 0), nx - 1)
        iy = min(max(int((y - self.min_y) / self.dy), 0), ny - 1)
        return int(self.cells[iy, ix])


def _grid_size(polygon_count: int) -> int:
    """About 70 cells per polygon, between 64k and 1M cells (4 MB)."""
    return min(max(70 * polygon_count, 65_536), 1_000_000)


@dataclass(frozen=True, slots=True)
class BuurtIndex:
    """Immutable index over a set of polygons with their area ids.

    Two levels: a uniform grid answers points in cells that lie wholly inside one polygon
    (most points) with array arithmetic; the STRtree with an exact intersects test answers
    the rest. Both give the same result: a point on a shared edge goes to the polygon that
    comes first in the index.
    """

    version: int
    tree: shapely.STRtree
    geometries: np.ndarray
    area_ids: np.ndarray
    bounds: tuple[float, float, float, float]
    grid: _Grid

    @classmethod
    def from_geometries(
        cls, area_ids: Sequence[int], geometries: Iterable[shapely.Geometry], *, version: int = 0
    ) -> BuurtIndex:
        geoms = np.asarray(list(geometries), dtype=object)
        if len(geoms) == 0:
            raise NoAreasError()
        shapely.prepare(geoms)
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        bounds = (float(minx), float(miny), float(maxx), float(maxy))
        tree = shapely.STRtree(geoms)
        return cls(
            version=version,
            tree=tree,
            geometries=geoms,
            area_ids=np.asarray(area_ids, dtype=np.int64),
            bounds=bounds,
            grid=_Grid.build(tree, geoms, bounds, _grid_size(len(geoms))),
        )

    @classmethod
    def from_geojson(cls, items: Iterable[tuple[int, dict]], *, version: int = 0) -> BuurtIndex:
        ids, geoms = [], []
        for area_id, geometry in items:
            ids.append(area_id)
            geoms.append(shapely.geometry.shape(geometry))
        return cls.from_geometries(ids, geoms, version=version)

    def lookup(self, lat: float, lon: float) -> int | None:
        """Area id of the polygon containing (lat, lon); None when outside all of them."""
        if not _in_box(lon, lat, self.bounds):
            return None
        cell = self.grid.cell_value(lon, lat)
        if cell >= 0:
            return int(self.area_ids[cell])
        if cell == _Grid.EMPTY:
            return None
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return int(self.area_ids[hits.min()])

    def lookup_many(self, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        """Vectorised lookup: an array of area ids, -1 where a point lies outside."""
        lats = np.asarray(lats, dtype=np.float64)
        lons = np.asarray(lons, dtype=np.float64)
        result = np.full(lats.shape[0], -1, dtype=np.int64)
        if result.size == 0:
            return result
        min_x, min_y, max_x, max_y = self.bounds
        in_box = (lons >= min_x) & (lons <= max_x) & (lats >= min_y) & (lats <= max_y)
        cells = np.full(lats.shape[0], _Grid.EMPTY, dtype=np.int32)
        cells[in_box] = self.grid.cell_values(lons[in_box], lats[in_box])
        resolved = cells >= 0
        result[resolved] = self.area_ids[cells[resolved]]
        mixed = np.nonzero(cells == _Grid.MIXED)[0]
        if mixed.size:
            result[mixed] = self._exact_many(lats[mixed], lons[mixed])
        return result

    def _exact_many(self, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        result = np.full(lats.shape[0], -1, dtype=np.int64)
        points = shapely.points(lons, lats)
        point_idx, tree_idx = self.tree.query(points, predicate="intersects")
        if point_idx.size:
            # Several hits for one point (shared edge): the lowest tree index wins, as in lookup().
            lowest = np.full(lats.shape[0], np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(lowest, point_idx, tree_idx)
            hit = lowest != np.iinfo(np.int64).max
            result[hit] = self.area_ids[lowest[hit]]
        return result


class _IndexCache:
    """Per-process cache of built indexes, keyed by (municipality, year)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[tuple[str, int | None], BuurtIndex] = {}
        self._version: int | None = None
        self._checked_at = 0.0

    def clear(self) -> None:
        with self._lock:
            self._indexes.clear()
            self._version = None
            self._checked_at = 0.0

    def get(self, municipality_code: str, year: int | None) -> BuurtIndex:
        from geo.selectors import area_index_version, buurt_boundaries_for_index

        now = time.monotonic()
        with self._lock:
            if now - self._checked_at >= settings.GEO_INDEX_CHECK_SECONDS:
                version = area_index_version()
                if version != self._version:
                    self._indexes.clear()
                    self._version = version
                self._checked_at = now
            key = (municipality_code, year)
            index = self._indexes.get(key)
            if index is None:
                rows = buurt_boundaries_for_index(municipality_code=municipality_code, year=year)
                index = BuurtIndex.from_geojson(rows, version=self._version or 0)
                self._indexes[key] = index
            return index


_cache = _IndexCache()


def buurt_index_get(*, year: int | None = None) -> BuurtIndex:
    return _cache.get(settings.BUURTSTEM_MUNICIPALITY_CODE, year)


def buurt_index_clear() -> None:
    """Drop this process's indexes (other processes notice the bumped version stamp)."""
    _cache.clear()


def buurt_id_for_point(*, lat: float, lon: float, year: int | None = None) -> int:
    """Validate a WGS84 point and return the id of the buurt that contains it."""
    lat_f, lon_f = validate_wgs84(lat, lon)
    index = buurt_index_get(year=year)
    area_id = index.lookup(lat_f, lon_f)
    if area_id is None:
        raise OutsideMunicipalityError(extra={"lat": lat_f, "lon": lon_f})
    return area_id
