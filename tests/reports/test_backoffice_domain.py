"""Domain additions for the back office (/beheer/meldingen/): sorting and the moderation
filter of the staff list, the moderation queue, the staff map, look-up by reference, the
audit log, the next statuses, and importing without a mapping file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.imports import report_import_from_file
from reports.models import Report, ReportCategory
from reports.selectors import (
    STAFF_SORTS,
    StaffFilters,
    report_event_list,
    report_get_for_staff_by_reference,
    report_list_awaiting_moderation,
    report_list_for_staff,
    report_map_features_for_staff,
)
from reports.services import (
    report_merge,
    report_moderate,
    report_status_change,
    report_statuses_next,
)
from tests.reports.conftest import point
from tests.reports.factories import ReportCategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

CONFIDENTIAL = ReportCategory.Sensitivity.CONFIDENTIAL
RESTRICTED = ReportCategory.Sensitivity.RESTRICTED


def _report(town, **kwargs) -> Report:
    kwargs.setdefault("buurt", town.buurten[0])
    return ReportFactory(**kwargs)


def _refs(qs) -> list[str]:
    return [r.reference for r in qs]


def _three(town):
    now = timezone.now()
    a = _report(
        town,
        reference="BS-A",
        buurt=town.buurt("BU05469100"),
        category=ReportCategoryFactory(name="Afval"),
        support_count=1,
    )
    b = _report(
        town,
        reference="BS-B",
        buurt=town.buurt("BU05469000"),
        category=ReportCategoryFactory(name="Zwerfvuil"),
        status=Report.Status.IN_PROGRESS,
        support_count=5,
    )
    c = _report(
        town,
        reference="BS-C",
        buurt=town.buurt("BU05469001"),
        category=ReportCategoryFactory(name="Bankje"),
        support_count=0,
    )
    for report, days in ((a, 3), (b, 2), (c, 1)):
        Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=days))
    return a, b, c


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["BS-C", "BS-B", "BS-A"]),
        ("oldest", ["BS-A", "BS-B", "BS-C"]),
        ("status", ["BS-B", "BS-C", "BS-A"]),  # in_behandeling < nieuw
        ("category", ["BS-A", "BS-C", "BS-B"]),  # Afval, Bankje, Zwerfvuil
        ("buurt", ["BS-B", "BS-C", "BS-A"]),  # Noordbuurt? see names below
        ("support", ["BS-B", "BS-A", "BS-C"]),
        ("no-such-sort", ["BS-C", "BS-B", "BS-A"]),
    ],
)
def test_staff_list_sorts_by_the_chosen_key(town, sort, expected):
    _three(town)
    if sort == "buurt":
        # Havenbuurt (A), Middenbuurt (C), Noordbuurt (B)
        expected = ["BS-A", "BS-C", "BS-B"]
    assert _refs(report_list_for_staff(filters=StaffFilters(sort=sort))) == expected
    assert sort in STAFF_SORTS or sort == "no-such-sort"


def test_staff_list_filters_on_moderation(town):
    a, b, _c = _three(town)
    report_moderate(report=a, actor=None, decision=Report.Moderation.APPROVED)
    report_moderate(report=b, actor=None, decision=Report.Moderation.REJECTED)
    approved = report_list_for_staff(filters=StaffFilters(moderation="approved"))
    assert _refs(approved) == ["BS-A"]


def test_moderation_queue_holds_pending_public_reports_oldest_first(town):
    _a, b, c = _three(town)
    restricted = _report(town, category=ReportCategoryFactory(sensitivity=RESTRICTED))
    confidential = _report(town, category=ReportCategoryFactory(sensitivity=CONFIDENTIAL))
    done = _report(town, moderation=Report.Moderation.APPROVED)
    cancelled = _report(town, status=Report.Status.CANCELLED)
    report_merge(duplicate=c, into=b, actor=None)

    queue = _refs(report_list_awaiting_moderation())

    assert queue == ["BS-A", "BS-B"]
    for absent in (restricted, confidential, done, cancelled, c):
        assert absent.reference not in queue


def test_map_features_are_exact_points_of_the_selection_with_a_total(town):
    a, _b, c = _three(town)
    buurt_only = _report(town, lat=None, lon=None, grid_x=None, grid_y=None)
    secret = _report(town, category=ReportCategoryFactory(sensitivity=CONFIDENTIAL))

    features, total = report_map_features_for_staff(filters=StaffFilters(), limit=2)

    assert total == 3  # a, b, c: not the one without a point, not the confidential one
    assert [f["properties"]["reference"] for f in features] == ["BS-C", "BS-B"]
    first = features[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [c.lon, c.lat]}
    assert first["properties"]["uuid"] == str(c.uuid)
    assert first["properties"]["status_label"] == "nieuw"
    refs_all = {
        f["properties"]["reference"]
        for f in report_map_features_for_staff(
            filters=StaffFilters(include_confidential=True), limit=100
        )[0]
    }
    assert secret.reference in refs_all
    assert buurt_only.reference not in refs_all
    assert a.reference in refs_all


def test_get_by_reference_ignores_case_and_spaces(town):
    report = _report(town, reference="BS-2026-ABCD")
    assert report_get_for_staff_by_reference(reference=" bs-2026-abcd ") == report
    with pytest.raises(Report.DoesNotExist):
        report_get_for_staff_by_reference(reference="BS-0000-0000")


def test_event_list_is_the_audit_log_in_order(town, django_user_model):
    report = _report(town)
    actor = django_user_model.objects.create_user(email="m@example.test", password="x")
    report_status_change(report=report, actor=actor, status=Report.Status.IN_PROGRESS)
    report_moderate(report=report, actor=actor, decision=Report.Moderation.APPROVED)

    events = list(report_event_list(report=report))

    assert [e.action for e in events] == ["report.status_changed", "report.moderated"]
    assert events[0].actor == actor
    assert events[0].before == {"status": "nieuw", "partner": ""}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("nieuw", ["in_behandeling", "afgehandeld", "doorgestuurd", "geannuleerd"]),
        ("in_behandeling", ["afgehandeld", "doorgestuurd", "geannuleerd"]),
        ("afgehandeld", ["in_behandeling"]),
        ("doorgestuurd", ["in_behandeling"]),
        ("geannuleerd", ["in_behandeling"]),
    ],
)
def test_next_statuses_follow_the_workflow(town, status, expected):
    assert report_statuses_next(report=_report(town, status=status)) == expected


def test_next_statuses_are_none_for_a_merged_duplicate(town):
    target, duplicate = _report(town), _report(town)
    report_merge(duplicate=duplicate, into=target, actor=None)
    duplicate.refresh_from_db()
    assert report_statuses_next(report=duplicate) == []


def test_import_without_mapping_file_takes_the_codes_as_slugs(tmp_path, town, categories):
    lat, lon = point(0)
    data = tmp_path / "meldingen.csv"
    data.write_text(
        "id,categorie,datum,status,lat,lon\n"
        f"1,zwerfafval,2025-03-05,open,{lat},{lon}\n"
        f"2,AFV,2025-03-05,open,{lat},{lon}\n",
        encoding="utf-8",
    )

    result = report_import_from_file(path=data, mapping_path=None, source_name="mor", partial=True)

    assert result.imported == 1
    [error] = result.errors
    assert (error.line, error.field) == (3, "category")
    assert "geen categorie van Buurtstem" in error.message
    assert Report.objects.get().category.slug == "zwerfafval"
