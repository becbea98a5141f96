"""Register an Open311 client and print its API key (shown once, stored hashed)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.open311_keys import open311_client_create


class Command(BaseCommand):
    help = "Create an Open311 client (a system allowed to POST service requests) and print its key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who uses the key, e.g. 'Leiden Buitenbeter-koppeling'.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = open311_client_create(name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        client = created.client
        self.stdout.write(f"Created Open311 client {client.name!r} (id {client.pk}).")
        self.stdout.write("API key (shown only now; store it in the client's secret store):")
        self.stdout.write(created.api_key)
