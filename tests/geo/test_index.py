"""geo.index: coordinate validation, the STRtree index and its per-process cache."""

import itertools
import json
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo.exceptions import (
    InvalidCoordinatesError,
    NoAreasError,
    OutsideMunicipalityError,
    SwappedCoordinatesError,
)
from geo.index import NL_BOUNDS, BuurtIndex, buurt_id_for_point, buurt_index_get, validate_wgs84
from geo.models import Area, AreaIndexStamp
from geo.services import area_import_from_file, area_index_bump
from tests.conftest import GEO_DATA
from tests.geo.builders import rd_square, to_wgs84, write_geojson
from tests.geo.factories import AreaFactory

LEIDEN = (52.158, 4.49)  # lat, lon: Leiden centre
AMSTERDAM = (52.37, 4.89)
PROPERTY = settings(max_examples=300, deadline=None, database=None)

# --- validate_wgs84 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("52.158", "4.49"), (52.158, 4.49), (np.float64(52.158), 4), (48.85, 2.35), (-33.9, 151.2)],
)
def test_validate_wgs84_returns_floats_when_coordinates_are_valid(lat, lon):
    # given / when
    result = validate_wgs84(lat, lon)

    # then
    assert result == (float(lat), float(lon))
    assert all(isinstance(v, float) for v in result)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("abc", 4.49), (None, 4.49), (52.1, []), ("", ""), ("52,158", "4,49")],
)
def test_validate_wgs84_raises_invalid_when_coordinates_are_not_numbers(lat, lon):
    # given / when
    with pytest.raises(InvalidCoordinatesError) as excinfo:
        validate_wgs84(lat, lon)

    # then
    assert excinfo.value.code == "invalid_coordinates"
    assert excinfo.value.extra == {"lat": str(lat), "lon": str(lon)}


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(math.nan, 4.49), (52.1, math.inf), (-math.inf, 4.49), ("nan", "4.49"), ("52", "inf")],
)
def test_validate_wgs84_raises_invalid_when_coordinates_are_not_finite(lat, lon):
    # given / when / then
    with pytest.raises(InvalidCoordinatesError):
        validate_wgs84(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"), [(90.0001, 4.49), (-91, 4.49), (52.1, 180.5), (52.1, -999), (999, 4.49)]
)
def test_validate_wgs84_raises_invalid_without_rd_hint_when_out_of_range(lat, lon):
    # given / when
    with pytest.raises(InvalidCoordinatesError) as excinfo:
        validate_wgs84(lat, lon)

    # then
    assert "RD" not in str(excinfo.value)
    assert excinfo.value.extra == {"lat": float(lat), "lon": float(lon)}


@pytest.mark.parametrize(("lat", "lon"), [(463_000, 93_000), (93_000, 463_000)])
def test_validate_wgs84_raises_invalid_with_rd_hint_when_values_look_like_rd_metres(lat, lon):
    # given / when
    with pytest.raises(InvalidCoordinatesError) as excinfo:
        validate_wgs84(lat, lon)

    # then
    assert "RD" in str(excinfo.value)
    assert "EPSG:28992" in str(excinfo.value)


@pytest.mark.parametrize(("lat", "lon"), [(4.49, 52.158), (6.57, 53.22), (5.39, 52.16)])
def test_validate_wgs84_raises_swapped_when_dutch_point_has_lat_and_lon_swapped(lat, lon):
    # given / when
    with pytest.raises(SwappedCoordinatesError) as excinfo:
        validate_wgs84(lat, lon)

    # then
    assert excinfo.value.code == "swapped_coordinates"
    assert excinfo.value.extra == {"lat": lat, "lon": lon}


def _in_nl(lat: float, lon: float) -> bool:
    return NL_BOUNDS[0] <= lon <= NL_BOUNDS[2] and NL_BOUNDS[1] <= lat <= NL_BOUNDS[3]


@PROPERTY
@given(
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
)
def test_validate_wgs84_accepts_or_reports_swap_when_coordinates_are_in_range(lat, lon):
    # given: any coordinate pair within WGS84 range

    # when / then: only a pair that is Dutch the other way round counts as swapped
    if not _in_nl(lat, lon) and _in_nl(lon, lat):
        with pytest.raises(SwappedCoordinatesError):
            validate_wgs84(lat, lon)
    else:
        assert validate_wgs84(lat, lon) == (lat, lon)


# --- BuurtIndex without a database ------------------------------------------------------------


