"""Retention: erase the contact data of reports closed longer ago than the retention period.

Schedule it daily (cron or the task worker). See docs/privacy.md.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exceptions import RetentionTooShortError
from reports.services import report_contacts_anonymise


class Command(BaseCommand):
    help = (
        "Erase contact e-mail, consent, account links and supporter links of reports that "
        "were closed more than N days ago (default REPORTS_CONTACT_RETENTION_DAYS). "
        "Idempotent; refuses fewer than 30 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days (default: REPORTS_CONTACT_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count, erase nothing.")

    def handle(self, *args: object, **opts: object) -> None:
        days = opts["days"]
        dry_run = bool(opts["dry_run"])
        try:
            count = report_contacts_anonymise(older_than_days=days, dry_run=dry_run)  # type: ignore[arg-type]
        except RetentionTooShortError as exc:
            raise CommandError(str(exc)) from exc
        period = days if days is not None else settings.REPORTS_CONTACT_RETENTION_DAYS
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} report(s) closed more than {period} days ago would be "
                "anonymised."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} report(s) closed more than {period} days ago anonymised."
                )
            )
