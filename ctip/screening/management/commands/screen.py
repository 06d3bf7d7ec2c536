from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.screening import engine, selectors

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Assess one person: read a JSON object from standard input "
        '({"age": 25, "indicators": ["al.dr.nature_of_job", ...]}, optionally "possible_minor" and "act") and print '
        "the result as one JSON object. Stores nothing. Bad input: exit status 2 and a message naming the value."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--catalog", metavar="CODE[:VERSION]", help="the catalogue to assess against (default: the latest ilo-2009)"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the explanation (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        with translation.override(options["language"]):
            try:
                data = engine.decode_json(stdin.read())
            except engine.AssessmentError as error:
                raise CommandError(error.message, returncode=USAGE_ERROR) from None
            except ValueError as error:
                raise CommandError(
                    _("Malformed JSON on standard input: %(error)s") % {"error": error}, returncode=USAGE_ERROR
                ) from None
            try:
                catalogue = selectors.catalogue_from_spec(options["catalog"])
                result = selectors.assessment(catalogue=catalogue, data=data)
            except (engine.AssessmentError, selectors.CatalogueNotFoundError) as error:
                raise CommandError(str(error), returncode=USAGE_ERROR) from None
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
