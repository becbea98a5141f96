"""area_import_from_file: every CBS naming vintage, reprojection, upserts, repairs, figures."""

import datetime as dt
import json

import pytest
import shapely
import time_machine

from geo.models import Area, AreaIndexStamp, AreaPopulation
from geo.selectors import area_index_version
from geo.services import area_import_from_file
from tests.geo.builders import (
    AMERSFOORT_RD,
    AMERSFOORT_WGS84,
    rd_bow_tie,
    rd_square,
    to_wgs84,
    write_geojson,
)
from tests.geo.conftest import BUURT_CODES, WIJK_CODES

pytestmark = pytest.mark.django_db


def _population(code: str) -> AreaPopulation:
    return AreaPopulation.objects.get(area__code=code)


# --- Naming vintages --------------------------------------------------------------------------


def test_import_reads_old_shapefile_when_columns_are_upper_case_abbreviations(old_shapefile):
    # given: BU_CODE, BU_NAAM, WATER, AANT_INW, P_00_14_JR … and a .prj for RD New

    # when
    result = area_import_from_file(path=old_shapefile, level="buurt", year=2019)

    # then
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    areas = {a.code: a for a in Area.objects.all()}
    assert sorted(areas) == list(BUURT_CODES)
    assert areas["BU05469000"].name == "Proefbuurt West"
    assert {a.year for a in areas.values()} == {2019}
    assert {a.parent_code for a in areas.values()} == set(WIJK_CODES)
    assert result.populations == 3


def test_import_converts_percentages_to_counts_when_old_shapefile_has_age_percentages(
    old_shapefile,
):
    # given
    area_import_from_file(path=old_shapefile, level="buurt", year=2019)

    # when
    pop = _population("BU05469000")

    # then: 2000 inhabitants, 15/10/30/25/20 %
    assert pop.year == 2019
    assert pop.inhabitants == 2000
    assert (pop.age_0_14, pop.age_15_24, pop.age_25_44, pop.age_45_64, pop.age_65_plus) == (
        300,
        200,
        600,
        500,
        400,
    )
    assert (pop.men, pop.women) == (990, 1010)
    assert pop.suppressed_fields == []


def test_import_stores_null_and_flags_when_old_shapefile_has_sentinels(old_shapefile):
    # given
    area_import_from_file(path=old_shapefile, level="buurt", year=2019)

    # when
    pop = _population("BU05469001")

    # then
    assert all(getattr(pop, f) is None for f in AreaPopulation.FIGURE_FIELDS)
    assert set(pop.suppressed_fields) == set(AreaPopulation.FIGURE_FIELDS)


def test_import_flags_water_buurt_when_water_column_says_ja(old_shapefile):
    # given / when
    area_import_from_file(path=old_shapefile, level="buurt", year=2019)

    # then
    water = dict(Area.objects.values_list("code", "is_water"))
    assert water == {"BU05469000": False, "BU05469001": False, "BU05469100": True}


def test_import_keeps_real_zero_when_count_is_zero(old_shapefile):
    # given / when
    area_import_from_file(path=old_shapefile, level="buurt", year=2019)

    # then: a real 0 is a number, not a suppressed value
    pop = _population("BU05469100")
    assert pop.inhabitants == 0
    assert pop.age_0_14 == 0
    assert pop.suppressed_fields == []


@pytest.mark.parametrize(
    ("level", "codes"),
    [("gemeente", ["GM0546"]), ("wijk", list(WIJK_CODES)), ("buurt", list(BUURT_CODES))],
)
def test_import_picks_layer_by_level_when_geopackage_has_gemeenten_wijken_buurten(
    wijkenbuurten_gpkg, level, codes
):
    # given: layers gemeenten, wijken, buurten

    # when
    result = area_import_from_file(path=wijkenbuurten_gpkg, level=level, year=2023)

    # then
    assert result.created == len(codes)
    assert sorted(Area.objects.filter(level=level).values_list("code", flat=True)) == codes


