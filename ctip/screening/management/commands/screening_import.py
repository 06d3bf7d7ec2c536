from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ctip.screening.importing import CatalogueFileError, check_code, read_file
from ctip.screening.services import CatalogueFrozenError, catalogue_import

USAGE_ERROR = 2


def _version(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1")
    return int(text)


class Command(BaseCommand):
    help = (
        "Import an indicator catalogue (national identification criteria) from CSV or YAML. Every row is checked "
        "first and every problem reported with its row and column; nothing is written unless all are valid. "
        "Re-importing the same file changes nothing; a frozen version (used by screenings) is never changed."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # --version here is the catalogue's version, not Django's: let ours replace the built-in option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv, .yaml or .yml file")
        parser.add_argument("--code", required=True, help="the catalogue's code, e.g. kg-2024")
        parser.add_argument(
            "--version",
            type=_version,
            help="the version to write (default: the latest, or a new one if the latest is frozen)",
        )
        parser.add_argument("--title-en", default="", help="title in English (CSV; YAML files carry their own)")
        parser.add_argument("--title-ru", default="", help="title in Russian")
        parser.add_argument("--title-ky", default="", help="title in Kyrgyz")
        parser.add_argument("--source", default="", help="where the criteria come from")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path}, returncode=USAGE_ERROR)
        code = options["code"]
        titles = {lang: options[f"title_{lang}"] or code for lang in ("en", "ru", "ky")}
        try:
            check_code(code)
            data = read_file(path, titles=titles, source=options["source"])
            result = catalogue_import(by=None, code=code, data=data, version=options["version"])
        except CatalogueFileError as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{path}: {problem}")
            message = _("%(count)s problem(s) in %(path)s; nothing was imported.") % {
                "count": len(invalid.problems),
                "path": path,
            }
            raise CommandError(message, returncode=USAGE_ERROR) from None
        except CatalogueFrozenError as refused:
            raise CommandError(str(refused)) from None
        catalogue = result.catalogue
        count = catalogue.indicators.count()
        actions = {"created": _("created"), "replaced": _("replaced"), "unchanged": _("unchanged")}
        self.stdout.write(
            _("%(code)s version %(version)s: %(action)s (%(count)s indicators)")
            % {"code": catalogue.code, "version": catalogue.version, "action": actions[result.action], "count": count}
        )
