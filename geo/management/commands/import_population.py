from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.exceptions import PopulationImportError
from geo.services import population_import_from_csv


class Command(BaseCommand):
    help = (
        "Import CBS key figures (inhabitants, age bands, sex) per area code from a CSV. "
        "Suppressed CBS values are stored as empty with a flag, never as numbers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--year", type=int, help="Reference year (else a year column).")
        parser.add_argument("--code-field")
        parser.add_argument("--source", default="")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            result = population_import_from_csv(
                path=opts["path"],
                year=opts["year"],
                code_field=opts["code_field"],
                dry_run=bool(opts["dry_run"]),
                source=str(opts["source"]),
            )  # type: ignore[arg-type]
        except PopulationImportError as exc:
            raise CommandError(str(exc)) from exc
        for message in result.messages:
            self.stdout.write(f"  {message}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