def test_import_reads_counts_and_sentinels_when_geopackage_uses_snake_case(wijkenbuurten_gpkg):
    # given / when
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023)

    # then
    known = _population("BU05469000")
    assert known.inhabitants == 1000
    assert (known.age_0_14, known.age_15_24, known.age_25_44, known.age_45_64) == (
        150,
        120,
        300,
        250,
    )
    assert (known.age_65_plus, known.men, known.women) == (180, 490, 510)
    assert known.suppressed_fields == []

    withheld = _population("BU05469001")  # -99997, -99995 and -99999999
    assert all(getattr(withheld, f) is None for f in AreaPopulation.FIGURE_FIELDS)
    assert set(withheld.suppressed_fields) == set(AreaPopulation.FIGURE_FIELDS)

    assert Area.objects.get(code="BU05469100").is_water is True
    assert not AreaPopulation.objects.filter(inhabitants__lt=0).exists()


def test_import_uses_explicit_layer_when_layer_given(wijkenbuurten_gpkg):
    # given / when
    result = area_import_from_file(
        path=wijkenbuurten_gpkg, level="buurt", year=2023, layer="buurten"
    )

    # then
    assert result.created == 3


@pytest.mark.parametrize(("level", "count"), [("buurt", 3), ("wijk", 2), ("gemeente", 1)])
def test_import_picks_layer_and_year_when_layer_names_carry_the_year(suffixed_gpkg, level, count):
    # given: layers buurten_2021, wijken_2021, gemeenten_2021 and a jaar column; no --year

    # when
    result = area_import_from_file(path=suffixed_gpkg, level=level)

    # then
    assert result.created == count
    assert set(Area.objects.values_list("year", flat=True)) == {2021}


def test_import_reads_statcode_style_when_file_is_pdok_gegeneraliseerd(data_dir):
    # given: statcode/statnaam/jrstatcode, RD New without a declared CRS

    # when
    result = area_import_from_file(
        path=data_dir / "buurten_statcode_2023_rd.geojson", level="buurt", srid=28992
    )

    # then: year from jrstatcode, parent from the code
    assert result.created == 3
    area = Area.objects.get(code="BU05469100")
    assert (area.name, area.year, area.parent_code) == ("Proefhaven", 2023, "WK054691")
    assert not AreaPopulation.objects.exists()


def test_import_reads_camel_case_when_file_comes_from_a_json_api(data_dir):
    # given: buurtCode, buurtNaam, wijkCode, aantalInwoners, jaar; WGS84

    # when
    result = area_import_from_file(path=data_dir / "buurten_camelcase_wgs84.geojson", level="buurt")

    # then
    assert result.created == 2
    west = Area.objects.get(code="BU05469000")
    assert (west.name, west.year, west.parent_code) == ("Proefbuurt West", 2024, "WK054690")
    assert _population("BU05469000").inhabitants == 1250
    oost = _population("BU05469001")
    assert oost.inhabitants is None
    assert oost.suppressed_fields == ["inhabitants"]


def test_import_uses_given_columns_when_file_has_its_own_column_names(data_dir):
    # given: gebied_id / omschrijving / hoort_bij, CRS declared in the file

    # when
    result = area_import_from_file(
        path=data_dir / "wijken_eigen_kolommen_rd.geojson",
        level="wijk",
        year=2023,
        code_field="gebied_id",
        name_field="omschrijving",
        parent_field="hoort_bij",
    )

    # then: an unusable parent value ("onbekend") falls back to the code prefix
    assert result.created == 2
    areas = {a.code: a for a in Area.objects.all()}
    assert areas["WK054690"].name == "Proefwijk"
    assert areas["WK054691"].name == "Proefhavenwijk"
    assert areas["WK054690"].parent_code == "GM0546"
    assert areas["WK054691"].parent_code == "GM0546"


def test_import_takes_parent_from_column_when_source_names_a_valid_parent(tmp_path):
    # given: a parent column that disagrees with the code prefix (the source wins)
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [({"buurtcode": "BU05469000", "buurtnaam": "A", "wijkcode": "WK054699"}, rd_square(0))],
    )

    # when
    area_import_from_file(path=path, level="buurt", year=2023, srid=28992)

    # then
    assert Area.objects.get().parent_code == "WK054699"


# --- Reprojection -----------------------------------------------------------------------------


