"""`vanthu demo`: migrate, load the demo province (idempotently), print the demo accounts, serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser

from vanthu.core import clock
from vanthu.org.demo import DEMO_PASSWORD
from vanthu.org.demo import demo_load


class Command(BaseCommand):
    help = "Migrate, load the demo province of Thanh Hóa and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the demo and stop")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.VANTHU_MODE == "production":
            raise CommandError("The demo province is never loaded in production mode.")
        call_command("migrate", interactive=False, verbosity=0)
        result = demo_load(now=clock.now(), with_passwords=settings.VANTHU_DEMO)
        self.stdout.write(
            f"Demo province ready: {result.created_agencies} agencies and {result.created_people} people created"
            " this time (nothing is created twice)."
        )
        if not settings.VANTHU_TWO_FACTOR_REQUIRED:
            self.stdout.write(
                self.style.WARNING(
                    "DEMO MODE: two-factor sign-in is SWITCHED OFF for leaders, clerks and administrators. "
                    "Never run a real agency like this."
                )
            )
        if settings.VANTHU_DEMO:
            self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
            for account in result.accounts:
                self.stdout.write(f"  {account.username:<34} {account.full_name:<24} {account.description}")
        # A first backup, so the administrator's backup page shows a real one (kept in the data folder).
        try:
            call_command("vanthu_backup", if_none=True, stdout=self.stdout, stderr=self.stderr)
        except SystemExit:
            self.stdout.write(self.style.WARNING("The demo's first backup did not succeed: see `vanthu backup`."))
        if not options["no_serve"]:
            call_command("vanthu_serve", host=options["host"], port=options["port"])
