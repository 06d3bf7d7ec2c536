from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ctip.orgs.commandline import USAGE_ERROR, acting_member, add_member_arguments
from ctip.plans.workbook import WorkbookError, plan_import
from ctip.plans.workbook.commandline import summary


class Command(BaseCommand):
    help = (
        "Import an action plan from an .xlsx workbook made from the template (see ctip plan-template). Every cell is "
        "checked first and every problem reported with its sheet, row and column; nothing is written unless all are "
        "valid. Importing the same workbook again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check and report what would change; write nothing")
        add_member_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path}, returncode=USAGE_ERROR)
        actor = acting_member(options["user"], options["org"])

        def progress(stage: str, count: int) -> None:
            self.stderr.write(_("%(stage)s: %(count)s rows") % {"stage": stage, "count": count})

        try:
            result = plan_import(actor=actor, source=path, dry_run=options["dry_run"], progress=progress)
        except WorkbookError as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{path}: {problem}")
            message = _("%(count)s problem(s) in %(path)s; nothing was imported.") % {
                "count": len(invalid.problems),
                "path": path,
            }
            raise CommandError(message, returncode=USAGE_ERROR) from None
        except PermissionDenied:
            raise CommandError(_("Only a coordinator imports the action plan.")) from None
        for warning in result.warnings:
            self.stderr.write(_("warning: %(problem)s") % {"problem": warning})
        for line in summary(result):
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif not result.changed:
            self.stdout.write(_("No changes: the plan already matches the workbook."))
        else:
            self.stdout.write(_("Program %(id)s imported.") % {"id": result.program.pk})