@pytest.fixture(scope="module")
def leiden_geoms() -> list[shapely.Geometry]:
    """The 54 Leiden buurten, transformed from RD New to WGS84 with pyproj directly."""
    to_wgs = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    collection = json.loads((GEO_DATA / "leiden_buurten_2022_rd.geojson").read_text())
    return [
        shapely.transform(
            shapely.geometry.shape(f["geometry"]),
            lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])),
        )
        for f in collection["features"]
    ]


@pytest.fixture(scope="module")
def leiden_index(leiden_geoms) -> BuurtIndex:
    # Ids unlike the positions, so a mix-up between tree index and area id shows.
    return BuurtIndex.from_geometries(
        [1000 + 7 * i for i in range(len(leiden_geoms))], leiden_geoms, version=3
    )


def _oracle(geoms: list[shapely.Geometry], lat: float, lon: float) -> int | None:
    """Brute force: position of the first polygon that contains or touches the point."""
    hits = np.flatnonzero(
        shapely.intersects(np.asarray(geoms, dtype=object), shapely.Point(lon, lat))
    )
    return int(hits[0]) if hits.size else None


def _shared_vertices(geoms: list[shapely.Geometry]) -> list[tuple[float, float]]:
    """(lat, lon) of vertices that lie on the boundary of two or more buurten."""
    counts: dict[tuple[float, float], int] = {}
    for geom in geoms:
        for x, y in {tuple(xy) for xy in shapely.get_coordinates(geom)}:
            counts[(x, y)] = counts.get((x, y), 0) + 1
    return sorted((y, x) for (x, y), n in counts.items() if n >= 2)


def _leiden_points(margin: float = 0.01):
    min_lon, min_lat, max_lon, max_lat = 4.4404, 52.1189, 4.5241, 52.1843  # Leiden's bbox
    return st.tuples(
        st.floats(min_value=min_lat - margin, max_value=max_lat + margin),
        st.floats(min_value=min_lon - margin, max_value=max_lon + margin),
    )


def test_index_has_leiden_bounds_when_built_from_leiden_buurten(leiden_index):
    # given / when
    min_lon, min_lat, max_lon, max_lat = leiden_index.bounds

    # then
    assert len(leiden_index.geometries) == 54
    assert leiden_index.version == 3
    assert 4.43 < min_lon < 4.45
    assert 4.52 < max_lon < 4.53
    assert 52.11 < min_lat < 52.12
    assert 52.18 < max_lat < 52.19


@PROPERTY
@given(point=_leiden_points())
def test_lookup_agrees_with_lookup_many_and_brute_force_when_point_is_anywhere(
    leiden_index, leiden_geoms, point
):
    # given
    lat, lon = point

    # when
    single = leiden_index.lookup(lat, lon)
    many = leiden_index.lookup_many(np.array([lat]), np.array([lon]))

    # then
    expected = _oracle(leiden_geoms, lat, lon)
    assert single == (None if expected is None else 1000 + 7 * expected)
    assert many.tolist() == [-1 if single is None else single]


@PROPERTY
@given(points=st.lists(_leiden_points(), min_size=1, max_size=50))
def test_lookup_many_equals_lookup_per_point_when_given_a_batch(leiden_index, points):
    # given
    lats = np.array([p[0] for p in points])
    lons = np.array([p[1] for p in points])

    # when
    many = leiden_index.lookup_many(lats, lons)

    # then
    singles = [leiden_index.lookup(lat, lon) for lat, lon in points]
    assert many.tolist() == [-1 if s is None else s for s in singles]
    assert many.dtype == np.int64


def test_lookup_and_lookup_many_agree_when_point_is_a_vertex_shared_by_buurten(
    leiden_index, leiden_geoms
):
    # given: every vertex that two to four Leiden buurten share
    shared = _shared_vertices(leiden_geoms)
    assert len(shared) > 50
    lats = np.array([p[0] for p in shared])
    lons = np.array([p[1] for p in shared])

    # when
    many = leiden_index.lookup_many(lats, lons)
    singles = [leiden_index.lookup(lat, lon) for lat, lon in shared]

    # then: one answer, the first buurt in the index that has the point on its edge
    assert many.tolist() == singles
    for (lat, lon), area_id in zip(shared, singles, strict=True):
        assert area_id == 1000 + 7 * _oracle(leiden_geoms, lat, lon)


@pytest.fixture(scope="module")
def leiden_shared_segments(leiden_geoms) -> list:
    """Ring segments (in WGS84) that two Leiden buurten have in common."""
    seen: dict[frozenset, int] = {}
    for geom in leiden_geoms:
        ring = shapely.get_coordinates(geom.exterior)
        for a, b in itertools.pairwise(ring):
            key = frozenset({tuple(a), tuple(b)})
            seen[key] = seen.get(key, 0) + 1
    return sorted(tuple(sorted(k)) for k, n in seen.items() if n >= 2 and len(k) == 2)


