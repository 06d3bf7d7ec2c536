from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctip.accounts.models import normalise_email
from ctip.accounts.services import token_issue
from ctip.orgs.models import Membership


class Command(BaseCommand):
    help = "Issue an API token for a user acting for an organisation; prints the token once (it is stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the user's e-mail")
        parser.add_argument("--org", required=True, help="the organisation's short code")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(user__email=normalise_email(options["user"]), organisation__code__iexact=options["org"])
            .first()
        )
        if membership is None:
            raise CommandError(f"{options['user']} is not a member of organisation {options['org']}.")
        if not (membership.is_active and membership.organisation.is_active and membership.user.is_active):
            raise CommandError(f"The membership of {options['user']} in {options['org']} is not active.")
        token, plaintext = token_issue(by=None, membership_id=membership.pk, name=options["name"])
        self.stderr.write(f"Token {token.key_id} for {membership}. Keep it secret; it is not shown again.")
        self.stdout.write(plaintext)
