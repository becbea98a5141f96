"""Merging duplicates: supporters move, the duplicate is cancelled, both are audited."""

import pytest

from core.exceptions import DomainError
from reports.models import Report, ReportEvent, ReportMessage, ReportSupport
from reports.services import report_merge
from tests.geo.factories import AreaFactory
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory, ReportSupportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(role_user):
    return role_user("policy_staff")


@pytest.fixture
def make(town, categories):
    def make(**kwargs):
        kwargs.setdefault("buurt", town.buurten[0])
        kwargs.setdefault("category", categories["zwerfafval"])
        return ReportFactory(**kwargs)

    return make


def test_report_merge_moves_supporters_and_counts_reporter_when_merging(make, staff):
    # given
    shared = UserFactory()
    dup_reporter = UserFactory()
    into = make(reporter=UserFactory())
    ReportSupportFactory(report=into, user=shared, device_hash="")
    duplicate = make(reporter=dup_reporter)
    ReportSupportFactory(report=duplicate, user=shared, device_hash="")  # counted already
    ReportSupportFactory(report=duplicate, device_hash="dev-a")
    ReportSupportFactory(report=duplicate, user=UserFactory(), device_hash="")
    ReportSupportFactory(report=duplicate, user=into.reporter, device_hash="")  # the reporter
    # when
    result = report_merge(duplicate=duplicate, into=into, actor=staff)
    # then
    into.refresh_from_db()
    duplicate.refresh_from_db()
    assert result == into
    # shared + dev-a + the other user + the duplicate's reporter
    assert into.support_count == 4 == into.supports.count()
    assert set(into.supports.exclude(user=None).values_list("user_id", flat=True)) >= {
        shared.pk,
        dup_reporter.pk,
    }
    assert not into.supports.filter(user=into.reporter).exists()
    assert duplicate.supports.count() == 0
    assert duplicate.support_count == 0
    assert duplicate.status == Report.Status.CANCELLED
    assert duplicate.duplicate_of == into
    assert duplicate.closed_at is not None


def test_report_merge_counts_anonymous_reporter_once_when_merging(make, staff):
    into = make()
    duplicate = make()
    report_merge(duplicate=duplicate, into=into, actor=staff)
    into.refresh_from_db()
    assert into.support_count == 1
    assert into.supports.get().device_hash == f"merged:{duplicate.uuid}"


def test_report_merge_does_not_count_reporter_twice_when_both_reports_are_theirs(make, staff):
    user = UserFactory()
    into = make(reporter=user)
    duplicate = make(reporter=user)
    report_merge(duplicate=duplicate, into=into, actor=staff)
    into.refresh_from_db()
    assert into.support_count == 0


def test_report_merge_audits_both_reports_and_tells_duplicate_reporter(make, staff):
    # given
    into = make()
    duplicate = make(status=Report.Status.IN_PROGRESS)
    # when
    report_merge(duplicate=duplicate, into=into, actor=staff)
    # then
    merged = ReportEvent.objects.get(report=duplicate, action="report.merged")
    assert merged.actor == staff
    assert merged.before == {"status": "in_behandeling", "duplicate_of": None}
    assert merged.after == {"status": "geannuleerd", "duplicate_of": into.reference}
    received = ReportEvent.objects.get(report=into, action="report.merge_received")
    assert received.actor == staff
    assert received.after == {
        "from": duplicate.reference,
        "supporters_added": 1,
        "repointed": [],
    }
    message = ReportMessage.objects.get(report=duplicate)
    assert message.kind == ReportMessage.Kind.PUBLIC
    assert into.reference in message.body


def test_report_merge_repoints_earlier_duplicates_when_duplicate_had_received_merges(make, staff):
    # given: a ← b, then a is merged into c
    a, b, c = make(), make(), make()
    report_merge(duplicate=b, into=a, actor=staff)
    # when
    report_merge(duplicate=a, into=c, actor=staff)
    # then: no chain; c counts both reporters
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.duplicate_of == c
    assert c.support_count == 2
    assert ReportEvent.objects.get(report=c).after["repointed"] == [b.reference]


@pytest.mark.parametrize(
    "case", ["same_report", "into_is_merged", "duplicate_is_merged", "into_cancelled", "other_gm"]
)
def test_report_merge_refuses_and_changes_nothing_when_merge_is_invalid(case, make, staff):
    # given
    into = make()
    duplicate = make()
    if case == "same_report":
        duplicate = into
    elif case == "into_is_merged":
        into = make(status=Report.Status.CANCELLED, duplicate_of=make())
    elif case == "duplicate_is_merged":
        duplicate = make(status=Report.Status.CANCELLED, duplicate_of=make())
    elif case == "into_cancelled":
        into = make(status=Report.Status.CANCELLED)
    elif case == "other_gm":
        into = make(buurt=AreaFactory(code="BU03630000"))
    events = ReportEvent.objects.count()
    # when
    with pytest.raises(DomainError) as exc_info:
        report_merge(duplicate=duplicate, into=into, actor=staff)
    # then
    assert exc_info.value.code == "merge_invalid"
    assert exc_info.value.http_status == 409
    assert (
        exc_info.value.extra["reason"]
        == {
            "same_report": "same_report",
            "into_is_merged": "already_merged",
            "duplicate_is_merged": "already_merged",
            "into_cancelled": "target_cancelled",
            "other_gm": "other_municipality",
        }[case]
    )
    assert ReportEvent.objects.count() == events
    assert ReportSupport.objects.count() == 0
    if case in ("into_cancelled", "other_gm"):
        duplicate.refresh_from_db()
        assert duplicate.status == Report.Status.NEW
        assert duplicate.duplicate_of is None