def test_leiden_has_shared_edges_when_buurten_are_adjacent(leiden_shared_segments):
    # given / when / then: the edge test below has material to work with
    assert len(leiden_shared_segments) > 50


@PROPERTY
@given(data=st.data())
def test_lookup_and_lookup_many_agree_when_point_is_on_a_shared_leiden_edge(
    leiden_index, leiden_geoms, leiden_shared_segments, data
):
    # given: a point along a segment that two buurten have in common
    (x1, y1), (x2, y2) = data.draw(st.sampled_from(leiden_shared_segments))
    t = data.draw(st.floats(min_value=0, max_value=1))
    lat, lon = y1 + t * (y2 - y1), x1 + t * (x2 - x1)

    # when
    single = leiden_index.lookup(lat, lon)
    many = leiden_index.lookup_many(np.array([lat]), np.array([lon]))

    # then
    expected = _oracle(leiden_geoms, lat, lon)
    assert expected is not None
    assert single == 1000 + 7 * expected
    assert many.tolist() == [single]


_WEST = shapely.box(4.499, 52.0, 4.5, 52.001)
_EAST = shapely.box(4.5, 52.0, 4.501, 52.001)


@pytest.fixture(scope="module")
def two_squares() -> dict[str, BuurtIndex]:
    """Two squares sharing the edge lon = 4.5, indexed in both orders."""
    return {
        "west_first": BuurtIndex.from_geometries([1, 2], [_WEST, _EAST]),
        "east_first": BuurtIndex.from_geometries([2, 1], [_EAST, _WEST]),
    }


@PROPERTY
@given(
    lat=st.floats(min_value=52.0, max_value=52.001),
    order=st.sampled_from(["west_first", "east_first"]),
)
def test_first_polygon_wins_when_point_is_on_the_edge_of_two_squares(two_squares, lat, order):
    # given
    index = two_squares[order]
    first = int(index.area_ids[0])

    # when
    single = index.lookup(lat, 4.5)
    many = index.lookup_many(np.array([lat]), np.array([4.5]))

    # then
    assert single == first
    assert many.tolist() == [first]


@settings(max_examples=40, deadline=None, database=None)
@given(
    boxes=st.lists(
        st.tuples(st.floats(0, 0.9), st.floats(0, 0.9), st.floats(0.05, 0.5), st.floats(0.05, 0.5)),
        min_size=1,
        max_size=6,
    ),
    points=st.lists(st.tuples(st.floats(-0.1, 1.5), st.floats(-0.1, 1.5)), min_size=1, max_size=30),
)
def test_lowest_index_wins_when_polygons_overlap(boxes, points):
    # given: overlapping rectangles near Leiden, ids in reverse order of position
    geoms = [shapely.box(4.4 + x, 52.1 + y, 4.4 + x + w, 52.1 + y + h) for x, y, w, h in boxes]
    ids = list(range(len(geoms), 0, -1))
    index = BuurtIndex.from_geometries(ids, geoms)
    lats = np.array([52.1 + p[0] for p in points])
    lons = np.array([4.4 + p[1] for p in points])

    # when
    many = index.lookup_many(lats, lons)
    singles = [index.lookup(lat, lon) for lat, lon in zip(lats, lons, strict=True)]

    # then
    expected = [_oracle(geoms, lat, lon) for lat, lon in zip(lats, lons, strict=True)]
    assert singles == [None if e is None else ids[e] for e in expected]
    assert many.tolist() == [-1 if e is None else ids[e] for e in expected]


def test_lookup_finds_each_buurt_when_point_is_its_representative_point(leiden_index, leiden_geoms):
    # given
    points = [g.representative_point() for g in leiden_geoms]

    # when
    singles = [leiden_index.lookup(p.y, p.x) for p in points]
    many = leiden_index.lookup_many(
        np.array([p.y for p in points]), np.array([p.x for p in points])
    )

    # then
    expected = [1000 + 7 * i for i in range(len(leiden_geoms))]
    assert singles == expected
    assert many.tolist() == expected


@pytest.mark.parametrize("point", [AMSTERDAM, (52.13, 4.60), (0.0, 0.0), (-52.158, -4.49)])
def test_lookup_returns_none_and_minus_one_when_point_is_outside(leiden_index, point):
    # given
    lat, lon = point

    # when / then
    assert leiden_index.lookup(lat, lon) is None
    assert leiden_index.lookup_many(np.array([lat]), np.array([lon])).tolist() == [-1]


