from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.demo.data import DEMO_PASSWORD
from ctip.demo.services import demo_load, demo_logins


class Command(BaseCommand):
    help = "Load demo organisations and one user per role (refuses in the production profile unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="load even under the production profile")
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["logins"]:
            if not settings.CTIP_DEMO_ALLOWED and not options["force"]:
                raise CommandError(
                    "Refusing to load demo users with a published password into a production database. "
                    "Use --force if this really is a throw-away installation."
                )
            loaded = demo_load()
            self.stdout.write("Demo data loaded." if loaded else "Demo data was already loaded; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, acts in demo_logins():
            self.stdout.write(f"  {email:<32} {acts}")
        self.stdout.write(
            "\nEvery demo account has two-factor authentication set up. After the password, ctip asks for a code:"
            "\n  .venv/bin/ctip demo-code coordinator@demo.ctip.test     (prints the code for that account now)"
        )
