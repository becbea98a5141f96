"""Area files in each CBS naming vintage.

The text files (GeoJSON) live in tests/geo/data; GeoPackages and the shapefile are generated
once per session with geopandas, so nothing binary is committed. All use the same three
squares west to east: BU05469000 and BU05469001 (wijk WK054690) and BU05469100 (wijk
WK054691, a water buurt where the file says so), all in gemeente GM0546.
"""

from pathlib import Path

import pytest
import shapely

from tests.geo.builders import rd_square, write_frame

DATA = Path(__file__).resolve().parent / "data"

BUURT_CODES = ("BU05469000", "BU05469001", "BU05469100")
WIJK_CODES = ("WK054690", "WK054691")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def _gemeente_features() -> list:
    return [
        (
            {"gemeentecode": "GM0546", "gemeentenaam": "Leiden"},
            shapely.union_all([rd_square(0), rd_square(1), rd_square(2)]),
        )
    ]


def _wijk_features() -> list:
    return [
        (
            {"wijkcode": "WK054690", "wijknaam": "Proefwijk", "gemeentecode": "GM0546"},
            shapely.union_all([rd_square(0), rd_square(1)]),
        ),
        (
            {"wijkcode": "WK054691", "wijknaam": "Proefhavenwijk", "gemeentecode": "GM0546"},
            rd_square(2),
        ),
    ]


def _recent_buurt(code: str, name: str, col: int, water: str, **figures: int) -> tuple:
    props = {
        "buurtcode": code,
        "buurtnaam": name,
        "wijkcode": "WK" + code[2:8],
        "gemeentecode": "GM0546",
        "gemeentenaam": "Leiden",
        "water": water,
        **figures,
    }
    return props, rd_square(col)


def _recent_buurt_features(extra: dict | None = None) -> list:
    extra = extra or {}
    return [
        _recent_buurt(
            "BU05469000",
            "Proefbuurt West",
            0,
            "NEE",
            aantal_inwoners=1000,
            mannen=490,
            vrouwen=510,
            aantal_inwoners_0_tot_15_jaar=150,
            aantal_inwoners_15_tot_25_jaar=120,
            aantal_inwoners_25_tot_45_jaar=300,
            aantal_inwoners_45_tot_65_jaar=250,
            aantal_inwoners_65_jaar_en_ouder=180,
            **extra,
        ),
        # Everything withheld by CBS, in all three sentinel spellings.
        _recent_buurt(
            "BU05469001",
            "Proefbuurt Oost",
            1,
            "NEE",
            aantal_inwoners=-99997,
            mannen=-99999999,
            vrouwen=-99995,
            aantal_inwoners_0_tot_15_jaar=-99997,
            aantal_inwoners_15_tot_25_jaar=-99997,
            aantal_inwoners_25_tot_45_jaar=-99997,
            aantal_inwoners_45_tot_65_jaar=-99997,
            aantal_inwoners_65_jaar_en_ouder=-99997,
            **extra,
        ),
        # A water buurt with a real zero.
        _recent_buurt(
            "BU05469100",
            "Proefhaven",
            2,
            "JA",
            aantal_inwoners=0,
            mannen=0,
            vrouwen=0,
            aantal_inwoners_0_tot_15_jaar=0,
            aantal_inwoners_15_tot_25_jaar=0,
            aantal_inwoners_25_tot_45_jaar=0,
            aantal_inwoners_45_tot_65_jaar=0,
            aantal_inwoners_65_jaar_en_ouder=0,
            **extra,
        ),
    ]


@pytest.fixture(scope="session")
def wijkenbuurten_gpkg(tmp_path_factory) -> Path:
    """PDOK style `wijkenbuurten_2023_v1.gpkg`: layers gemeenten, wijken, buurten (RD New),
    lower-case snake-case columns, counts per age band, no year column."""
    path = tmp_path_factory.mktemp("gpkg") / "wijkenbuurten_2023_v1.gpkg"
    write_frame(path, _gemeente_features(), layer="gemeenten")
    write_frame(path, _wijk_features(), layer="wijken")
    write_frame(path, _recent_buurt_features(), layer="buurten")
    return path


@pytest.fixture(scope="session")
def suffixed_gpkg(tmp_path_factory) -> Path:
    """A vintage with year-suffixed layer names and a `jaar` column (2021)."""
    path = tmp_path_factory.mktemp("gpkg") / "wijkenbuurten_2021.gpkg"
    write_frame(
        path, [(p | {"jaar": 2021}, g) for p, g in _gemeente_features()], layer="gemeenten_2021"
    )
    write_frame(path, [(p | {"jaar": 2021}, g) for p, g in _wijk_features()], layer="wijken_2021")
    write_frame(path, _recent_buurt_features({"jaar": 2021}), layer="buurten_2021")
    return path


@pytest.fixture(scope="session")
def ambiguous_gpkg(tmp_path_factory) -> Path:
    """Two layers whose names say nothing about the level."""
    path = tmp_path_factory.mktemp("gpkg") / "gebieden.gpkg"
    features = [({"buurtcode": c}, rd_square(i)) for i, c in enumerate(BUURT_CODES)]
    write_frame(path, features, layer="indeling_a")
    write_frame(path, features, layer="indeling_b")
    return path


@pytest.fixture(scope="session")
def old_shapefile(tmp_path_factory) -> Path:
    """An old (≤ 2021) shapefile: upper-case DBF names, age bands as percentages, WATER JA/NEE,
    a .prj for RD New, no year column."""
    path = tmp_path_factory.mktemp("shp") / "buurt_2019.shp"

    def buurt(code, name, col, water, inw, man, vrouw, pcts):
        props = {
            "BU_CODE": code,
            "BU_NAAM": name,
            "WK_CODE": "WK" + code[2:8],
            "GM_CODE": "GM0546",
            "GM_NAAM": "Leiden",
            "WATER": water,
            "AANT_INW": inw,
            "AANT_MAN": man,
            "AANT_VROUW": vrouw,
        }
        names = ("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR")
        return props | dict(zip(names, pcts, strict=True)), rd_square(col)

    features = [
        buurt("BU05469000", "Proefbuurt West", 0, "NEE", 2000, 990, 1010, (15, 10, 30, 25, 20)),
        buurt("BU05469001", "Proefbuurt Oost", 1, "NEE", -99997, -99997, -99997, (-99997,) * 5),
        buurt("BU05469100", "Proefhaven", 2, "JA", 0, 0, 0, (0,) * 5),
    ]
    write_frame(path, features, driver="ESRI Shapefile")
    return path
