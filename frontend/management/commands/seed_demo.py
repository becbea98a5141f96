"""Load the Leiden demo: areas, key figures, the IVP taxonomy and report categories, demo
accounts for every role, two years of demo reports, and the burgerpanel with two survey waves.

Lives in `frontend` because it spans every domain app (the dependency rule lets only the
interface layer import them all). Everything is created through services and is idempotent.
"""

from django.core.management.base import BaseCommand, CommandParser

from frontend.demo import plan_demo_seed
from geo.demo import leiden_areas_seed
from geo.models import Area
from participation.demo import demo_accounts_seed
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.demo import reports_demo_seed
from surveys.demo import surveys_demo_seed


class Command(BaseCommand):
    help = "Load the Leiden demo data and demo accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has areas (used by `make run`).",
        )
        parser.add_argument(
            "--reports",
            type=int,
            default=3000,
            help="How many demo reports to create when there are none yet (default 3000).",
        )
        parser.add_argument(
            "--panel-members",
            type=int,
            default=2000,
            help="Size of the demo burgerpanel answering the 2023 and 2025 survey waves "
            "(default 2000; 0 skips the surveys demo).",
        )

    def handle(self, *args: object, **opts: object) -> None:
        if opts["if_empty"] and Area.objects.exists():
            self.stdout.write("Database already has data; demo not loaded again.")
            self._print_accounts(demo_accounts_seed(create=False))
            return
        self.stdout.write("Leiden: gemeente, wijken, buurten and key figures…")
        areas = leiden_areas_seed()
        self.stdout.write(f"  gemeente: {areas.gemeente.summary()}")
        self.stdout.write(f"  wijken:   {areas.wijken.summary()}")
        self.stdout.write(f"  buurten:  {areas.buurten.summary()}")
        self.stdout.write(f"  kerncijfers: {areas.population.summary()}")
        self.stdout.write(f"IVP taxonomy: {taxonomy_seed_default()} thema's created.")
        self.stdout.write(f"Report categories: {report_categories_seed_default()} created.")
        accounts = demo_accounts_seed()
        self.stdout.write("Demo reports (two years of Leiden meldingen)…")
        created = reports_demo_seed(count=opts["reports"]) if opts["reports"] else 0  # type: ignore[arg-type]
        self.stdout.write(f"  reports: {created} created.")
        if opts["panel_members"]:
            self.stdout.write("Demo burgerpanel and survey waves 2023 and 2025…")
            surveys = surveys_demo_seed(members=opts["panel_members"])  # type: ignore[arg-type]
            self.stdout.write(f"  {surveys.summary()}")
        plan = plan_demo_seed()
        if plan is not None:
            self.stdout.write(f"Demo veiligheidsplan: {plan.title}.")
        self._print_accounts(accounts)

    def _print_accounts(self, accounts: list) -> None:
        if not accounts:
            return
        self.stdout.write(self.style.SUCCESS("Demo accounts (development only):"))
        width = max(len(a.email) for a in accounts)
        for account in accounts:
            line = f"  {account.role_label:<22} {account.email:<{width}}  {account.password}"
            if account.totp_secret:
                line += f"  TOTP secret {account.totp_secret}"
            self.stdout.write(line)
