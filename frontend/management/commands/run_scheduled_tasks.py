"""Enqueue Buurtstem's periodic jobs; run it from cron or a systemd timer (daily is enough).

Django's tasks framework has no scheduler of its own, so the schedule lives outside the app:
this command only *enqueues* the jobs. With the immediate backend (development) they run at
once; in production the database worker (`manage.py db_worker`) picks them up. Every job is
idempotent, so running this more often than needed does no harm.

Lives in `frontend` because it spans several domain apps (the top of the dependency chain).
"""

from django.core.management.base import BaseCommand

from reports.tasks import report_contacts_anonymise_task
from surveys.tasks import invitation_reminders_task, surveys_close_due_task

JOBS = {
    "report_contacts_anonymise": report_contacts_anonymise_task,
    "surveys_close_due": surveys_close_due_task,
    "invitation_reminders": invitation_reminders_task,
}


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs: erase contact data of closed reports after the retention "
        "period, close surveys past their closing date, send due invitation reminders."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--only", choices=sorted(JOBS), action="append", help="Enqueue only this job."
        )

    def handle(self, *args: object, **opts: object) -> None:
        names = opts["only"] or list(JOBS)
        for name in names:  # type: ignore[union-attr]
            result = JOBS[name].enqueue()
            outcome = (
                f"done, result {result.return_value}"
                if result.is_finished
                else f"enqueued ({result.id})"
            )
            self.stdout.write(f"{name}: {outcome}")
