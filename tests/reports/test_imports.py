"""Bulk import from another system: mapping, formats, per-row errors, all or nothing,
idempotency, and what imported reports look like."""

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from core.exceptions import DomainError
from reports.imports import parse_datetime, parse_status, report_import_from_file
from reports.models import Report, ReportEvent
from reports.selectors import PublicFilters, public_map_cells, public_text
from tests.geo.builders import RD_X, RD_Y
from tests.reports.conftest import point

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
IN_A = point(0)  # BU05469000
IN_C = point(2)  # BU05469100
OUT = point(10)

MAPPING = """external_code,slug
AFV,zwerfafval
JEU,jongerenoverlast
WON,woonoverlast
"""

HEADER = "id;categorie;datum;status;omschrijving;lat;lon\n"


def _row(ext, cat="AFV", date="2025-03-05", status="open", text="", where=IN_A, lat=None, lon=None):
    la = where[0] if lat is None else lat
    lo = where[1] if lon is None else lon
    return f"{ext};{cat};{date};{status};{text};{la};{lo}\n"


@pytest.fixture
def files(tmp_path, town, categories):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(MAPPING, encoding="utf-8")

    def write(body: str, name: str = "meldingen.csv") -> tuple[str, str]:
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return str(path), str(mapping)

    return write


def _import(paths, **kwargs):
    path, mapping = paths
    return report_import_from_file(path=path, mapping_path=mapping, source_name="mor", **kwargs)


GOOD = (
    HEADER
    + _row("1001", "AFV", "2025-03-05", "open", "Afval bij de container")
    + _row("1002", "jeu", "05-03-2025 22:30", "In behandeling", "Groep jongeren", IN_C)
    + _row("1003", "WON", "2025-03-05T13:30:00Z", "afgehandeld", "Geluid van een adres")
    + _row("1004", "AFV", "1/2/2025", "doorgestuurd")
    + _row("1005", "AFV", "2025-01-02 08:00", "Geannuleerd")
)


def test_report_import_stores_reports_as_imported_pending_and_without_contact_when_file_is_valid(
    files,
):
    # when
    result = _import(files(GOOD))
    # then
    assert (result.total, result.imported, result.errors, result.skipped) == (5, 5, [], [])
    reports = {r.external_id: r for r in Report.objects.select_related("buurt", "category")}
    assert set(reports) == {"mor:1001", "mor:1002", "mor:1003", "mor:1004", "mor:1005"}
    for report in reports.values():
        assert report.source == Report.Source.IMPORT
        assert report.moderation == Report.Moderation.PENDING
        assert public_text(report) == ""
        assert report.contact_email == ""
        assert report.contact_consent is False
        assert report.reporter is None
        assert report.grid_x is not None
        assert report.tracking_token_hash
    a, b, c, d, e = (reports[f"mor:100{i}"] for i in range(1, 6))
    assert a.buurt.code == "BU05469000"
    assert b.buurt.code == "BU05469100"
    assert a.category.slug == "zwerfafval"
    assert b.category.slug == "jongerenoverlast"
    assert a.created_at == datetime(2025, 3, 5, tzinfo=AMS)
    assert b.created_at == datetime(2025, 3, 5, 22, 30, tzinfo=AMS)
    assert c.created_at == datetime(2025, 3, 5, 13, 30, tzinfo=UTC)
    assert d.created_at == datetime(2025, 2, 1, tzinfo=AMS)
    assert (a.status, b.status, c.status, d.status, e.status) == (
        "nieuw",
        "in_behandeling",
        "afgehandeld",
        "doorgestuurd",
        "geannuleerd",
    )
    assert a.closed_at is None
    assert b.closed_at is None
    assert c.closed_at == c.created_at
    assert d.partner == "overig"
    assert e.closed_at == e.created_at
    assert a.description == "Afval bij de container"
    assert d.description == ""


def test_report_import_audits_each_report_as_imported(files):
    _import(files(GOOD))
    events = ReportEvent.objects.select_related("report")
    assert events.count() == 5
    event = next(e for e in events if e.report.external_id == "mor:1002")
    assert event.action == "report.imported"
    assert event.actor is None
    assert event.after == {
        "source": "mor",
        "external_id": "1002",
        "status": "in_behandeling",
        "category": "jongerenoverlast",
        "buurt": "BU05469100",
        "created_at": datetime(2025, 3, 5, 22, 30, tzinfo=AMS).isoformat(),
    }


