"""Leiden reference areas for the demo and the tests, loaded through the import services."""

from dataclasses import dataclass
from pathlib import Path

from geo.services import ImportResult, area_import_from_file, population_import_from_csv

DATA_DIR = Path(__file__).resolve().parent / "data"
LEIDEN_CODE = "GM0546"
CREDIT = "CBS/Kadaster Wijk- en Buurtkaart 2022 (gegeneraliseerd), CC BY 4.0"
POPULATION_CREDIT = "CBS Kerncijfers wijken en buurten 2024 (85984NED), CC BY 4.0"


@dataclass
class LeidenSeedResult:
    gemeente: ImportResult
    wijken: ImportResult
    buurten: ImportResult
    population: ImportResult


def leiden_areas_seed() -> LeidenSeedResult:
    """Import (idempotently) Leiden's gemeente, 10 wijken and 54 buurten plus key figures."""
    gemeente = area_import_from_file(
        path=DATA_DIR / "leiden_gemeente_2022.geojson",
        level="gemeente",
        year=2022,
        source=CREDIT,
    )
    wijken = area_import_from_file(
        path=DATA_DIR / "leiden_wijken_2022_rd.geojson",
        level="wijk",
        year=2022,
        srid=28992,
        source=CREDIT,
    )
    buurten = area_import_from_file(
        path=DATA_DIR / "leiden_buurten_2022_rd.geojson",
        level="buurt",
        year=2022,
        srid=28992,
        source=CREDIT,
    )
    population = population_import_from_csv(
        path=DATA_DIR / "leiden_kerncijfers_2024.csv",
        year=2024,
        source=POPULATION_CREDIT,
    )
    return LeidenSeedResult(gemeente, wijken, buurten, population)
