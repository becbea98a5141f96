"""Background tasks: the reporter notification and the scheduled retention job."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reports.models import Report, ReportMessage
from reports.selectors import report_get_by_token
from reports.tasks import report_contacts_anonymise_task, report_notify_reporter
from tests.reports.factories import ReportFactory, ReportMessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reports.urls_for_mail")]


def test_report_notify_reporter_sends_latest_public_message_and_working_link_when_consented(
    town, categories
):
    # given
    report = ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        contact_email="melder@example.test",
        contact_consent=True,
    )
    ReportMessageFactory(report=report, body="Eerste bericht.")
    ReportMessageFactory(report=report, body="Tweede bericht.")
    ReportMessageFactory(report=report, kind=ReportMessage.Kind.INTERNAL, body="Interne notitie.")
    # when
    sent = report_notify_reporter.call(report_id=report.pk)
    # then
    assert sent is True
    body = mail.outbox[0].body
    assert "Tweede bericht." in body
    assert "Eerste bericht." not in body
    assert "Interne notitie." not in body
    link = next(line for line in body.splitlines() if "/melding/volgen/" in line).strip()
    token = urlparse(link).path.rstrip("/").rsplit("/", 1)[1]
    assert report_get_by_token(token=token) == report
    assert Client().get(urlparse(link).path).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"contact_email": "melder@example.test", "contact_consent": False},
        {"contact_email": "", "contact_consent": True},
        {
            "contact_email": "melder@example.test",
            "contact_consent": True,
            "contact_anonymised_at": timezone.now(),
        },
    ],
    ids=["no_consent", "no_address", "anonymised"],
)
def test_report_notify_reporter_sends_nothing_when_no_consent_or_address(fields, town, categories):
    report = ReportFactory(buurt=town.buurten[0], category=categories["zwerfafval"], **fields)
    assert report_notify_reporter.call(report_id=report.pk) is False
    assert mail.outbox == []


def test_report_notify_reporter_sends_nothing_when_report_is_gone():
    assert report_notify_reporter.call(report_id=987654) is False
    assert mail.outbox == []


def test_report_contacts_anonymise_task_erases_contacts_when_retention_has_passed(
    town, categories, settings
):
    settings.REPORTS_CONTACT_RETENTION_DAYS = 365
    old = ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        status=Report.Status.RESOLVED,
        closed_at=timezone.now() - timedelta(days=400),
        contact_email="melder@example.test",
        contact_consent=True,
    )
    assert report_contacts_anonymise_task.call() == 1
    old.refresh_from_db()
    assert old.contact_email == ""
