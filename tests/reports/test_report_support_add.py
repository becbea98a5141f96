""" "Ik heb hier ook last van": once per person or device, open public reports only."""

import pytest

from core.exceptions import DomainError
from reports.models import Report, ReportSupport
from reports.services import report_support_add
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(town, categories):
    return ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"])


def test_report_support_add_counts_each_user_once_when_user_supports_twice(report):
    user = UserFactory()
    assert report_support_add(report=report, user=user) is True
    assert report_support_add(report=report, user=user) is False
    assert report.support_count == 1
    report.refresh_from_db()
    assert report.support_count == 1 == ReportSupport.objects.count()


def test_report_support_add_counts_each_device_once_when_anonymous(report):
    assert report_support_add(report=report, device_id="toestel-1") is True
    assert report_support_add(report=report, device_id="toestel-1") is False
    assert report_support_add(report=report, device_id="toestel-2") is True
    report.refresh_from_db()
    assert report.support_count == 2
    hashes = set(ReportSupport.objects.values_list("device_hash", flat=True))
    assert "toestel-1" not in hashes  # only a keyed hash of the device id is stored
    assert len(hashes) == 2


def test_report_support_add_counts_users_and_devices_separately(report):
    report_support_add(report=report, user=UserFactory())
    report_support_add(report=report, user=UserFactory(), device_id="toestel-1")
    report_support_add(report=report, device_id="toestel-1")
    report.refresh_from_db()
    assert report.support_count == 3


def test_report_support_add_ignores_reporter_when_they_support_their_own_report(town, categories):
    user = UserFactory()
    report = ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"], reporter=user)
    assert report_support_add(report=report, user=user) is False
    assert report.support_count == 0


def test_report_support_add_refuses_when_sender_is_unknown(report):
    with pytest.raises(DomainError) as exc_info:
        report_support_add(report=report)
    assert exc_info.value.extra == {"field": "device"}
    assert not ReportSupport.objects.exists()


@pytest.mark.parametrize(
    "status", [Report.Status.RESOLVED, Report.Status.FORWARDED, Report.Status.CANCELLED]
)
def test_report_support_add_refuses_when_report_is_closed(status, town, categories):
    report = ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"], status=status)
    with pytest.raises(DomainError) as exc_info:
        report_support_add(report=report, device_id="toestel-1")
    assert exc_info.value.code == "report_not_open"
    assert not ReportSupport.objects.exists()


def test_report_support_add_accepts_when_report_is_in_progress(town, categories):
    report = ReportFactory(
        buurt=town.buurten[0], category=categories["zwerfafval"], status=Report.Status.IN_PROGRESS
    )
    assert report_support_add(report=report, device_id="toestel-1") is True


def test_report_support_add_refuses_when_report_was_merged(report, town, categories):
    into = ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"])
    report.duplicate_of = into
    report.save()
    with pytest.raises(DomainError) as exc_info:
        report_support_add(report=report, device_id="toestel-1")
    assert exc_info.value.code == "report_not_open"


@pytest.mark.parametrize("slug", ["woonoverlast", "ondermijning-vermoeden"])
def test_report_support_add_refuses_when_category_is_not_public(slug, town, categories):
    report = ReportFactory(buurt=town.buurten[0], category=categories[slug])
    with pytest.raises(DomainError) as exc_info:
        report_support_add(report=report, device_id="toestel-1")
    assert exc_info.value.code == "category_unavailable"
    assert not ReportSupport.objects.exists()
