"""Metric grids in RD New (EPSG:28992) for blurring and clustering locations.

A location is published only as the centre of its grid cell (default 100 m), never as the
exact point. Cell indices are integers `floor(x / size)`, `floor(y / size)` in RD metres.
"""

from __future__ import annotations

import math

import numpy as np
from pyproj import Transformer

_to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
_to_wgs84 = Transformer.from_crs(28992, 4326, always_xy=True)

BASE_CELL_M = 100


def rd_cell(lat: float, lon: float, *, size_m: int = BASE_CELL_M) -> tuple[int, int]:
    x, y = _to_rd.transform(lon, lat)
    return math.floor(x / size_m), math.floor(y / size_m)


def rd_cells(
    lats: np.ndarray, lons: np.ndarray, *, size_m: int = BASE_CELL_M
) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = _to_rd.transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.floor(xs / size_m).astype(np.int64), np.floor(ys / size_m).astype(np.int64)


def cell_centre_wgs84(ix: int, iy: int, *, size_m: int = BASE_CELL_M) -> tuple[float, float]:
    """(lat, lon) of the centre of a cell, rounded to 5 decimals (~1 m)."""
    lon, lat = _to_wgs84.transform((ix + 0.5) * size_m, (iy + 0.5) * size_m)
    return round(lat, 5), round(lon, 5)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x1, y1 = _to_rd.transform(lon1, lat1)
    x2, y2 = _to_rd.transform(lon2, lat2)
    return math.hypot(x2 - x1, y2 - y1)


def cell_centres_wgs84(
    ixs: np.ndarray, iys: np.ndarray, *, size_m: int = BASE_CELL_M
) -> tuple[np.ndarray, np.ndarray]:
    """`cell_centre_wgs84` for many cells in one transform: (lats, lons), rounded to 5
    decimals. Thousands of cells take about a millisecond instead of one call each."""
    xs = (np.asarray(ixs, dtype=float) + 0.5) * size_m
    ys = (np.asarray(iys, dtype=float) + 0.5) * size_m
    lons, lats = _to_wgs84.transform(xs, ys)
    return np.round(lats, 5), np.round(lons, 5)
