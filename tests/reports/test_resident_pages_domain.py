"""Domain helpers behind the resident pages: checking a place before filing, open reports
in a chosen buurt, and the public status history of a report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from geo.grid import cell_centre_wgs84, distance_m
from reports.models import Report, ReportEvent
from reports.selectors import (
    report_list_open_in_buurt,
    report_public_messages,
    report_status_history,
)
from reports.services import (
    report_create,
    report_intake_precheck,
    report_merge,
    report_message_add,
    report_place_check,
    report_status_change,
)
from tests.participation.factories import UserFactory
from tests.reports.conftest import point
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

S = Report.Status


# --- report_place_check -----------------------------------------------------------------------


def test_report_place_check_returns_buurt_of_point_when_point_inside(town):
    lat, lon = point(2)
    assert report_place_check(lat=lat, lon=lon) == town.buurt("BU05469100")


def test_report_place_check_returns_chosen_buurt_when_place_described(town):
    buurt = report_place_check(buurt_code="bu05469001", location_description="Bij de kerk")
    assert buurt == town.buurt("BU05469001")


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"lat": point(10)[0], "lon": point(10)[1]}, "outside_municipality", "location"),
        ({"lat": point(1)[1], "lon": point(1)[0]}, "swapped_coordinates", "location"),
        ({"lat": point(1)[0]}, "location_required", "lon"),
        ({}, "location_required", "location"),
        ({"buurt_code": "BU03630000", "location_description": "Dam"}, "location_required", "buurt"),
        ({"buurt_code": "BU05469000", "location_description": " "}, "location_required", None),
        (
            {"buurt_code": "BU05469000", "location_description": "<b>hier</b>"},
            "description_invalid",
            "location_description",
        ),
    ],
    ids=["outside", "swapped", "only_lat", "nothing", "other_town", "no_place", "markup"],
)
def test_report_place_check_refuses_bad_place_naming_the_field(town, kwargs, code, field):
    with pytest.raises(DomainError) as err:
        report_place_check(**kwargs)
    assert err.value.code == code
    assert err.value.extra.get("field") == (field or "location_description")
    assert Report.objects.count() == 0


# --- report_list_open_in_buurt ----------------------------------------------------------------


def test_report_list_open_in_buurt_lists_recent_open_reports_of_category_newest_first(
    town, categories
):
    litter = categories["zwerfafval"]
    buurt = town.buurten[0]
    old = ReportFactory(category=litter, buurt=buurt)
    new = ReportFactory(category=litter, buurt=buurt)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    ReportFactory(category=litter, buurt=buurt, status=S.RESOLVED)
    ReportFactory(category=litter, buurt=town.buurten[1])
    ReportFactory(category=categories["vandalisme-graffiti"], buurt=buurt)
    too_old = ReportFactory(category=litter, buurt=buurt)
    Report.objects.filter(pk=too_old.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert report_list_open_in_buurt(category=litter, buurt=buurt) == [new, old]
    assert report_list_open_in_buurt(category=litter, buurt=buurt, limit=1) == [new]


def test_report_list_open_in_buurt_is_empty_when_category_is_not_public(town, categories):
    category = categories["woonoverlast"]
    ReportFactory(category=category, buurt=town.buurten[0])
    assert report_list_open_in_buurt(category=category, buurt=town.buurten[0]) == []


def test_report_list_open_in_buurt_leaves_out_merged_duplicates(town, categories):
    litter = categories["zwerfafval"]
    target = ReportFactory(category=litter, buurt=town.buurten[0])
    duplicate = ReportFactory(category=litter, buurt=town.buurten[0])
    report_merge(duplicate=duplicate, into=target, actor=None)
    assert report_list_open_in_buurt(category=litter, buurt=town.buurten[0]) == [target]


# --- report_status_history, report_public_messages ------------------------------------------


def _filed(town, categories) -> Report:
    lat, lon = point(1)
    return report_create(
        category_slug="zwerfafval", description="Afval bij de bank.", lat=lat, lon=lon
    ).report


def test_report_status_history_lists_each_status_once_oldest_first(town, categories):
    report = _filed(town, categories)
    staff = UserFactory()
    report_status_change(report=report, actor=staff, status=S.IN_PROGRESS)
    report_message_add(report=report, actor=staff, body="Interne notitie", public=False)
    report_status_change(report=report, actor=staff, status=S.FORWARDED, partner="politie")
    report.refresh_from_db()

    steps = report_status_history(report=report)

    assert [s.status for s in steps] == [S.NEW, S.IN_PROGRESS, S.FORWARDED]
    assert [s.label for s in steps] == ["nieuw", "in behandeling", "doorgestuurd naar partner"]
    assert steps[0].at <= steps[1].at <= steps[2].at


def test_report_status_history_shows_current_status_when_no_events_exist(town, categories):
    report = ReportFactory(category=categories["zwerfafval"], buurt=town.buurten[0])
    assert ReportEvent.objects.filter(report=report).count() == 0
    assert [s.status for s in report_status_history(report=report)] == [S.NEW]


def test_report_status_history_starts_with_status_before_first_change_when_intake_not_logged(
    town, categories
):
    report = ReportFactory(category=categories["zwerfafval"], buurt=town.buurten[0])
    report_status_change(report=report, actor=None, status=S.RESOLVED)
    report.refresh_from_db()
    steps = report_status_history(report=report)
    assert [s.status for s in steps] == [S.NEW, S.RESOLVED]
    assert steps[0].at == report.created_at


def test_report_status_history_includes_cancellation_when_report_was_merged(town, categories):
    duplicate = _filed(town, categories)
    target = ReportFactory(category=categories["zwerfafval"], buurt=town.buurten[1])
    report_merge(duplicate=duplicate, into=target, actor=None)
    duplicate.refresh_from_db()
    assert [s.status for s in report_status_history(report=duplicate)] == [S.NEW, S.CANCELLED]


def test_report_public_messages_leaves_out_internal_notes(town, categories):
    report = _filed(town, categories)
    staff = UserFactory()
    report_message_add(report=report, actor=staff, body="Alleen voor collega's", public=False)
    public = report_message_add(report=report, actor=staff, body="We gaan kijken.", public=True)
    assert list(report_public_messages(report=report)) == [public]


# --- report_intake_precheck -------------------------------------------------------------------


def test_report_intake_precheck_lists_nearby_reports_with_public_distance_when_point_given(
    town, categories
):
    litter = categories["zwerfafval"]
    lat, lon = point(0, dx=100, dy=100)
    near_lat, near_lon = point(0, dx=160, dy=100)
    near = ReportFactory(category=litter, buurt=town.buurten[0], lat=near_lat, lon=near_lon)

    check = report_intake_precheck(category_slug="zwerfafval", lat=lat, lon=lon)

    assert check.category == litter
    assert check.buurt == town.buurten[0]
    assert [n.report for n in check.nearby] == [near]
    cell = cell_centre_wgs84(near.grid_x, near.grid_y)
    expected = round(distance_m(lat, lon, cell[0], cell[1]) / 10) * 10
    assert check.nearby[0].distance_m == expected
    assert check.nearby[0].distance_m % 10 == 0


def test_report_intake_precheck_lists_reports_in_buurt_when_buurt_chosen(town, categories):
    litter = categories["zwerfafval"]
    there = ReportFactory(category=litter, buurt=town.buurten[1])
    ReportFactory(category=litter, buurt=town.buurten[0])

    check = report_intake_precheck(
        category_slug="zwerfafval", buurt_code="BU05469001", location_description="Bij de brug"
    )

    assert [(n.report, n.distance_m) for n in check.nearby] == [(there, None)]


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("bestaat-niet", "category_unavailable"),
        ("verloedering", "category_unavailable"),
        ("huiselijk-geweld", "category_redirect_only"),
        ("spoed", "category_redirect_only"),
    ],
)
def test_report_intake_precheck_refuses_category_like_report_create(town, categories, slug, code):
    lat, lon = point(1)
    with pytest.raises(DomainError) as err:
        report_intake_precheck(category_slug=slug, lat=lat, lon=lon)
    assert err.value.code == code
    assert err.value.extra["field"] == "category"


def test_report_intake_precheck_refuses_point_outside_municipality(town, categories):
    lat, lon = point(10)
    with pytest.raises(DomainError) as err:
        report_intake_precheck(category_slug="zwerfafval", lat=lat, lon=lon)
    assert (err.value.code, err.value.extra["field"]) == ("outside_municipality", "location")
