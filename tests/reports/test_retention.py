"""Retention of contact data: report_contacts_anonymise and its command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.exceptions import DomainError
from reports.models import Report, ReportEvent
from reports.services import report_contacts_anonymise
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory, ReportSupportFactory

pytestmark = pytest.mark.django_db

S = Report.Status


@pytest.fixture
def make(town, categories):
    def make(status=S.RESOLVED, closed_days_ago=400, **kwargs):
        closed = status in Report.CLOSED_STATUSES
        report = ReportFactory(
            buurt=town.buurten[0],
            category=categories["zwerfafval"],
            status=status,
            closed_at=timezone.now() - timedelta(days=closed_days_ago) if closed else None,
            contact_email="melder@example.test",
            contact_consent=True,
            reporter=UserFactory(),
            **kwargs,
        )
        ReportSupportFactory(report=report, user=UserFactory(), device_hash="")
        ReportSupportFactory(report=report, device_hash="toestel")
        return report

    return make


def _is_anonymised(report: Report) -> bool:
    report.refresh_from_db()
    return (
        report.contact_email == ""
        and report.contact_consent is False
        and report.reporter_id is None
        and report.contact_anonymised_at is not None
        and all(s.user_id is None and s.device_hash == "" for s in report.supports.all())
    )


def test_report_contacts_anonymise_erases_contacts_of_closed_reports_when_older_than_period(
    make,
):
    # given
    old = {status: make(status=status) for status in Report.CLOSED_STATUSES}
    recent = make(closed_days_ago=100)
    open_report = make(status=S.IN_PROGRESS)
    # when
    count = report_contacts_anonymise(older_than_days=365)
    # then
    assert count == 3
    assert all(_is_anonymised(r) for r in old.values())
    assert not _is_anonymised(recent)
    assert not _is_anonymised(open_report)
    for report in old.values():
        event = ReportEvent.objects.get(report=report)
        assert event.action == "report.contact_anonymised"
        assert event.actor is None
        assert event.after == {"retention_days": 365}
        assert report.supports.count() == 2  # still counted, no longer linked to anyone


def test_report_contacts_anonymise_keeps_report_content_when_anonymising(make):
    report = make()
    before = Report.objects.values("description", "lat", "lon", "buurt_id", "status").get(
        pk=report.pk
    )
    report_contacts_anonymise(older_than_days=365)
    after = Report.objects.values("description", "lat", "lon", "buurt_id", "status").get(
        pk=report.pk
    )
    assert after == before


def test_report_contacts_anonymise_uses_setting_when_no_period_is_given(make, settings):
    settings.REPORTS_CONTACT_RETENTION_DAYS = 90
    report = make(closed_days_ago=100)
    assert report_contacts_anonymise() == 1
    assert _is_anonymised(report)
    assert ReportEvent.objects.get().after == {"retention_days": 90}


def test_report_contacts_anonymise_does_nothing_twice_when_run_again(make):
    make()
    assert report_contacts_anonymise(older_than_days=365) == 1
    assert report_contacts_anonymise(older_than_days=365) == 0
    assert ReportEvent.objects.count() == 1


def test_report_contacts_anonymise_counts_but_writes_nothing_when_dry_run(make):
    report = make()
    assert report_contacts_anonymise(older_than_days=365, dry_run=True) == 1
    assert not _is_anonymised(report)
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize("days", [29, 0, -1])
def test_report_contacts_anonymise_refuses_when_period_is_under_30_days(days, make, settings):
    report = make(closed_days_ago=400)
    with pytest.raises(DomainError) as exc_info:
        report_contacts_anonymise(older_than_days=days)
    assert exc_info.value.code == "retention_too_short"
    assert not _is_anonymised(report)


def test_report_contacts_anonymise_refuses_when_setting_is_under_30_days(make, settings):
    settings.REPORTS_CONTACT_RETENTION_DAYS = 7
    with pytest.raises(DomainError):
        report_contacts_anonymise()


def test_report_contacts_anonymise_accepts_30_days_when_at_the_minimum(make):
    report = make(closed_days_ago=31)
    assert report_contacts_anonymise(older_than_days=30) == 1
    assert _is_anonymised(report)


def test_anonymise_report_contacts_command_erases_and_reports_count_when_run(make):
    report = make(closed_days_ago=100)
    out = StringIO()
    call_command("anonymise_report_contacts", "--days", "90", stdout=out)
    assert "1 report(s)" in out.getvalue()
    assert _is_anonymised(report)


def test_anonymise_report_contacts_command_writes_nothing_when_dry_run(make):
    report = make()
    out = StringIO()
    call_command("anonymise_report_contacts", "--dry-run", stdout=out)
    assert "Dry run: 1 report(s)" in out.getvalue()
    assert not _is_anonymised(report)


def test_anonymise_report_contacts_command_fails_when_days_under_30(make):
    report = make()
    with pytest.raises(CommandError):
        call_command("anonymise_report_contacts", "--days", "10", stdout=StringIO())
    assert not _is_anonymised(report)