def test_import_reprojects_rd_to_wgs84_when_file_is_in_rd_new(tmp_path):
    # given: a 2 m square centred on Amersfoort (RD origin), declared as EPSG:28992
    x, y = AMERSFOORT_RD
    path = write_geojson(
        tmp_path / "amersfoort.geojson",
        [
            (
                {"buurtcode": "BU03070000", "buurtnaam": "Centrum"},
                shapely.box(x - 1, y - 1, x + 1, y + 1),
            )
        ],
        crs_epsg=28992,
    )

    # when
    area_import_from_file(path=path, level="buurt", year=2023)

    # then
    area = Area.objects.get()
    lat, lon = AMERSFOORT_WGS84
    assert (area.min_lat + area.max_lat) / 2 == pytest.approx(lat, abs=1e-4)
    assert (area.min_lon + area.max_lon) / 2 == pytest.approx(lon, abs=1e-4)
    assert area.label_lat == pytest.approx(lat, abs=1e-4)
    assert area.label_lon == pytest.approx(lon, abs=1e-4)
    assert area.area_m2 == pytest.approx(4.0)
    ring = area.boundary["coordinates"][0]
    assert all(abs(pt[0] - lon) < 1e-4 and abs(pt[1] - lat) < 1e-4 for pt in ring)


def test_import_keeps_coordinates_when_file_is_already_wgs84(tmp_path):
    # given
    square = to_wgs84(rd_square(0))
    path = write_geojson(
        tmp_path / "wgs.geojson", [({"buurtcode": "BU05469000", "buurtnaam": "A"}, square)]
    )

    # when
    area_import_from_file(path=path, level="buurt", year=2023)

    # then: RD round trip loses less than 1e-6 degree (~ 10 cm)
    stored = shapely.geometry.shape(Area.objects.get().boundary)
    assert stored.equals_exact(square, tolerance=1e-6)
    assert Area.objects.get().area_m2 == pytest.approx(200 * 200, rel=1e-6)


def test_import_reprojects_when_srid_is_given_for_a_file_without_crs(data_dir):
    # given / when
    area_import_from_file(
        path=data_dir / "buurten_statcode_2023_rd.geojson", level="buurt", srid=28992
    )

    # then: the squares lie in Leiden, in degrees
    west = Area.objects.get(code="BU05469000")
    assert 52.15 < west.min_lat < west.max_lat < 52.16
    assert 4.48 < west.min_lon < west.max_lon < 4.49


# --- Upserts and vintages ---------------------------------------------------------------------


def test_import_skips_unchanged_areas_when_same_file_is_imported_twice(data_dir):
    # given
    path = data_dir / "buurten_statcode_2023_rd.geojson"
    first = area_import_from_file(path=path, level="buurt", srid=28992)

    # when
    second = area_import_from_file(path=path, level="buurt", srid=28992)

    # then
    assert (first.created, first.updated, first.skipped) == (3, 0, 0)
    assert (second.created, second.updated, second.skipped) == (0, 0, 3)
    assert Area.objects.count() == 3


def test_import_refreshes_updated_at_when_an_area_changed(data_dir, tmp_path):
    # given
    original = data_dir / "buurten_statcode_2023_rd.geojson"
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        area_import_from_file(path=original, level="buurt", srid=28992)
    collection = json.loads(original.read_text())
    collection["features"][0]["properties"]["statnaam"] = "Proefbuurt West (nieuw)"
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(collection))

    # when
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        result = area_import_from_file(path=changed, level="buurt", srid=28992, source="x")

    # then
    assert (result.created, result.updated) == (0, 3)  # the source changed for all three
    area = Area.objects.get(code="BU05469000")
    assert area.name == "Proefbuurt West (nieuw)"
    assert area.source == "x"
    assert area.updated_at == dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert area.created_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_import_updates_one_area_when_only_its_name_changed(data_dir, tmp_path):
    # given
    original = data_dir / "buurten_statcode_2023_rd.geojson"
    area_import_from_file(path=original, level="buurt", srid=28992, source="cbs")
    collection = json.loads(original.read_text())
    collection["features"][1]["properties"]["statnaam"] = "Oosterbuurt"
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(collection))

    # when
    result = area_import_from_file(path=changed, level="buurt", srid=28992, source="cbs")

    # then
    assert (result.created, result.updated, result.skipped) == (0, 1, 2)
    assert Area.objects.get(code="BU05469001").name == "Oosterbuurt"
    assert Area.objects.get(code="BU05469000").name == "Proefbuurt West"


