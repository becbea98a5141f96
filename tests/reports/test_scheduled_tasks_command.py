"""`manage.py run_scheduled_tasks` enqueues the periodic jobs (immediate backend in tests)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports.models import Report
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("run_scheduled_tasks", *args, stdout=out)
    return out.getvalue()


def test_run_scheduled_tasks_runs_every_periodic_job(town, categories):
    old = ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        status=Report.Status.RESOLVED,
        closed_at=timezone.now() - timedelta(days=400),
        contact_email="melder@example.test",
        contact_consent=True,
    )

    text = _run()

    old.refresh_from_db()
    assert old.contact_email == ""
    assert old.contact_anonymised_at is not None
    assert "report_contacts_anonymise: done, result 1" in text
    assert "surveys_close_due: done" in text
    assert "invitation_reminders: done" in text


def test_run_scheduled_tasks_only_runs_the_named_job(town, categories):
    text = _run("--only", "surveys_close_due")

    assert "surveys_close_due: done" in text
    assert "report_contacts_anonymise" not in text


def test_run_scheduled_tasks_rejects_an_unknown_job():
    with pytest.raises(CommandError, match="invalid choice"):
        _run("--only", "everything")
