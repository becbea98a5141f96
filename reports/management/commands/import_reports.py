"""Import existing reports from another system (see reports.imports for the file format)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exceptions import ReportImportError
from reports.imports import report_import_from_file


class Command(BaseCommand):
    help = (
        "Import reports from a CSV (lat/lon columns) or GeoJSON (points) export of another "
        "system. Categories are mapped with a CSV `external_code,slug`. All or nothing unless "
        "--partial; idempotent per --source-name and external id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV or GeoJSON file with the reports.")
        parser.add_argument("--mapping", required=True, help="CSV with columns external_code,slug.")
        parser.add_argument(
            "--source-name",
            default="import",
            help="Name of the other system; with the external id it makes a row unique.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only.")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Import the valid rows even when other rows have errors.",
        )

    def handle(self, *args: object, **opts: object) -> None:
        try:
            result = report_import_from_file(
                path=str(opts["path"]),
                mapping_path=str(opts["mapping"]),
                source_name=str(opts["source_name"]),
                dry_run=bool(opts["dry_run"]),
                partial=bool(opts["partial"]),
            )
        except ReportImportError as exc:
            raise CommandError(str(exc)) from exc
        verbosity = int(opts["verbosity"])  # type: ignore[call-overload]
        for issue in result.errors:
            self.stderr.write(f"  line {issue}")
        if verbosity >= 2:
            for issue in result.skipped:
                self.stdout.write(f"  line {issue}")
        if result.errors and not result.partial:
            raise CommandError(
                f"{len(result.errors)} error(s); nothing imported "
                "(fix the file, or use --partial to import the valid rows). " + result.summary()
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