def test_import_updates_boundary_when_geometry_changed(tmp_path):
    # given
    path = tmp_path / "b.geojson"
    write_geojson(path, [({"buurtcode": "BU05469000", "buurtnaam": "A"}, rd_square(0))])
    area_import_from_file(path=path, level="buurt", year=2023, srid=28992)
    before = Area.objects.get().area_m2

    # when: the buurt grows to twice its size
    write_geojson(
        path,
        [
            (
                {"buurtcode": "BU05469000", "buurtnaam": "A"},
                shapely.union_all([rd_square(0), rd_square(1)]),
            )
        ],
    )
    result = area_import_from_file(path=path, level="buurt", year=2023, srid=28992)

    # then
    assert result.updated == 1
    assert Area.objects.get().area_m2 == pytest.approx(2 * before)


def test_import_creates_new_rows_when_year_is_new(data_dir):
    # given
    path = data_dir / "buurten_statcode_2023_rd.geojson"
    area_import_from_file(path=path, level="buurt", srid=28992)

    # when
    result = area_import_from_file(path=path, level="buurt", srid=28992, year=2024)

    # then
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    assert Area.objects.filter(year=2023).count() == 3
    assert Area.objects.filter(year=2024).count() == 3


def test_import_uses_explicit_year_when_file_states_another_year(data_dir):
    # given: jrstatcode says 2023

    # when
    area_import_from_file(
        path=data_dir / "buurten_statcode_2023_rd.geojson",
        level="buurt",
        srid=28992,
        year=2020,
    )

    # then
    assert set(Area.objects.values_list("year", flat=True)) == {2020}


def test_import_stores_population_under_population_year_when_given(wijkenbuurten_gpkg):
    # given / when
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023, population_year=2024)

    # then
    assert set(AreaPopulation.objects.values_list("year", flat=True)) == {2024}
    assert set(Area.objects.values_list("year", flat=True)) == {2023}


def test_import_updates_population_rows_when_file_is_imported_again(wijkenbuurten_gpkg):
    # given
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023)

    # when
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023)

    # then
    assert AreaPopulation.objects.count() == 3


# --- Geometry problems ------------------------------------------------------------------------


def test_import_repairs_and_reports_when_polygon_self_intersects(tmp_path):
    # given
    path = write_geojson(
        tmp_path / "bowtie.geojson",
        [
            ({"buurtcode": "BU05469000", "buurtnaam": "Strik"}, rd_bow_tie(0)),
            ({"buurtcode": "BU05469001", "buurtnaam": "Vierkant"}, rd_square(1)),
        ],
    )

    # when
    result = area_import_from_file(path=path, level="buurt", year=2023, srid=28992)

    # then
    assert (result.created, result.repaired, result.skipped) == (2, 1, 0)
    assert any("BU05469000" in m for m in result.messages)
    assert "repaired=1" in result.summary()
    bow_tie = Area.objects.get(code="BU05469000")
    stored = shapely.geometry.shape(bow_tie.boundary)
    assert stored.is_valid
    assert bow_tie.area_m2 == pytest.approx(200 * 200 / 2)


def test_import_skips_and_reports_when_feature_has_no_polygon(tmp_path):
    # given
    path = write_geojson(
        tmp_path / "gaps.geojson",
        [
            ({"buurtcode": "BU05469000", "buurtnaam": "Zonder"}, None),
            ({"buurtcode": "BU05469001", "buurtnaam": "Punt"}, shapely.Point(93_300, 463_100)),
            ({"buurtcode": "BU05469100", "buurtnaam": "Goed"}, rd_square(2)),
        ],
    )

    # when
    result = area_import_from_file(path=path, level="buurt", year=2023, srid=28992)

    # then
    assert (result.created, result.skipped) == (1, 2)
    assert list(Area.objects.values_list("code", flat=True)) == ["BU05469100"]
    assert any("BU05469000" in m for m in result.messages)
    assert any("BU05469001" in m for m in result.messages)


# --- Parents ----------------------------------------------------------------------------------


def _assert_hierarchy_linked() -> None:
    buurt = Area.objects.select_related("parent__parent").get(code="BU05469000")
    assert buurt.parent is not None
    assert buurt.parent.code == "WK054690"
    assert buurt.parent.parent is not None
    assert buurt.parent.parent.code == "GM0546"
    assert Area.objects.get(code="BU05469100").parent.code == "WK054691"
    assert not Area.objects.exclude(level="gemeente").filter(parent__isnull=True).exists()


