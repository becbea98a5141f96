"""Pure importer helpers: column aliases, counts and sentinels, geometry repair, RD ↔ WGS84."""

import math

import numpy as np
import pytest
import shapely

from geo import importing
from geo.codes import AreaLevel
from tests.geo.builders import AMERSFOORT_RD, AMERSFOORT_WGS84, rd_bow_tie, rd_square

# --- Column aliases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "columns",
    [
        ["BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE"],  # old shapefile
        ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode"],  # recent GeoPackage
        ["buurtCode", "buurtNaam", "wijkCode"],  # camelCase JSON
        ["statcode", "statnaam", "jrstatcode"],  # PDOK gegeneraliseerd
    ],
)
def test_find_column_finds_buurt_code_and_name_when_columns_follow_a_cbs_vintage(columns):
    # given / when
    code = importing.find_column(columns, importing.CODE_ALIASES[AreaLevel.BUURT])
    name = importing.find_column(columns, importing.NAME_ALIASES[AreaLevel.BUURT])

    # then
    assert code == columns[0]
    assert name == columns[1]


def test_find_column_prefers_the_level_specific_code_when_file_has_several_code_columns():
    # given: a buurten layer also carries its wijk and gemeente codes
    columns = ["gemeentecode", "wijkcode", "buurtcode"]

    # when / then
    assert importing.find_column(columns, importing.CODE_ALIASES[AreaLevel.BUURT]) == "buurtcode"
    assert importing.find_column(columns, importing.PARENT_ALIASES[AreaLevel.BUURT]) == "wijkcode"


def test_find_column_uses_explicit_name_only_when_it_exists():
    # given
    columns = ["gebied_id", "omschrijving"]

    # when / then
    assert importing.find_column(columns, ("buurtcode",), "gebied_id") == "gebied_id"
    assert importing.find_column(columns, ("buurtcode",), "bestaat_niet") is None
    assert importing.find_column(columns, ("buurtcode",)) is None


# --- Counts and CBS sentinels -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        -99997,
        -99995,
        -99999999,
        -99997.0,
        "-99997",
        " -99995 ",
        np.int64(-99997),
        ".",
        "x",
        "X",
        "geheim",
    ],
)
def test_parse_count_marks_suppressed_when_value_is_a_cbs_sentinel_or_marker(raw):
    # given / when
    figure = importing.parse_count(raw)

    # then: NULL with a flag, never a number
    assert figure.value is None
    assert figure.suppressed is True


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan"), np.float64("nan")])
def test_parse_count_is_missing_not_suppressed_when_value_is_empty(raw):
    # given / when
    figure = importing.parse_count(raw)

    # then
    assert figure.value is None
    assert figure.suppressed is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        ("0", 0),
        (1234, 1234),
        ("1234", 1234),
        (12.0, 12),
        ("12,0", 12),
        (np.int64(730), 730),
    ],
)
def test_parse_count_returns_integer_when_value_is_a_count(raw, expected):
    # given / when
    figure = importing.parse_count(raw)

    # then
    assert figure.value == expected
    assert isinstance(figure.value, int)
    assert figure.suppressed is False


def test_population_from_row_converts_percentages_to_counts_when_only_percentages_given():
    # given: an old shapefile row
    row = {"AANT_INW": 2000, "P_00_14_JR": 15, "P_65_EO_JR": "20,5"}
    counts, percents = importing.population_columns(row)

    # when
    figures = importing.population_from_row(row, counts, percents)

    # then
    assert figures.values == {"inhabitants": 2000, "age_0_14": 300, "age_65_plus": 410}
    assert figures.suppressed == []


def test_population_columns_prefer_counts_when_both_counts_and_percentages_exist():
    # given
    columns = [
        "aantal_inwoners",
        "aantal_inwoners_0_tot_15_jaar",
        "percentage_personen_0_tot_15_jaar",
        "percentage_personen_65_jaar_en_ouder",
    ]

    # when
    counts, percents = importing.population_columns(columns)

    # then
    assert counts == {
        "inhabitants": "aantal_inwoners",
        "age_0_14": "aantal_inwoners_0_tot_15_jaar",
    }
    assert percents == {"age_65_plus": "percentage_personen_65_jaar_en_ouder"}


def test_population_from_row_flags_percentage_when_percentage_is_a_sentinel():
    # given
    row = {"AANT_INW": 2000, "P_00_14_JR": -99997, "P_65_EO_JR": "."}
    counts, percents = importing.population_columns(row)

    # when
    figures = importing.population_from_row(row, counts, percents)

    # then
    assert figures.values["age_0_14"] is None
    assert figures.values["age_65_plus"] is None
    assert sorted(figures.suppressed) == ["age_0_14", "age_65_plus"]


