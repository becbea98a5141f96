"""area_import_from_file refuses bad files with a clear AreaImportError and imports nothing."""

import pytest
import shapely

from geo.exceptions import AreaImportError
from geo.models import Area, AreaPopulation
from geo.selectors import area_index_version
from geo.services import area_import_from_file
from tests.geo.builders import (
    rd_square,
    statcode_buurten,
    to_wgs84,
    write_csv,
    write_frame,
    write_geojson,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(data_dir):
    """Three areas already in the database; a refused import must leave them alone."""
    area_import_from_file(
        path=data_dir / "buurten_statcode_2023_rd.geojson", level="buurt", srid=28992
    )
    return {
        "areas": sorted(Area.objects.values_list("code", "year", "name")),
        "version": area_index_version(),
    }


def _assert_nothing_imported(existing) -> None:
    assert sorted(Area.objects.values_list("code", "year", "name")) == existing["areas"]
    assert not AreaPopulation.objects.exists()
    assert area_index_version() == existing["version"]


def _refused(**kwargs) -> str:
    with pytest.raises(AreaImportError) as excinfo:
        area_import_from_file(**kwargs)
    assert excinfo.value.code == "area_import_invalid"
    return str(excinfo.value)


# --- Not a usable file ------------------------------------------------------------------------


def test_import_refuses_when_file_does_not_exist(existing, tmp_path):
    # given
    path = tmp_path / "bestaat_niet.geojson"

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "bestaat niet" in message
    assert "bestaat_niet.geojson" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_file_is_a_csv_without_geometry(existing, tmp_path):
    # given
    path = write_csv(tmp_path / "kerncijfers.csv", ["buurtcode,buurtnaam", "BU05469200,X"])

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "kerncijfers.csv" in message
    assert "geen geometrie" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_file_is_plain_text(existing, tmp_path):
    # given
    path = tmp_path / "notities.txt"
    path.write_text("Dit is geen kaart.\n")

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "notities.txt" in message
    assert "geen leesbaar geografisch bestand" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_feature_collection_is_empty(existing, tmp_path):
    # given
    path = write_geojson(tmp_path / "leeg.geojson", [])

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "leeg.geojson" in message
    assert "geen gebieden" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_level_is_unknown(existing, data_dir):
    # given / when
    message = _refused(
        path=data_dir / "buurten_statcode_2023_rd.geojson", level="provincie", srid=28992
    )

    # then
    assert "provincie" in message
    _assert_nothing_imported(existing)


# --- Columns and codes ------------------------------------------------------------------------


def test_import_refuses_when_no_code_column_is_found(existing, data_dir):
    # given: gebied_id is not a known alias

    # when
    message = _refused(path=data_dir / "wijken_eigen_kolommen_rd.geojson", level="wijk", year=2023)

    # then
    assert "--code-field" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_explicit_code_field_does_not_exist(existing, data_dir):
    # given / when
    with pytest.raises(AreaImportError) as excinfo:
        area_import_from_file(
            path=data_dir / "wijken_eigen_kolommen_rd.geojson",
            level="wijk",
            year=2023,
            code_field="wijkcode",
        )

    # then: the error lists the columns the file does have
    assert "--code-field" in str(excinfo.value)
    assert "gebied_id" in excinfo.value.extra["columns"]
    _assert_nothing_imported(existing)


def test_import_refuses_when_no_name_column_is_found(existing, tmp_path):
    # given
    path = write_geojson(tmp_path / "b.geojson", [({"buurtcode": "BU05469200"}, rd_square(0))])

    # when
    message = _refused(path=path, level="buurt", year=2023, srid=28992)

    # then
    assert "--name-field" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_explicit_parent_field_does_not_exist(existing, data_dir):
    # given / when
    message = _refused(
        path=data_dir / "wijken_eigen_kolommen_rd.geojson",
        level="wijk",
        year=2023,
        code_field="gebied_id",
        name_field="omschrijving",
        parent_field="gemeente",
    )

    # then
    assert "gemeente" in message
    _assert_nothing_imported(existing)


@pytest.mark.parametrize(
    "bad_code",
    ["BU123", "BU054692000", "WK054692", "GM0546", "", "BU-0546920"],
)
def test_import_refuses_all_when_one_code_is_not_a_valid_buurt_code(existing, tmp_path, bad_code):
    # given: two good buurten and one bad code
    features = statcode_buurten(["BU05469200", "BU05469201", bad_code])
    path = write_geojson(tmp_path / "b.geojson", features)

    # when
    message = _refused(path=path, level="buurt", srid=28992)

    # then
    assert "geen geldige buurtcodes" in message
    assert (bad_code or "(leeg)") in message
    assert "statcode" in message
    assert "niets geïmporteerd" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_buurt_file_is_imported_as_wijken(existing, data_dir):
    # given / when
    message = _refused(path=data_dir / "buurten_statcode_2023_rd.geojson", level="wijk", srid=28992)

    # then
    assert "geen geldige wijkcodes" in message
    assert "BU05469000" in message
    _assert_nothing_imported(existing)


def test_import_accepts_codes_when_codes_are_lower_case_or_padded(tmp_path):
    # given
    features = statcode_buurten([" bu05469200", "BU05469201  ", "bU05469a01"])
    path = write_geojson(tmp_path / "b.geojson", features)

    # when
    result = area_import_from_file(path=path, level="buurt", srid=28992)

    # then
    assert result.created == 3
    assert sorted(Area.objects.values_list("code", flat=True)) == [
        "BU05469200",
        "BU05469201",
        "BU05469A01",
    ]


def test_import_refuses_when_codes_are_duplicated(existing, tmp_path):
    # given: the same code twice, once in lower case
    features = statcode_buurten(["BU05469200", "bu05469200", "BU05469201"])
    path = write_geojson(tmp_path / "b.geojson", features)

    # when
    message = _refused(path=path, level="buurt", srid=28992)

    # then
    assert "meer dan eens" in message
    assert "BU05469200" in message
    _assert_nothing_imported(existing)


# --- Coordinate reference system --------------------------------------------------------------


def test_import_refuses_with_srid_hint_when_rd_metres_have_no_crs(existing, tmp_path):
    # given: RD metres in a GeoJSON without a "crs" member (read as WGS84 by default)
    path = write_geojson(tmp_path / "rd.geojson", statcode_buurten(["BU05469200"]))

    # when
    with pytest.raises(AreaImportError) as excinfo:
        area_import_from_file(path=path, level="buurt")

    # then
    assert "--srid 28992" in str(excinfo.value)
    assert "RD New" in str(excinfo.value)
    minx, miny, _maxx, _maxy = excinfo.value.extra["bounds"]
    assert (minx, miny) == (93_000, 463_000)
    _assert_nothing_imported(existing)


def test_import_refuses_when_file_declares_degrees_but_holds_rd_metres(existing, tmp_path):
    # given: a GeoPackage that claims EPSG:4326
    path = write_frame(
        tmp_path / "b.gpkg", statcode_buurten(["BU05469200"]), crs_epsg=4326, layer="buurten"
    )

    # when
    message = _refused(path=path, level="buurt")

    # then
    assert "--srid 28992" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_metres_are_not_rd(existing, tmp_path):
    # given: UTM 31N metres, no CRS declared
    utm = shapely.box(600_000, 5_800_000, 600_200, 5_800_200)
    path = write_geojson(
        tmp_path / "utm.geojson", [({"buurtcode": "BU05469200", "buurtnaam": "X"}, utm)]
    )

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "geen graden" in message
    assert "--srid" in message
    assert "RD New (EPSG:28992), geen graden" not in message  # not mistaken for RD
    _assert_nothing_imported(existing)


def test_import_accepts_rd_when_file_declares_rd_in_its_crs_member(tmp_path):
    # given
    path = write_geojson(tmp_path / "rd.geojson", statcode_buurten(["BU05469200"]), crs_epsg=28992)

    # when
    result = area_import_from_file(path=path, level="buurt")

    # then
    assert result.created == 1
    assert 52.1 < Area.objects.get().min_lat < 52.2


def test_import_accepts_wgs84_when_file_has_no_crs_but_degrees(tmp_path):
    # given
    path = write_geojson(
        tmp_path / "wgs.geojson",
        [({"buurtcode": "BU05469200", "buurtnaam": "X"}, to_wgs84(rd_square(0)))],
    )

    # when
    result = area_import_from_file(path=path, level="buurt", year=2023)

    # then
    assert result.created == 1


# --- Layers and years -------------------------------------------------------------------------


def test_import_refuses_when_geopackage_layers_are_ambiguous(existing, ambiguous_gpkg):
    # given: layers indeling_a and indeling_b

    # when
    message = _refused(path=ambiguous_gpkg, level="buurt", year=2023)

    # then
    assert "--layer" in message
    assert "indeling_a" in message
    assert "indeling_b" in message
    _assert_nothing_imported(existing)


def test_import_uses_chosen_layer_when_layers_are_ambiguous(ambiguous_gpkg):
    # given / when
    result = area_import_from_file(
        path=ambiguous_gpkg, level="buurt", year=2023, layer="indeling_b", name_field="buurtcode"
    )

    # then
    assert result.created == 3


def test_import_refuses_when_chosen_layer_does_not_exist(existing, wijkenbuurten_gpkg):
    # given / when
    message = _refused(path=wijkenbuurten_gpkg, level="buurt", year=2023, layer="buurten_2024")

    # then: the message lists what is there
    assert "buurten_2024" in message
    assert "gemeenten" in message
    assert "wijken" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_geopackage_has_no_layer_for_the_level(existing, tmp_path):
    # given: a GeoPackage with gemeenten and wijken, imported as buurten
    path = tmp_path / "wk.gpkg"
    write_frame(path, [({"gemeentecode": "GM0546"}, rd_square(0))], layer="gemeenten")
    write_frame(path, [({"wijkcode": "WK054692"}, rd_square(0))], layer="wijken")

    # when
    message = _refused(path=path, level="buurt", year=2023)

    # then
    assert "--layer" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_year_is_neither_given_nor_in_the_file(existing, wijkenbuurten_gpkg):
    # given: no jaar / jrstatcode column

    # when
    message = _refused(path=wijkenbuurten_gpkg, level="buurt")

    # then
    assert "--year" in message
    _assert_nothing_imported(existing)


def test_import_refuses_when_year_column_holds_several_years(existing, tmp_path):
    # given
    path = write_geojson(
        tmp_path / "b.geojson",
        [
            ({"buurtcode": "BU05469200", "buurtnaam": "A", "jaar": 2022}, rd_square(0)),
            ({"buurtcode": "BU05469201", "buurtnaam": "B", "jaar": 2023}, rd_square(1)),
        ],
    )

    # when
    message = _refused(path=path, level="buurt", srid=28992)

    # then
    assert "--year" in message
    _assert_nothing_imported(existing)