def test_import_links_parents_when_parents_are_imported_first(wijkenbuurten_gpkg):
    # given
    area_import_from_file(path=wijkenbuurten_gpkg, level="gemeente", year=2023)
    area_import_from_file(path=wijkenbuurten_gpkg, level="wijk", year=2023)

    # when
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023)

    # then
    _assert_hierarchy_linked()


def test_import_links_waiting_children_when_parents_are_imported_last(wijkenbuurten_gpkg):
    # given
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023)
    assert Area.objects.get(code="BU05469000").parent is None

    # when
    area_import_from_file(path=wijkenbuurten_gpkg, level="wijk", year=2023)
    area_import_from_file(path=wijkenbuurten_gpkg, level="gemeente", year=2023)

    # then
    _assert_hierarchy_linked()


def test_import_links_parent_of_same_vintage_when_several_vintages_exist(wijkenbuurten_gpkg):
    # given: wijken of 2022 and 2023
    area_import_from_file(path=wijkenbuurten_gpkg, level="wijk", year=2022)
    area_import_from_file(path=wijkenbuurten_gpkg, level="wijk", year=2023)

    # when
    area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2022)

    # then
    assert Area.objects.get(code="BU05469000", year=2022).parent.year == 2022


# --- Progress, dry run, index stamp -----------------------------------------------------------


def _many_buurten(n: int) -> list:
    # 40 columns of 50 m squares; codes BU0546WWBB with 12 wijken of 100 buurten.
    return [
        (
            {"buurtcode": f"BU0546{i // 100:02d}{i % 100:02d}", "buurtnaam": f"Buurt {i}"},
            rd_square(i % 40, i // 40, size=50),
        )
        for i in range(n)
    ]


def test_import_reports_progress_when_file_is_large(tmp_path):
    # given
    path = write_geojson(tmp_path / "many.geojson", _many_buurten(1200))
    calls: list[tuple[int, int]] = []

    # when
    result = area_import_from_file(
        path=path,
        level="buurt",
        year=2023,
        srid=28992,
        progress=lambda done, total: calls.append((done, total)),
    )

    # then
    assert result.created == 1200
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]


def test_import_reports_final_progress_when_last_feature_is_skipped(tmp_path):
    # given: the last of 1200 features has no geometry
    features = _many_buurten(1200)
    features[-1] = (features[-1][0], None)
    path = write_geojson(tmp_path / "many.geojson", features)
    calls: list[tuple[int, int]] = []

    # when
    result = area_import_from_file(
        path=path,
        level="buurt",
        year=2023,
        srid=28992,
        progress=lambda done, total: calls.append((done, total)),
    )

    # then
    assert (result.created, result.skipped) == (1199, 1)
    assert calls[-1] == (1200, 1200)


def test_import_writes_nothing_when_dry_run(wijkenbuurten_gpkg):
    # given
    version = area_index_version()

    # when
    result = area_import_from_file(path=wijkenbuurten_gpkg, level="buurt", year=2023, dry_run=True)

    # then
    assert result.dry_run is True
    assert (result.created, result.updated, result.populations) == (3, 0, 3)
    assert result.summary().startswith("dry run: created=3")
    assert not Area.objects.exists()
    assert not AreaPopulation.objects.exists()
    assert area_index_version() == version


def test_import_reports_updates_without_writing_when_dry_run_after_a_change(data_dir, tmp_path):
    # given
    original = data_dir / "buurten_statcode_2023_rd.geojson"
    area_import_from_file(path=original, level="buurt", srid=28992, source="cbs")
    collection = json.loads(original.read_text())
    collection["features"][1]["properties"]["statnaam"] = "Oosterbuurt"
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(collection))

    # when
    result = area_import_from_file(
        path=changed, level="buurt", srid=28992, source="cbs", dry_run=True
    )

    # then
    assert (result.created, result.updated, result.skipped) == (0, 1, 2)
    assert Area.objects.get(code="BU05469001").name == "Proefbuurt Oost"


def test_import_bumps_index_version_when_areas_were_written(data_dir):
    # given
    before = area_index_version()

    # when
    area_import_from_file(
        path=data_dir / "buurten_statcode_2023_rd.geojson", level="buurt", srid=28992
    )

    # then
    assert area_index_version() == before + 1
    assert AreaIndexStamp.objects.count() == 1
