from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.accounts.models import ApiToken
from ctip.accounts.services import token_revoke


class Command(BaseCommand):
    help = "Revoke an API token, given the token itself or its key id (the part after ctip_ and before the dot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", help="the token or its key id")

    def handle(self, *args: Any, **options: Any) -> None:
        key_id = options["token"].removeprefix(ApiToken.PREFIX).partition(".")[0]
        token = ApiToken.objects.select_related("membership__organisation").filter(key_id=key_id).first()
        if token is None:
            raise CommandError(f"No token with key id {key_id!r}.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {key_id} was already revoked at {token.revoked_at:%Y-%m-%d %H:%M} UTC.")
            return
        token_revoke(by=None, token=token)
        self.stdout.write(f"Token {key_id} revoked.")
