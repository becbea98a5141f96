"""import_areas and import_population through call_command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from geo.models import Area, AreaPopulation
from tests.geo.builders import rd_bow_tie, rd_square, write_csv, write_geojson
from tests.geo.factories import AreaFactory

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# --- import_areas -----------------------------------------------------------------------------


def test_import_areas_prints_counts_when_file_is_imported(data_dir):
    # given
    path = str(data_dir / "buurten_statcode_2023_rd.geojson")

    # when
    first, _ = _run("import_areas", path, "--level", "buurt", "--srid", "28992")
    second, _ = _run("import_areas", path, "--level", "buurt", "--srid", "28992")

    # then
    assert "created=3 updated=0 skipped=0" in first
    assert "created=0 updated=0 skipped=3" in second
    assert Area.objects.count() == 3


def test_import_areas_passes_options_when_given(data_dir):
    # given
    path = str(data_dir / "wijken_eigen_kolommen_rd.geojson")

    # when
    out, _ = _run(
        "import_areas",
        path,
        "--level",
        "wijk",
        "--year",
        "2023",
        "--code-field",
        "gebied_id",
        "--name-field",
        "omschrijving",
        "--parent-field",
        "hoort_bij",
        "--source",
        "Gemeente",
    )

    # then
    assert "created=2" in out
    assert set(Area.objects.values_list("source", flat=True)) == {"Gemeente"}
    assert set(Area.objects.values_list("year", flat=True)) == {2023}


def test_import_areas_picks_layer_when_layer_option_given(wijkenbuurten_gpkg):
    # given / when
    out, _ = _run(
        "import_areas",
        str(wijkenbuurten_gpkg),
        "--level",
        "wijk",
        "--year",
        "2023",
        "--layer",
        "wijken",
        "--population-year",
        "2024",
    )

    # then
    assert "created=2" in out


def test_import_areas_reports_population_rows_when_file_has_figures(wijkenbuurten_gpkg):
    # given / when
    out, _ = _run(
        "import_areas",
        str(wijkenbuurten_gpkg),
        "--level",
        "buurt",
        "--year",
        "2023",
        "--population-year",
        "2024",
    )

    # then
    assert "population_rows=3" in out
    assert set(AreaPopulation.objects.values_list("year", flat=True)) == {2024}


def test_import_areas_writes_nothing_when_dry_run(data_dir):
    # given / when
    out, _ = _run(
        "import_areas",
        str(data_dir / "buurten_statcode_2023_rd.geojson"),
        "--level",
        "buurt",
        "--srid",
        "28992",
        "--dry-run",
    )

    # then
    assert "dry run: created=3 updated=0 skipped=0" in out
    assert not Area.objects.exists()


def test_import_areas_raises_command_error_with_hint_when_rd_file_lacks_srid(data_dir):
    # given / when
    with pytest.raises(CommandError) as excinfo:
        _run("import_areas", str(data_dir / "buurten_statcode_2023_rd.geojson"), "--level", "buurt")

    # then
    assert "--srid 28992" in str(excinfo.value)
    assert not Area.objects.exists()


def test_import_areas_raises_command_error_when_file_is_missing(tmp_path):
    # given / when
    with pytest.raises(CommandError) as excinfo:
        _run("import_areas", str(tmp_path / "weg.gpkg"), "--level", "buurt", "--year", "2023")

    # then
    assert "bestaat niet" in str(excinfo.value)


def test_import_areas_raises_command_error_when_level_is_not_a_choice(data_dir):
    # given / when / then
    with pytest.raises(CommandError, match="level"):
        _run(
            "import_areas",
            str(data_dir / "buurten_statcode_2023_rd.geojson"),
            "--level",
            "provincie",
        )


def test_import_areas_lists_messages_when_verbosity_is_2(tmp_path):
    # given
    path = write_geojson(
        tmp_path / "b.geojson",
        [
            ({"buurtcode": "BU05469000", "buurtnaam": "Strik"}, rd_bow_tie(0)),
            ({"buurtcode": "BU05469001", "buurtnaam": "Leeg"}, None),
        ],
    )

    # when
    quiet, _ = _run(
        "import_areas", str(path), "--level", "buurt", "--year", "2023", "--srid", "28992"
    )
    Area.objects.all().delete()
    verbose, _ = _run(
        "import_areas",
        str(path),
        "--level",
        "buurt",
        "--year",
        "2023",
        "--srid",
        "28992",
        verbosity=2,
    )

    # then
    assert "created=1 updated=0 skipped=1 repaired=1" in quiet
    assert "BU05469000" not in quiet
    assert "BU05469000" in verbose
    assert "BU05469001" in verbose


def test_import_areas_prints_progress_when_file_has_many_features(tmp_path):
    # given
    features = [
        (
            {"buurtcode": f"BU0546{i // 100:02d}{i % 100:02d}", "buurtnaam": f"B{i}"},
            rd_square(i % 40, i // 40, size=50),
        )
        for i in range(1200)
    ]
    path = write_geojson(tmp_path / "many.geojson", features)

    # when
    out, err = _run(
        "import_areas", str(path), "--level", "buurt", "--year", "2023", "--srid", "28992"
    )

    # then
    assert "created=1200" in out
    assert "500/1200 features" in err
    assert "1200/1200 features" in err


# --- import_population ------------------------------------------------------------------------


@pytest.fixture
def buurten():
    return [AreaFactory(code="BU05469000"), AreaFactory(code="BU05469001")]


def test_import_population_prints_counts_and_skips_when_file_is_imported(buurten, tmp_path):
    # given
    path = write_csv(
        tmp_path / "k.csv",
        ["code;aantal_inwoners", "BU05469000;10", "BU05469001;-99997", "BU05469999;5"],
    )

    # when
    first, _ = _run("import_population", str(path), "--year", "2024", "--source", "CBS")
    second, _ = _run("import_population", str(path), "--year", "2024")

    # then
    assert "created=2 updated=0 skipped=1" in first
    assert "BU05469999" in first
    assert "created=0 updated=2 skipped=1" in second
    withheld = AreaPopulation.objects.get(area__code="BU05469001")
    assert withheld.inhabitants is None
    assert withheld.suppressed_fields == ["inhabitants"]


def test_import_population_uses_code_field_when_given(buurten, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["gebied,aantal_inwoners", "BU05469000,10"])

    # when
    out, _ = _run("import_population", str(path), "--year", "2024", "--code-field", "gebied")

    # then
    assert "created=1" in out


def test_import_population_writes_nothing_when_dry_run(buurten, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,10"])

    # when
    out, _ = _run("import_population", str(path), "--year", "2024", "--dry-run")

    # then
    assert "dry run: created=1" in out
    assert not AreaPopulation.objects.exists()


def test_import_population_raises_command_error_when_code_is_invalid(buurten, tmp_path):
    # given
    path = write_csv(tmp_path / "k.csv", ["code,aantal_inwoners", "BU05469000,10", "BU1,2"])

    # when
    with pytest.raises(CommandError) as excinfo:
        _run("import_population", str(path), "--year", "2024")

    # then
    assert "BU1" in str(excinfo.value)
    assert not AreaPopulation.objects.exists()
