"""``ctip person_export KG-2026-00042 --user EMAIL --org CODE --reason TEXT [--format pdf] [--output FILE]``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.cases import selectors
from ctip.cases.models import VictimCase
from ctip.cases.services import rights
from ctip.orgs.commandline import USAGE_ERROR, acting_member
from ctip.orgs.models import Membership


def add_common_arguments(parser: CommandParser) -> None:
    parser.add_argument("case", help="the case code, e.g. KG-2026-00042")
    parser.add_argument("--user", required=True, help="act as this member (e-mail): a supervisor of the owner")
    parser.add_argument("--org", required=True, help="the organisation's short code the member acts for")
    parser.add_argument("--reason", required=True, help="who asked, when, on what basis (no names: it is audited)")


def case_for(options: dict[str, Any]) -> tuple[Membership, VictimCase]:
    """Return the acting supervisor and the case, refusing exactly as the API does (and auditing the refusal)."""
    actor = acting_member(options["user"], options["org"])
    if actor is None:
        raise CommandError(_("Give --user and --org."), returncode=USAGE_ERROR)
    try:
        return actor, selectors.case_by_code(actor, options["case"], action=rights.RIGHTS_ACTION)
    except Http404:
        raise CommandError(
            _("No case %(code)s is known to %(org)s.") % {"code": options["case"], "org": options["org"]}
        ) from None
    except PermissionDenied:
        raise CommandError(_("Only a supervisor of the organisation that owns the case may do this.")) from None


def refusal(error: ValidationError) -> CommandError:
    return CommandError(" ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()))


class Command(BaseCommand):
    help = (
        "Export everything ctip holds about the person behind a case (the right of access), as JSON or as a PDF "
        "in the chosen language. Audited with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)
        parser.add_argument("--format", choices=["json", "pdf"], default="json")
        parser.add_argument("--language", default="", help="ky, ru or en (the PDF's language)")
        parser.add_argument("--output", type=Path, help="write here (created with mode 600); JSON may go to stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if options["format"] == "pdf" and output is None:
            raise CommandError(_("A PDF needs --output FILE."), returncode=USAGE_ERROR)
        if output is not None and output.exists():
            raise CommandError(_("%(path)s exists; choose a new file.") % {"path": output}, returncode=USAGE_ERROR)
        actor, case = case_for(options)
        person = rights.person_of_case(case)
        try:
            with translation.override(options["language"] or translation.get_language()):
                if options["format"] == "pdf":
                    content = rights.person_export_pdf(actor=actor, person=person, reason=options["reason"])
                else:
                    data = rights.person_export(actor=actor, person=person, reason=options["reason"])
                    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        except ValidationError as error:
            raise refusal(error) from None
        if output is None:
            self.stdout.write(content.decode())
            return
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        self.stderr.write(_("Wrote %(path)s.") % {"path": output})
