"""``ctip plan-reminders``: e-mail responsible organisations whose progress reports are due soon or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.plans.tasks import run_reminders, send_plan_reminders


class Command(BaseCommand):
    help = "Send the reminders owed today (each at most once); run it daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up.")
        parser.add_argument("--enqueue", action="store_true", help="Hand the work to the task worker instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: {options['date']!r} is not a date in the form YYYY-MM-DD.") from None
        if options["enqueue"]:
            result = send_plan_reminders.enqueue(today=day.isoformat() if day else None)
            self.stdout.write(f"Enqueued reminders as task {result.id}.")
            return
        sent = run_reminders(day)
        self.stdout.write(f"Sent {sent} reminder message(s).")
