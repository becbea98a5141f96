"""Load the Leiden demo reports (reports.demo); idempotent."""

from django.core.management.base import BaseCommand, CommandParser

from reports.demo import reports_demo_seed


class Command(BaseCommand):
    help = (
        "Create demo reports in Leiden over the last two years (deterministic; does nothing "
        "when demo reports exist). Loads the Leiden areas, taxonomy and categories if missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=20261125)

    def handle(self, *args: object, **opts: object) -> None:
        created = reports_demo_seed(count=int(opts["count"]), seed=int(opts["seed"]))  # type: ignore[call-overload]
        if created:
            self.stdout.write(self.style.SUCCESS(f"{created} demo reports created."))
        else:
            self.stdout.write("Demo reports exist already; nothing created.")