def test_report_import_uses_closed_column_when_present(files):
    body = (
        "external_id,category,created,closed,status,lat,lon\n"
        f"9,AFV,2025-03-01 10:00,2025-03-04 16:00,gesloten,{IN_A[0]},{IN_A[1]}\n"
    )
    _import(files(body))
    report = Report.objects.get()
    assert report.closed_at == datetime(2025, 3, 4, 16, tzinfo=AMS)


def test_report_import_reads_decimal_commas_when_file_is_semicolon_separated(files):
    lat, lon = (str(v).replace(".", ",") for v in IN_A)
    result = _import(files(HEADER + f"1;AFV;2025-03-05;open;;{lat};{lon}\n"))
    assert result.imported == 1
    assert Report.objects.get().lat == pytest.approx(IN_A[0])


def test_report_import_is_idempotent_by_source_and_external_id_when_run_again(files):
    paths = files(GOOD)
    _import(paths)
    # when
    again = _import(paths)
    # then
    assert again.imported == 0
    assert [s.external_id for s in again.skipped] == ["1001", "1002", "1003", "1004", "1005"]
    assert again.errors == []
    assert Report.objects.count() == 5
    # the same ids from another system are other reports
    other = report_import_from_file(path=paths[0], mapping_path=paths[1], source_name="oud")
    assert other.imported == 5
    assert Report.objects.count() == 10


def test_report_import_imports_only_new_rows_when_file_grew(files):
    _import(files(HEADER + _row("1")))
    result = _import(files(HEADER + _row("1") + _row("2")))
    assert result.imported == 1
    assert [s.line for s in result.skipped] == [2]
    assert Report.objects.count() == 2


BAD_ROWS = {
    "unknown category": (_row("b1", cat="XYZ"), "category"),
    "outside municipality": (_row("b2", where=OUT), "location"),
    "bad date": (_row("b3", date="31-02-2025"), "created"),
    "no date": (_row("b4", date=""), "created"),
    "future date": (_row("b5", date="2099-01-01"), "created"),
    "not a number": (_row("b6", lat="noord", lon="oost"), "location"),
    "missing coordinate": (_row("b7", lat="", lon=str(IN_A[1])), "location"),
    "swapped coordinates": (_row("b8", lat=IN_A[1], lon=IN_A[0]), "location"),
    "unknown status": (_row("b9", status="misschien"), "status"),
    "no external id": (_row(""), "external_id"),
    "markup in text": (_row("b10", text="<b>x</b>"), "description"),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_report_import_reports_line_field_and_writes_nothing_when_a_row_is_bad(kind, files):
    # given: two good rows around the bad one (line 3)
    bad, field = BAD_ROWS[kind]
    body = HEADER + _row("g1") + bad + _row("g2")
    # when
    result = _import(files(body))
    # then
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.line, error.field) == (3, field)
    assert error.message
    assert result.imported == 0
    assert Report.objects.count() == 0
    assert ReportEvent.objects.count() == 0


def test_report_import_reports_every_error_of_every_row(files):
    body = HEADER + "".join(bad for bad, _ in BAD_ROWS.values())
    result = _import(files(body))
    assert [(e.line, e.field) for e in result.errors] == [
        (line, field) for line, (_, field) in enumerate(BAD_ROWS.values(), start=2)
    ]


def test_report_import_refuses_closed_date_before_creation(files):
    body = (
        "external_id,category,created,closed,status,lat,lon\n"
        f"9,AFV,2025-03-04,2025-03-01,gesloten,{IN_A[0]},{IN_A[1]}\n"
    )
    result = _import(files(body))
    assert [(e.line, e.field) for e in result.errors] == [(2, "closed")]


def test_report_import_reports_duplicate_in_file_and_writes_nothing(files):
    result = _import(files(HEADER + _row("7") + _row("8") + _row("7")))
    assert [(e.line, e.field, e.external_id) for e in result.errors] == [(4, "external_id", "7")]
    assert "2" in result.errors[0].message
    assert Report.objects.count() == 0


