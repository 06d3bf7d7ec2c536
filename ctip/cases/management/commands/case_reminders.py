from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ctip.cases import conf
from ctip.cases.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Queue the e-mail reminders of recovery-period and shelter-stay deadlines (run once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="look ahead this many days (CTIP_REMINDER_DAYS)")

    def handle(self, *args: Any, **options: Any) -> None:
        days = conf.reminder_days() if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more")
        result = send_deadline_reminders.enqueue(on=timezone.localdate().isoformat(), days=days)
        self.stdout.write(f"queued reminders for deadlines within {days} days (task {result.id})")