def test_lookup_many_returns_empty_array_when_no_points_given(leiden_index):
    # given / when
    result = leiden_index.lookup_many(np.array([]), np.array([]))

    # then
    assert result.shape == (0,)


def test_index_raises_no_areas_when_built_from_nothing():
    # given / when / then
    with pytest.raises(NoAreasError) as excinfo:
        BuurtIndex.from_geometries([], [])
    assert excinfo.value.http_status == 503


def test_index_from_geojson_matches_from_geometries_when_given_the_same_polygons(
    leiden_geoms, leiden_index
):
    # given
    items = [(1000 + 7 * i, shapely.geometry.mapping(g)) for i, g in enumerate(leiden_geoms)]

    # when
    index = BuurtIndex.from_geojson(items)

    # then
    lats = np.linspace(52.11, 52.19, 40)
    lons = np.linspace(4.43, 4.53, 40)
    grid_lat, grid_lon = (a.ravel() for a in np.meshgrid(lats, lons))
    assert (
        index.lookup_many(grid_lat, grid_lon).tolist()
        == leiden_index.lookup_many(grid_lat, grid_lon).tolist()
    )


# --- buurt_id_for_point and the per-process cache (database) ----------------------------------


def _point_in(area: Area) -> tuple[float, float]:
    return area.label_lat, area.label_lon


@pytest.mark.django_db
def test_buurt_id_for_point_finds_each_buurt_when_point_is_its_stored_label(leiden):
    # given
    buurten = list(Area.objects.filter(level="buurt"))
    assert len(buurten) == 54

    # when
    found = {b.pk: buurt_id_for_point(lat=b.label_lat, lon=b.label_lon) for b in buurten}

    # then
    assert all(pk == area_id for pk, area_id in found.items())


@pytest.mark.django_db
def test_buurt_id_for_point_raises_outside_when_point_is_outside_leiden(leiden):
    # given
    lat, lon = AMSTERDAM

    # when
    with pytest.raises(OutsideMunicipalityError) as excinfo:
        buurt_id_for_point(lat=lat, lon=lon)

    # then
    assert excinfo.value.extra == {"lat": lat, "lon": lon}


@pytest.mark.django_db
def test_buurt_id_for_point_validates_before_looking_up_when_coordinates_are_bad(leiden):
    # given / when / then
    with pytest.raises(SwappedCoordinatesError):
        buurt_id_for_point(lat=LEIDEN[1], lon=LEIDEN[0])
    with pytest.raises(InvalidCoordinatesError):
        buurt_id_for_point(lat="x", lon=LEIDEN[1])


@pytest.mark.django_db
def test_buurt_id_for_point_raises_no_areas_when_no_buurten_imported():
    # given: an empty database

    # when / then
    with pytest.raises(NoAreasError):
        buurt_id_for_point(lat=LEIDEN[0], lon=LEIDEN[1])


@pytest.mark.django_db
def test_index_ignores_buurten_of_other_gemeenten_when_they_are_newer(leiden, settings):
    # given: a Katwijk (GM0537) buurt of a newer vintage, just north-west of Leiden
    other = AreaFactory(code="BU05370101", year=2023, geometry_rd=rd_square(-20, 10))
    lat, lon = _point_in(other)

    # when / then: not matched, and Leiden's 2022 buurten are still used
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=lat, lon=lon)
    assert Area.objects.get(pk=buurt_id_for_point(lat=LEIDEN[0], lon=LEIDEN[1])).year == 2022
    assert len(buurt_index_get().geometries) == 54

    # when the installation serves Katwijk instead
    settings.BUURTSTEM_MUNICIPALITY_CODE = "GM0537"

    # then
    assert buurt_id_for_point(lat=lat, lon=lon) == other.pk
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=LEIDEN[0], lon=LEIDEN[1])


@pytest.mark.django_db
def test_index_uses_requested_vintage_when_year_is_given(leiden, tmp_path):
    # given: a 2023 division with a single buurt covering a 2022 buurt's label point
    old = Area.objects.get(code="BU05460000", year=2022)
    path = write_geojson(
        tmp_path / "b.geojson",
        [
            (
                {"buurtcode": "BU05469999", "buurtnaam": "Nieuw"},
                shapely.Point(old.label_lon, old.label_lat).buffer(0.001),
            )
        ],
    )
    area_import_from_file(path=path, level="buurt", year=2023)

    # when
    latest = buurt_id_for_point(lat=old.label_lat, lon=old.label_lon)
    of_2022 = buurt_id_for_point(lat=old.label_lat, lon=old.label_lon, year=2022)

    # then
    assert Area.objects.get(pk=latest).code == "BU05469999"
    assert of_2022 == old.pk


