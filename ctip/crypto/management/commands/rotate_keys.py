from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.crypto.cipher import DecryptionError
from ctip.crypto.keyring import keyring
from ctip.crypto.services import keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the newest key in the ring (safe to interrupt and re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        ring = keyring()
        self.stderr.write(f"Current key: {ring.current_id}; ring holds {', '.join(ring.keys)}.")

        def progress(label: str, scanned: int, rewritten: int) -> None:
            self.stderr.write(f"  {label}: {scanned} rows scanned, {rewritten} re-encrypted so far")

        try:
            result = keys_rotate(batch_size=options["batch_size"], progress=progress)
        except DecryptionError as error:
            raise CommandError(f"Stopped: {error}. Is every old key still in the ring?") from None
        self.stdout.write(
            f"Done: {result.scanned} rows scanned, {result.rewritten} re-encrypted under key {ring.current_id}. "
            "Old keys can leave the ring once every instance has run this."
        )
