"""Staff exports: columns, time zone, formula injection, and no personal data without the flag."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.exports import (
    COLUMNS,
    PERSONAL_COLUMNS,
    report_export_csv,
    report_export_geojson,
    report_export_rows,
)
from reports.models import Report
from reports.selectors import StaffFilters, report_list_for_staff
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
PERSONAL = {
    "description": "Mijn buurman Jan de Vries op nr. 12 dealt vanuit zijn auto",
    "contact_email": "melder@example.test",
    "reporter": "account-melder@example.test",
    "location_description": "voor Dorpsstraat 12",
}


@pytest.fixture
def report(town, categories):
    report = ReportFactory(
        buurt=town.buurten[2],
        category=categories["drugs-drankoverlast"],
        description=PERSONAL["description"],
        contact_email=PERSONAL["contact_email"],
        contact_consent=True,
        reporter=UserFactory(email=PERSONAL["reporter"]),
        location_description=PERSONAL["location_description"],
        moderation=Report.Moderation.REDACTED,
        public_description="Drugsoverlast vanuit een auto",
        status=Report.Status.FORWARDED,
        partner="politie",
        closed_at=datetime(2026, 7, 1, 22, 15, tzinfo=UTC),
        support_count=4,
    )
    Report.objects.filter(pk=report.pk).update(created_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    return report


def _selection():
    return report_list_for_staff(filters=StaffFilters())


def _personal_values():
    return list(PERSONAL.values())


def test_report_export_rows_fill_every_column_when_personal_data_is_excluded(report):
    [row] = list(report_export_rows(reports=_selection(), include_personal_data=False))
    assert tuple(row) == COLUMNS
    assert row == {
        "reference": report.reference,
        "created_at": "2026-07-01T01:30:00+02:00",
        "category_slug": "drugs-drankoverlast",
        "category_name": "Drugs- of drankoverlast",
        "theme_code": "1.1",
        "theme_slug": "sociale-kwaliteit",
        "veld": "veilige-woon-en-leefomgeving",
        "status": "doorgestuurd",
        "partner": "politie",
        "closed_at": "2026-07-02T00:15:00+02:00",
        "buurt_code": "BU05469100",
        "buurt_name": "Havenbuurt",
        "wijk_code": "WK054691",
        "lat": report.lat,
        "lon": report.lon,
        "support_count": 4,
        "moderation": "redacted",
        "public_description": "Drugsoverlast vanuit een auto",
    }


def test_report_export_rows_add_personal_columns_when_flag_is_set(report):
    [row] = list(report_export_rows(reports=_selection(), include_personal_data=True))
    assert tuple(row) == COLUMNS + PERSONAL_COLUMNS
    assert row["description"] == PERSONAL["description"]
    assert row["contact_email"] == PERSONAL["contact_email"]
    assert row["reporter_email"] == PERSONAL["reporter"]
    assert row["location_description"] == PERSONAL["location_description"]


def test_report_export_csv_contains_no_personal_data_when_flag_is_not_set(report):
    text = report_export_csv(reports=_selection(), include_personal_data=False)
    for value in _personal_values():
        assert value not in text
    assert "Jan de Vries" not in text
    header = next(csv.reader(io.StringIO(text)))
    assert not set(header) & set(PERSONAL_COLUMNS)


def test_report_export_geojson_contains_no_personal_data_when_flag_is_not_set(report):
    data = report_export_geojson(reports=_selection(), include_personal_data=False)
    text = json.dumps(data, ensure_ascii=False)
    for value in _personal_values():
        assert value not in text
    assert not set(data["features"][0]["properties"]) & set(PERSONAL_COLUMNS)


def test_report_export_csv_contains_personal_data_when_flag_is_set(report):
    text = report_export_csv(reports=_selection(), include_personal_data=True)
    for value in _personal_values():
        assert value in text


def test_report_export_csv_has_header_and_one_row_per_report(report, town, categories):
    ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"])
    rows = list(
        csv.DictReader(
            io.StringIO(report_export_csv(reports=_selection(), include_personal_data=False))
        )
    )
    assert len(rows) == 2
    assert {r["reference"] for r in rows} == {r.reference for r in Report.objects.all()}
    mine = next(r for r in rows if r["reference"] == report.reference)
    assert float(mine["lat"]) == report.lat
    assert mine["created_at"] == "2026-07-01T01:30:00+02:00"


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x")', "+31 6 123", "-2+3", "@SUM(A1)", "\tx"]
)
def test_report_export_csv_neutralises_formulas_when_text_starts_with_formula_char(
    dangerous, town, categories
):
    ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        public_description=dangerous,
        description=dangerous,
        location_description=dangerous,
    )
    text = report_export_csv(reports=_selection(), include_personal_data=True)
    row = next(csv.DictReader(io.StringIO(text)))
    for column in ("public_description", "description", "location_description"):
        assert row[column] == "'" + dangerous
    assert float(row["lon"]) > 0  # numbers are not touched


def test_report_export_geojson_has_exact_points_and_null_geometry_when_placed_by_buurt(
    report, town, categories
):
    ReportFactory(buurt=town.buurten[1], category=categories["zwerfafval"], lat=None, lon=None)
    data = report_export_geojson(reports=_selection(), include_personal_data=False)
    assert data["type"] == "FeatureCollection"
    by_ref = {f["properties"]["reference"]: f for f in data["features"]}
    assert by_ref[report.reference]["geometry"] == {
        "type": "Point",
        "coordinates": [report.lon, report.lat],
    }
    [other] = [f for ref, f in by_ref.items() if ref != report.reference]
    assert other["geometry"] is None
    json.dumps(data)  # serialisable as is


def test_report_export_follows_the_staff_selection_when_filtered(report, town, categories):
    ReportFactory(buurt=town.buurten[0], category=categories["ondermijning-vermoeden"])
    ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"])
    selection = report_list_for_staff(filters=StaffFilters(wijk="WK054691"))
    rows = list(report_export_rows(reports=selection, include_personal_data=False))
    assert [r["reference"] for r in rows] == [report.reference]
    everything = list(report_export_rows(reports=_selection(), include_personal_data=False))
    assert "ondermijning-vermoeden" not in {r["category_slug"] for r in everything}


def test_report_export_rows_use_a_constant_number_of_queries(
    report, town, categories, django_assert_num_queries
):
    for _ in range(5):
        ReportFactory(
            buurt=town.buurten[0], category=categories["zwerfafval"], reporter=UserFactory()
        )
    with django_assert_num_queries(1):
        rows = list(report_export_rows(reports=_selection(), include_personal_data=True))
    assert len(rows) == 6
