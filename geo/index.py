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
                InvalidCoordinatesError.default_message
                + " "
                + str(_rd_hint()),
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
class BuurtIndex:
    """Immutable index over a set of polygons with their area ids."""

    version: int
    tree: shapely.STRtree
    geometries: np.ndarray
    area_ids: np.ndarray
    bounds: tuple[float, float, float, float]

    @classmethod
    def from_geometries(
        cls, area_ids: Sequence[int], geometries: Iterable[shapely.Geometry], *, version: int = 0
    ) -> BuurtIndex:
        geoms = np.asarray(list(geometries), dtype=object)
        if len(geoms) == 0:
            raise NoAreasError()
        shapely.prepare(geoms)
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        return cls(
            version=version,
            tree=shapely.STRtree(geoms),
            geometries=geoms,
            area_ids=np.asarray(area_ids, dtype=np.int64),
            bounds=(float(minx), float(miny), float(maxx), float(maxy)),
        )

    @classmethod
    def from_geojson(
        cls, items: Iterable[tuple[int, dict]], *, version: int = 0
    ) -> BuurtIndex:
        ids, geoms = [], []
        for area_id, geometry in items:
            ids.append(area_id)
            geoms.append(shapely.geometry.shape(geometry))
        return cls.from_geometries(ids, geoms, version=version)

    def lookup(self, lat: float, lon: float) -> int | None:
        """Area id of the polygon containing (lat, lon); None when outside all of them.
        A point on a shared edge goes to the polygon that comes first in the index."""
        if not _in_box(lon, lat, self.bounds):
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
        points = shapely.points(lons, lats)
        point_idx, tree_idx = self.tree.query(points, predicate="intersects")
        if point_idx.size:
            # Several hits for one point (shared edge): the lowest tree index wins, as in lookup().
            order = np.lexsort((-tree_idx, point_idx))
            result[point_idx[order]] = self.area_ids[tree_idx[order]]
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
