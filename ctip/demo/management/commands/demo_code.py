from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.accounts.models import TotpDevice, normalise_email
from ctip.demo.data import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (demo and training installations only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = normalise_email(options["email"])
        if not settings.CTIP_DEMO_ALLOWED:
            raise CommandError("demo-code works only outside the production profile.")
        if not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"demo-code only gives codes for demo accounts (@{DEMO_DOMAIN}).")
        device = TotpDevice.objects.filter(user__email=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator; run `ctip demo` first.")
        left = device.step - int(time.time()) % device.step
        self.stderr.write(f"Code for {email} (valid for about {left} s more):")
        self.stdout.write(device.current_code())