@pytest.mark.django_db
def test_lookup_sees_new_areas_when_a_changed_file_is_imported(leiden, tmp_path):
    # given: the index is built and cached
    lat, lon = LEIDEN
    before = buurt_id_for_point(lat=lat, lon=lon)
    outside = AMSTERDAM

    # when: a new vintage covers Amsterdam too (one huge buurt)
    path = write_geojson(
        tmp_path / "groot.geojson",
        [({"buurtcode": "BU05460000", "buurtnaam": "Alles"}, shapely.box(4.3, 52.0, 5.0, 52.5))],
    )
    area_import_from_file(path=path, level="buurt", year=2024)

    # then
    after = buurt_id_for_point(lat=lat, lon=lon)
    assert after != before
    assert Area.objects.get(pk=after).year == 2024
    assert buurt_id_for_point(lat=outside[0], lon=outside[1]) == after


def _move_buurt_without_signals(area: Area, geometry: shapely.Geometry) -> None:
    Area.objects.filter(pk=area.pk).update(boundary=shapely.geometry.mapping(geometry))


@pytest.mark.django_db
def test_index_is_reused_when_version_is_unchanged(settings):
    # given: a cached index, then a boundary change that nobody announces
    settings.GEO_INDEX_CHECK_SECONDS = 0
    area = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    far = to_wgs84(rd_square(30)).centroid
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)

    # when
    _move_buurt_without_signals(area, to_wgs84(rd_square(30)))

    # then: still the old boundary (the cache is real)
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)


@pytest.mark.django_db
def test_index_rebuilds_when_another_process_bumped_the_version(settings):
    # given: a cached index in this process
    settings.GEO_INDEX_CHECK_SECONDS = 0
    area = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    far = to_wgs84(rd_square(30)).centroid
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)

    # when: another process moves the buurt and bumps the stamp (no local clear)
    _move_buurt_without_signals(area, to_wgs84(rd_square(30)))
    AreaIndexStamp.objects.filter(pk=1).update(version=AreaIndexStamp.objects.get().version + 1)

    # then
    assert buurt_id_for_point(lat=far.y, lon=far.x) == area.pk


@pytest.mark.django_db
def test_index_waits_for_check_interval_when_another_process_bumped_the_version(settings):
    # given: checks only once an hour
    settings.GEO_INDEX_CHECK_SECONDS = 3600
    area = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    far = to_wgs84(rd_square(30)).centroid
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)

    # when
    _move_buurt_without_signals(area, to_wgs84(rd_square(30)))
    AreaIndexStamp.objects.filter(pk=1).update(version=AreaIndexStamp.objects.get().version + 1)

    # then: the stale index is served until the next check
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)


@pytest.mark.django_db
def test_index_rebuilds_at_once_when_area_index_bump_runs_in_this_process(settings):
    # given: even with a long check interval
    settings.GEO_INDEX_CHECK_SECONDS = 3600
    area = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    far = to_wgs84(rd_square(30)).centroid
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)
    version = AreaIndexStamp.objects.get().version

    # when
    _move_buurt_without_signals(area, to_wgs84(rd_square(30)))
    area_index_bump()

    # then
    assert AreaIndexStamp.objects.get().version == version + 1
    assert buurt_id_for_point(lat=far.y, lon=far.x) == area.pk


@pytest.mark.django_db
def test_index_rebuilds_when_an_area_is_saved_one_at_a_time(settings):
    # given
    settings.GEO_INDEX_CHECK_SECONDS = 0
    area = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    far = to_wgs84(rd_square(30)).centroid
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=far.y, lon=far.x)

    # when: an edit through the ORM (admin, shell)
    area.boundary = shapely.geometry.mapping(to_wgs84(rd_square(30)))
    area.save()

    # then
    assert buurt_id_for_point(lat=far.y, lon=far.x) == area.pk


@pytest.mark.django_db
def test_index_forgets_area_when_it_is_deleted(settings):
    # given
    settings.GEO_INDEX_CHECK_SECONDS = 0
    keep = AreaFactory(code="BU05469000", geometry_rd=rd_square(0))
    gone = AreaFactory(code="BU05469001", geometry_rd=rd_square(1))
    lat, lon = _point_in(gone)
    assert buurt_id_for_point(lat=lat, lon=lon) == gone.pk

    # when
    gone.delete()

    # then
    with pytest.raises(OutsideMunicipalityError):
        buurt_id_for_point(lat=lat, lon=lon)
    assert buurt_id_for_point(lat=keep.label_lat, lon=keep.label_lon) == keep.pk
