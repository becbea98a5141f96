"""population_import_from_csv: separators, BOM, years, unknown and invalid codes, sentinels."""

import pytest

from geo.exceptions import PopulationImportError
from geo.models import AreaPopulation
from geo.services import population_import_from_csv
from tests.geo.builders import write_csv
from tests.geo.factories import AreaFactory, AreaPopulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return {
        code: AreaFactory(code=code, level=level)
        for code, level in [
            ("GM0546", "gemeente"),
            ("WK054690", "wijk"),
            ("BU05469000", "buurt"),
            ("BU05469001", "buurt"),
        ]
    }


def _pop(code: str, year: int = 2024) -> AreaPopulation:
    return AreaPopulation.objects.get(area__code=code, year=year)


def _refused(**kwargs) -> str:
    with pytest.raises(PopulationImportError) as excinfo:
        population_import_from_csv(**kwargs)
    assert excinfo.value.code == "population_import_invalid"
    return str(excinfo.value)


def test_population_import_reads_comma_csv_when_year_is_given(areas, tmp_path):
    # given
    path = write_csv(
        tmp_path / "k.csv",
        [
            "code,aantal_inwoners,aantal_inwoners_0_tot_15_jaar,aantal_inwoners_65_jaar_en_ouder",
            "GM0546,130108,15294,20987",
            "WK054690,15545,1010,1580",
            "BU05469000,730,,",
        ],
    )

    # when
    result = population_import_from_csv(path=path, year=2024, source="CBS")

    # then
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    gemeente = _pop("GM0546")
    assert (gemeente.inhabitants, gemeente.age_0_14, gemeente.age_65_plus) == (130108, 15294, 20987)
    assert gemeente.source == "CBS"
    buurt = _pop("BU05469000")
    assert (buurt.inhabitants, buurt.age_0_14, buurt.age_65_plus) == (730, None, None)
    assert buurt.suppressed_fields == []  # empty cells are missing, not withheld


def test_population_import_reads_semicolon_csv_when_file_has_bom_and_year_column(areas, tmp_path):
    # given: CBS/Excel export: BOM, ';', a jaar column and the gwb_code column name
    path = write_csv(
        tmp_path / "k.csv",
        [
            "gwb_code;jaar;aantal_inwoners;mannen;vrouwen",
            "BU05469000;2023;730;360;370",
            "BU05469001;2024;1200;600;600",
        ],
        bom=True,
    )

    # when
    result = population_import_from_csv(path=path)

    # then
    assert result.created == 2
    assert _pop("BU05469000", 2023).men == 360
    assert _pop("BU05469001", 2024).women == 600


def test_population_import_reads_year_when_column_has_statline_periods(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["peiljaar,code,inwoners", "2024JJ00,BU05469000,50"])

    # when
    population_import_from_csv(path=path)

    # then
    assert _pop("BU05469000", 2024).inhabitants == 50


def test_population_import_prefers_explicit_year_when_file_has_a_year_column(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["jaar,code,aantal_inwoners", "2023,BU05469000,50"])

    # when
    population_import_from_csv(path=path, year=2025)

    # then
    assert list(AreaPopulation.objects.values_list("year", flat=True)) == [2025]


def test_population_import_skips_and_reports_when_area_code_is_unknown(areas, tmp_path):
    # given: BU05469999 is a valid code but not in the database
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,10", "BU05469999,20"])

    # when
    result = population_import_from_csv(path=path, year=2024)

    # then
    assert (result.created, result.skipped) == (1, 1)
    assert any("BU05469999" in m and "regel 3" in m for m in result.messages)
    assert AreaPopulation.objects.count() == 1


@pytest.mark.parametrize("bad", ["BU123", "Leiden", "", "WK05469"])
def test_population_import_refuses_all_when_a_code_is_invalid(areas, tmp_path, bad):
    # given: a valid row before and after the bad one
    path = write_csv(
        tmp_path / "k.csv",
        ["code;aantal_inwoners", "BU05469000;10", f"{bad};20", "BU05469001;30"],
    )

    # when
    message = _refused(path=path, year=2024)

    # then
    assert "regel 3" in message
    assert (bad.upper() or "(leeg)") in message  # reported as normalised
    assert "niets geïmporteerd" in message
    assert not AreaPopulation.objects.exists()


def test_population_import_accepts_codes_when_lower_case_or_padded(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "  bu05469000 ,10"])

    # when
    result = population_import_from_csv(path=path, year=2024)

    # then
    assert result.created == 1
    assert _pop("BU05469000").inhabitants == 10