def test_population_from_row_leaves_percentage_unflagged_when_percentage_is_missing():
    # given: an empty cell means "not in the source", not "withheld by CBS"
    row = {"AANT_INW": 2000, "P_00_14_JR": float("nan"), "P_65_EO_JR": ""}
    counts, percents = importing.population_columns(row)

    # when
    figures = importing.population_from_row(row, counts, percents)

    # then
    assert figures.values["age_0_14"] is None
    assert figures.values["age_65_plus"] is None
    assert figures.suppressed == []


def test_population_from_row_gives_no_age_counts_when_inhabitants_are_suppressed():
    # given
    row = {"AANT_INW": -99997, "P_00_14_JR": 15}
    counts, percents = importing.population_columns(row)

    # when
    figures = importing.population_from_row(row, counts, percents)

    # then: nothing is computed from an unknown total, and nothing becomes 0
    assert figures.values == {"inhabitants": None, "age_0_14": None}
    assert figures.suppressed == ["inhabitants"]
    assert not figures.is_empty()


# --- Geometry -------------------------------------------------------------------------------


def test_repair_leaves_geometry_alone_when_it_is_valid():
    # given
    square = rd_square(0)

    # when
    fixed, repaired = importing.repair(square)

    # then
    assert repaired is False
    assert fixed.equals(square)


def test_repair_returns_valid_polygons_when_polygon_self_intersects():
    # given
    bow_tie = rd_bow_tie(0)
    assert not bow_tie.is_valid

    # when
    fixed, repaired = importing.repair(bow_tie)

    # then: two triangles with half the square's area
    assert repaired is True
    assert fixed.is_valid
    assert isinstance(fixed, shapely.MultiPolygon)
    assert fixed.area == pytest.approx(rd_square(0).area / 2)


@pytest.mark.parametrize(
    "geom",
    [
        None,
        shapely.Polygon(),
        shapely.Point(93_000, 463_000),
        shapely.LineString([(93_000, 463_000), (93_100, 463_100)]),
    ],
)
def test_repair_returns_none_when_nothing_polygonal_is_left(geom):
    # given / when
    fixed, _repaired = importing.repair(geom)

    # then
    assert fixed is None


def test_polygonal_keeps_polygons_when_geometry_is_a_mixed_collection():
    # given
    collection = shapely.GeometryCollection(
        [rd_square(0), shapely.LineString([(0, 0), (1, 1)]), rd_square(1)]
    )

    # when
    result = importing.polygonal(collection)

    # then
    assert result.area == pytest.approx(2 * rd_square(0).area)


def test_rd_to_wgs84_places_amersfoort_when_given_the_rd_origin():
    # given
    point = shapely.Point(*AMERSFOORT_RD)

    # when
    wgs = importing.rd_to_wgs84(point)

    # then
    lat, lon = AMERSFOORT_WGS84
    assert wgs.y == pytest.approx(lat, abs=1e-4)
    assert wgs.x == pytest.approx(lon, abs=1e-4)


def test_wgs84_to_rd_round_trips_within_a_millimetre_when_applied_after_rd_to_wgs84():
    # given
    square = rd_square(3, 2)

    # when
    back = importing.wgs84_to_rd(importing.rd_to_wgs84(square))

    # then
    assert np.allclose(shapely.get_coordinates(back), shapely.get_coordinates(square), atol=1e-3)


@pytest.mark.parametrize(
    ("bounds", "geographic", "rd"),
    [
        ((4.4, 52.1, 4.6, 52.2), True, False),
        ((93_000.0, 463_000.0, 94_000.0, 464_000.0), False, True),
        ((600_000.0, 5_800_000.0, 601_000.0, 5_801_000.0), False, False),  # UTM metres
    ],
)
def test_bounds_are_classified_when_coordinates_are_degrees_rd_or_other_metres(
    bounds, geographic, rd
):
    # given / when / then
    assert importing.bounds_look_geographic(bounds) is geographic
    assert importing.bounds_look_rd(bounds) is rd


def test_prepare_geometry_simplifies_and_measures_when_polygon_is_dense():
    # given: a circle of radius 150 m with 256 vertices
    circle = shapely.Point(93_500, 463_500).buffer(150, quad_segs=64)

    # when
    prepared = importing.prepare_geometry(circle, simplify_m=10)

    # then
    full = shapely.geometry.shape(prepared.boundary)
    simple = shapely.geometry.shape(prepared.boundary_simplified)
    assert shapely.get_num_coordinates(simple) < shapely.get_num_coordinates(full)
    assert full.is_valid
    assert simple.is_valid
    assert prepared.area_m2 == pytest.approx(math.pi * 150**2, rel=1e-3)
    min_lon, min_lat, max_lon, max_lat = prepared.bounds
    assert min_lon < prepared.label[0] < max_lon
    assert min_lat < prepared.label[1] < max_lat
    assert full.contains(shapely.Point(prepared.label))