def test_report_import_imports_valid_rows_when_partial(files):
    body = HEADER + _row("g1") + _row("b1", cat="XYZ") + _row("b2", where=OUT) + _row("g2")
    result = _import(files(body), partial=True)
    assert result.imported == 2
    assert [e.line for e in result.errors] == [3, 4]
    assert set(Report.objects.values_list("external_id", flat=True)) == {"mor:g1", "mor:g2"}


def test_report_import_writes_nothing_when_dry_run(files):
    result = _import(files(GOOD), dry_run=True)
    assert (result.valid, result.imported) == (5, 0)
    assert "would be imported" in result.summary()
    assert Report.objects.count() == 0


@pytest.mark.usefixtures("exact_public_counts")
def test_report_import_keeps_imported_text_off_the_public_map_while_counting_the_point(files):
    _import(files(GOOD))
    cells = public_map_cells(filters=PublicFilters(), cell_size=100)
    # WON is restricted and 1005 cancelled: three public reports remain
    assert sum(c["reports"] for c in cells) == 3


# --- GeoJSON -----------------------------------------------------------------------------------


def _feature(ext, coords, *, kind="Point", **props):
    geometry = None if coords is None else {"type": kind, "coordinates": coords}
    properties = {"id": ext, "category": "AFV", "created_at": "2025-04-01", "status": "nieuw"}
    properties.update(props)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_report_import_reads_geojson_points_when_file_is_geojson(files):
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature("g1", [IN_A[1], IN_A[0]], description="Glas op straat"),
            _feature("g2", [IN_C[1], IN_C[0]], status="afgehandeld"),
        ],
    }
    result = _import(files(json.dumps(data), "meldingen.geojson"))
    assert result.imported == 2
    g1 = Report.objects.get(external_id="mor:g1")
    assert g1.buurt.code == "BU05469000"
    assert g1.description == "Glas op straat"
    assert Report.objects.get(external_id="mor:g2").closed_at is not None


def test_report_import_transforms_rd_points_when_geojson_declares_epsg_28992(files):
    data = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": [_feature("rd1", [RD_X + 500, RD_Y + 100])],  # column 2
    }
    result = _import(files(json.dumps(data), "rd.geojson"))
    assert result.imported == 1
    assert Report.objects.get().buurt.code == "BU05469100"


def test_report_import_reports_feature_number_when_geojson_rows_are_bad(files):
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature("ok", [IN_A[1], IN_A[0]]),
            _feature("line", [[IN_A[1], IN_A[0]], [IN_C[1], IN_C[0]]], kind="LineString"),
            _feature("out", [OUT[1], OUT[0]]),
            _feature("cat", [IN_A[1], IN_A[0]], category="XYZ"),
            _feature("nogeom", None),
        ],
    }
    result = _import(files(json.dumps(data), "bad.geojson"))
    assert [(e.line, e.field) for e in result.errors] == [
        (2, "location"),
        (3, "location"),
        (4, "category"),
        (5, "location"),
    ]
    assert Report.objects.count() == 0


# --- Whole-file problems -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "name", "fragment"),
    [
        ("id;categorie;datum;lat;lon\n1;AFV;2025-01-01;52;4\n", "a.csv", "status"),
        ("{not json", "a.geojson", "GeoJSON"),
        ('{"type": "Feature"}', "a.geojson", "FeatureCollection"),
        ("x", "a.xlsx", ".csv"),
    ],
)
def test_report_import_refuses_file_when_columns_or_format_are_wrong(body, name, fragment, files):
    with pytest.raises(DomainError) as exc_info:
        _import(files(body, name))
    assert exc_info.value.code == "report_import_invalid"
    assert fragment in str(exc_info.value)


@pytest.mark.parametrize(
    ("mapping", "line"),
    [
        ("code,categorie\nAFV,zwerfafval\n", 1),
        ("external_code,slug\nAFV,bestaat-niet\n", 2),
        ("external_code,slug\nAFV,zwerfafval\nVER,verloedering\n", 3),
        ("external_code,slug\nAFV,zwerfafval\nafv,jongerenoverlast\n", 3),
        ("external_code,slug\n,zwerfafval\n", 2),
    ],
    ids=["columns", "unknown_slug", "main_category", "code_twice", "no_code"],
)
def test_report_import_refuses_mapping_with_its_line_when_mapping_is_bad(
    mapping, line, files, tmp_path
):
    path, _ = files(GOOD)
    bad = tmp_path / "bad-mapping.csv"
    bad.write_text(mapping, encoding="utf-8")
    with pytest.raises(DomainError) as exc_info:
        report_import_from_file(path=path, mapping_path=bad, source_name="mor")
    assert exc_info.value.extra["line"] == line
    assert Report.objects.count() == 0


