from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.cases.generate import CHUNK, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic organisations, case workers and victim cases for benchmarks and load tests "
        "(refuses under the production profile unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="how many cases to create")
        parser.add_argument("--organisations", type=int, required=True, help="how many organisations to create")
        parser.add_argument("--seed", type=int, default=0, help="seed of the random generator (default 0)")
        parser.add_argument("--years", type=int, default=8, help="spread the cases over this many years (default 8)")
        parser.add_argument(
            "--prefix", default="gen", help="organisation codes are PREFIX-0001, PREFIX-0002 … (default gen)"
        )
        parser.add_argument("--chunk", type=int, default=CHUNK, help=f"cases per transaction (default {CHUNK})")
        parser.add_argument("--force", action="store_true", help="run even under the production profile")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PROFILE == "production" and not options["force"]:
            raise CommandError(
                "Refusing to write made-up cases into a production database. "
                "Use --force if this really is a throw-away installation."
            )
        if options["chunk"] < 1:
            raise CommandError(f"--chunk must be 1 or more, not {options['chunk']}")

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0.0
            self.stdout.write(f"{done:>10,} / {total:,} cases  {seconds:7.1f} s  {rate:8,.0f} cases/s")
            self.stdout.flush()

        try:
            result = generate(
                cases=options["cases"],
                organisations=options["organisations"],
                seed=options["seed"],
                years=options["years"],
                prefix=options["prefix"],
                chunk=options["chunk"],
                progress=progress,
            )
        except ValidationError as error:
            messages = [f"{key}: {' '.join(value)}" for key, value in error.message_dict.items()]
            raise CommandError("; ".join(messages)) from None
        counts = ", ".join(f"{name} {count:,}" for name, count in sorted(result.counts.items()))
        self.stdout.write(
            f"Created {len(result.organisations)} organisations with a case worker each; {counts or 'no cases'}; "
            f"in {result.seconds:.1f} s."
        )
