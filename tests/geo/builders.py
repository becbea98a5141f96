"""Tiny area files for the importer tests, built from squares in RD New around Leiden.

GeoJSON is written as text; GeoPackages and shapefiles are written with geopandas into a
temporary directory, so no binary fixture lives in the repository.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.importing import RD_SRID, rd_to_wgs84

# Lower-left corner of the test grid, in RD New metres (Leiden's centre is ~ 93 500, 463 500).
RD_X = 93_000
RD_Y = 463_000
SIZE = 200

# Amersfoort, the origin of RD New, and its WGS84 position.
AMERSFOORT_RD = (155_000.0, 463_000.0)
AMERSFOORT_WGS84 = (52.1552, 5.3872)  # lat, lon

Feature = tuple[dict[str, Any], shapely.Geometry | None]


def rd_square(col: int, row: int = 0, size: float = SIZE) -> shapely.Polygon:
    """A square buurt in RD metres: column `col`, row `row` of the test grid."""
    x = RD_X + col * size
    y = RD_Y + row * size
    return shapely.box(x, y, x + size, y + size)


def rd_bow_tie(col: int, row: int = 0, size: float = SIZE) -> shapely.Polygon:
    """A self-intersecting (invalid) polygon: two triangles touching at the centre."""
    x = RD_X + col * size
    y = RD_Y + row * size
    return shapely.Polygon([(x, y), (x + size, y + size), (x + size, y), (x, y + size)])


def to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    return rd_to_wgs84(geom)


def feature_collection(features: Sequence[Feature], *, crs_epsg: int | None = None) -> dict:
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": None if geom is None else shapely.geometry.mapping(geom),
            }
            for props, geom in features
        ],
    }
    if crs_epsg is not None:
        # The pre-RFC 7946 "crs" member, as older CBS/PDOK exports carry it.
        collection["crs"] = {
            "type": "name",
            "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs_epsg}"},
        }
    return collection


def write_geojson(path: Path, features: Sequence[Feature], *, crs_epsg: int | None = None) -> Path:
    path.write_text(json.dumps(feature_collection(features, crs_epsg=crs_epsg)), encoding="utf-8")
    return path


def write_frame(
    path: Path,
    features: Sequence[Feature],
    *,
    crs_epsg: int | None = RD_SRID,
    layer: str | None = None,
    driver: str | None = None,
) -> Path:
    """Write features with geopandas (GeoPackage layer, shapefile, …)."""
    records = [props for props, _geom in features]
    geoms = [geom for _props, geom in features]
    frame = gpd.GeoDataFrame(records, geometry=geoms, crs=f"EPSG:{crs_epsg}" if crs_epsg else None)
    frame.to_file(path, layer=layer, driver=driver, engine="pyogrio")
    return path


def write_csv(path: Path, lines: Sequence[str], *, bom: bool = False) -> Path:
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def statcode_buurten(codes: Sequence[str], *, year: int = 2023) -> list[Feature]:
    """Buurten in the PDOK "gegeneraliseerd" style (statcode, statnaam, jrstatcode)."""
    return [
        (
            {
                "statcode": code,
                "jrstatcode": f"{year}{code}",
                "statnaam": f"Buurt {code[-4:]}",
                "rubriek": "buurt",
            },
            rd_square(i),
        )
        for i, code in enumerate(codes)
    ]


def vertex_count(geometry: dict) -> int:
    return int(shapely.get_num_coordinates(shapely.geometry.shape(geometry)))