@pytest.mark.parametrize("name", ["", "met spatie", "a:b", "x" * 41])
def test_report_import_refuses_source_name_when_not_a_simple_name(name, files):
    path, mapping = files(GOOD)
    with pytest.raises(DomainError) as exc_info:
        report_import_from_file(path=path, mapping_path=mapping, source_name=name)
    assert exc_info.value.extra == {"field": "source_name"}


# --- Parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open", "nieuw"),
        ("Nieuw", "nieuw"),
        ("in behandeling", "in_behandeling"),
        ("IN_BEHANDELING", "in_behandeling"),
        ("in-progress", "in_behandeling"),
        ("closed", "afgehandeld"),
        ("Afgehandeld", "afgehandeld"),
        ("gesloten", "afgehandeld"),
        ("doorgestuurd", "doorgestuurd"),
        ("geannuleerd", "geannuleerd"),
        ("cancelled", "geannuleerd"),
        ("", None),
        ("onbekend", None),
    ],
)
def test_parse_status_maps_common_values(text, expected):
    assert parse_status(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-05", datetime(2025, 3, 5, tzinfo=AMS)),
        ("2025-07-05 14:15", datetime(2025, 7, 5, 14, 15, tzinfo=AMS)),
        ("2025-07-05T14:15:00+00:00", datetime(2025, 7, 5, 14, 15, tzinfo=UTC)),
        ("05-07-2025", datetime(2025, 7, 5, tzinfo=AMS)),
        ("5/7/2025 9:05:30", datetime(2025, 7, 5, 9, 5, 30, tzinfo=AMS)),
        ("5.7.2025", datetime(2025, 7, 5, tzinfo=AMS)),
        ("31-02-2025", None),
        ("gisteren", None),
        ("", None),
    ],
)
def test_parse_datetime_reads_iso_and_dutch_dates_in_amsterdam_time(text, expected):
    assert parse_datetime(text) == expected


# --- Command -----------------------------------------------------------------------------------


def test_import_reports_command_imports_and_prints_summary_when_file_is_valid(files):
    path, mapping = files(GOOD)
    out = StringIO()
    call_command("import_reports", path, "--mapping", mapping, "--source-name", "mor", stdout=out)
    assert "5 of 5 rows imported" in out.getvalue()
    assert Report.objects.filter(external_id__startswith="mor:").count() == 5


def test_import_reports_command_fails_and_writes_nothing_when_rows_have_errors(files):
    path, mapping = files(HEADER + _row("g1") + _row("b1", cat="XYZ"))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_reports", path, "--mapping", mapping, stdout=StringIO(), stderr=err)
    assert "line 3 (b1) category" in err.getvalue()
    assert Report.objects.count() == 0


def test_import_reports_command_imports_valid_rows_when_partial(files):
    path, mapping = files(HEADER + _row("g1") + _row("b1", cat="XYZ"))
    out, err = StringIO(), StringIO()
    call_command("import_reports", path, "--mapping", mapping, "--partial", stdout=out, stderr=err)
    assert "1 of 2 rows imported" in out.getvalue()
    assert "line 3" in err.getvalue()
    assert Report.objects.get().external_id == "import:g1"


def test_import_reports_command_writes_nothing_when_dry_run(files):
    path, mapping = files(GOOD)
    out = StringIO()
    call_command("import_reports", path, "--mapping", mapping, "--dry-run", stdout=out)
    assert "dry run: 5 of 5 rows would be imported" in out.getvalue()
    assert Report.objects.count() == 0


def test_import_reports_command_fails_when_mapping_is_missing(files, tmp_path):
    path, _ = files(GOOD)
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_reports", path, "--mapping", str(tmp_path / "nope.csv"))
