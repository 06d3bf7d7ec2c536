from __future__ import annotations

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.audit.integrity import chain_verify

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(text: str) -> tuple[int, str]:
    match = _ANCHOR.match(text.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not ID:HASH (an event id and its 64-character row hash)")
    return int(match[1]), match[2]


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


class Command(BaseCommand):
    help = "Look after the audit trail. `ctip audit verify` walks the hash chain and names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="verify")
        verify = commands.add_parser(
            "verify",
            help="check every event's hash and link; exit 1 naming the first event that breaks the chain",
        )
        verify.add_argument("--batch-size", type=_positive, default=5000, help="events read per query")
        verify.add_argument(
            "--progress-every", type=_positive, default=100_000, help="report progress on stderr every N events"
        )
        verify.add_argument(
            "--anchor",
            type=_anchor,
            action="append",
            default=[],
            metavar="ID:HASH",
            help="an event id and row hash printed by an earlier run and kept elsewhere; repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(batch_size=options["batch_size"], every=options["progress_every"], anchors=options["anchor"])

    def verify(self, *, batch_size: int, every: int, anchors: list[tuple[int, str]]) -> None:
        def progress(checked: int, last_id: int) -> None:
            self.stderr.write(f"  {checked} events checked (up to #{last_id})")

        report = chain_verify(batch_size=batch_size, anchors=dict(anchors), progress=progress, progress_every=every)
        if report.first_break is not None:
            found = report.first_break
            raise CommandError(
                f"audit chain BROKEN at event #{found.event_id}: {found.problem} "
                f"({report.checked} events checked and intact)",
                returncode=1,
            )
        self.stdout.write(f"audit chain OK: {report.checked} events")
        if report.last_id is not None:
            # Kept somewhere else, this line lets a later run (--anchor) detect a rewritten or shortened trail.
            self.stdout.write(f"last event: {report.last_id}:{report.last_hash}")
