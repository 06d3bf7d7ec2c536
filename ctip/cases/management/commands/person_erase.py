"""``ctip person_erase KG-2026-00042 --user EMAIL --org CODE --reason TEXT --yes``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ctip.cases.management.commands.person_export import add_common_arguments, case_for, refusal
from ctip.cases.services import rights
from ctip.orgs.commandline import USAGE_ERROR


class Command(BaseCommand):
    help = (
        "Erase the identity of the person behind a closed case everywhere ctip keeps it (the right to erasure); "
        "pseudonymous statistical rows stay. Cannot be undone. Audited with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(_("Erasure cannot be undone: add --yes to confirm."), returncode=USAGE_ERROR)
        actor, case = case_for(options)
        try:
            result = rights.person_erase(actor=actor, person=rights.person_of_case(case), reason=options["reason"])
        except ValidationError as error:
            raise refusal(error) from None
        self.stdout.write(
            _("Erased the identity behind %(cases)s: %(notes)s notes and %(documents)s documents deleted.")
            % {"cases": ", ".join(result.cases), "notes": result.notes_deleted, "documents": result.documents_deleted}
        )
