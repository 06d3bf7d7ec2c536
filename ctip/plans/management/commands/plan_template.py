from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.plans.workbook import template_bytes


class Command(BaseCommand):
    help = (
        "Write the action plan workbook template (.xlsx): a README explaining every column, drop-down lists and "
        "example rows that name organisations of this instance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the .xlsx file to write")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE[:2],
            help="language of the README",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        with translation.override(options["language"]):
            out.write_bytes(template_bytes())
            self.stdout.write(_("Template written to %(path)s.") % {"path": out})
