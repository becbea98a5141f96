from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.codes import AreaLevel
from geo.exceptions import AreaImportError
from geo.services import area_import_from_file


class Command(BaseCommand):
    help = (
        "Import or update CBS areas (gemeente, wijk or buurt) from GeoJSON, GeoPackage or a "
        "shapefile. Idempotent: upserts by (code, year)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--level", required=True, choices=AreaLevel.values)
        parser.add_argument("--year", type=int, help="Vintage of the division (else from file).")
        parser.add_argument(
            "--srid", type=int, help="CRS of a file that declares none, e.g. 28992 (RD New)."
        )
        parser.add_argument("--layer", help="GeoPackage layer (default: by level name).")
        parser.add_argument("--code-field")
        parser.add_argument("--name-field")
        parser.add_argument("--parent-field")
        parser.add_argument(
            "--population-year",
            type=int,
            help="Reference year of population columns (default: --year).",
        )
        parser.add_argument("--source", default="", help="Credit line stored with the areas.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **opts: object) -> None:
        verbosity = int(opts["verbosity"])  # type: ignore[call-overload]

        def progress(done: int, total: int) -> None:
            if verbosity >= 1 and total >= 1000:
                self.stderr.write(f"  {done}/{total} features")

        try:
            result = area_import_from_file(
                path=opts["path"],
                level=opts["level"],
                year=opts["year"],
                srid=opts["srid"],
                layer=opts["layer"],
                code_field=opts["code_field"],
                name_field=opts["name_field"],
                parent_field=opts["parent_field"],
                population_year=opts["population_year"],
                dry_run=bool(opts["dry_run"]),
                source=str(opts["source"]),
                progress=progress,
            )  # type: ignore[arg-type]
        except AreaImportError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 2:
            for message in result.messages:
                self.stdout.write(f"  {message}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