def test_population_import_refuses_when_no_inhabitants_column(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["code,huishoudens", "BU05469000,10"])

    # when
    with pytest.raises(PopulationImportError) as excinfo:
        population_import_from_csv(path=path, year=2024)

    # then
    assert "inwoners" in str(excinfo.value)
    assert excinfo.value.extra["columns"] == ["code", "huishoudens"]
    assert not AreaPopulation.objects.exists()


def test_population_import_refuses_when_no_code_column(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["gebied,aantal_inwoners", "BU05469000,10"])

    # when
    message = _refused(path=path, year=2024)

    # then
    assert "--code-field" in message


def test_population_import_uses_code_field_when_given(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["gebied,aantal_inwoners", "BU05469000,10"])

    # when
    result = population_import_from_csv(path=path, year=2024, code_field="gebied")

    # then
    assert result.created == 1


def test_population_import_refuses_when_year_is_missing(areas, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,10"])

    # when
    message = _refused(path=path)

    # then
    assert "--year" in message
    assert not AreaPopulation.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leeg.csv", b""),
        ("alleen_kop.csv", b"code,aantal_inwoners\n"),
        ("latin1.csv", "code,aantal_inwoners\nBU05469000,10 \xe9\n".encode("latin-1")),
    ],
)
def test_population_import_refuses_when_file_is_empty_or_not_utf8(areas, tmp_path, name, content):
    # given
    path = tmp_path / name
    path.write_bytes(content)

    # when
    message = _refused(path=path, year=2024)

    # then
    assert name in message
    assert not AreaPopulation.objects.exists()


def test_population_import_refuses_when_file_does_not_exist(tmp_path):
    # given / when
    message = _refused(path=tmp_path / "weg.csv", year=2024)

    # then
    assert "bestaat niet" in message


@pytest.mark.parametrize("marker", ["-99997", "-99995", "-99999999", ".", "x"])
def test_population_import_stores_null_and_flag_when_value_is_withheld(areas, tmp_path, marker):
    # given
    path = write_csv(
        tmp_path / "k.csv",
        ["code;aantal_inwoners;mannen;vrouwen", f"BU05469000;{marker};10;{marker}"],
    )

    # when
    population_import_from_csv(path=path, year=2024)

    # then
    pop = _pop("BU05469000")
    assert pop.inhabitants is None
    assert pop.women is None
    assert pop.men == 10
    assert pop.suppressed_fields == ["inhabitants", "women"]
    assert pop.is_suppressed("inhabitants")
    assert not pop.is_suppressed("men")


def test_population_import_converts_percentages_when_csv_has_percentage_columns(areas, tmp_path):
    # given
    path = write_csv(
        tmp_path / "k.csv",
        ["code;aantal_inwoners;percentage_personen_0_tot_15_jaar", "BU05469000;2000;12,5"],
    )

    # when
    population_import_from_csv(path=path, year=2024)

    # then
    assert _pop("BU05469000").age_0_14 == 250


def test_population_import_updates_row_when_area_and_year_exist(areas, tmp_path):
    # given: a withheld figure that CBS publishes later
    AreaPopulationFactory(
        area=areas["BU05469000"], year=2024, inhabitants=None, suppressed_fields=["inhabitants"]
    )
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,745"])

    # when
    result = population_import_from_csv(path=path, year=2024)

    # then
    assert (result.created, result.updated) == (0, 1)
    pop = _pop("BU05469000")
    assert pop.inhabitants == 745
    assert pop.suppressed_fields == []
    assert AreaPopulation.objects.count() == 1


def test_population_import_attaches_to_latest_vintage_when_code_exists_in_several_years(
    areas, tmp_path
):
    # given
    newer = AreaFactory(code="BU05469000", year=2023)
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,10"])

    # when
    population_import_from_csv(path=path, year=2024)

    # then
    assert AreaPopulation.objects.get().area == newer


def test_population_import_writes_nothing_when_dry_run(areas, tmp_path):
    # given
    AreaPopulationFactory(area=areas["BU05469000"], year=2024, inhabitants=1)
    path = write_csv(
        tmp_path / "k.csv",
        ["code,aantal_inwoners", "BU05469000,10", "BU05469001,20", "BU05469999,30"],
    )

    # when
    result = population_import_from_csv(path=path, year=2024, dry_run=True)

    # then
    assert (result.created, result.updated, result.skipped) == (1, 1, 1)
    assert result.summary().startswith("dry run:")
    assert list(AreaPopulation.objects.values_list("inhabitants", flat=True)) == [1]
