from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ctip.orgs.commandline import acting_member, add_member_arguments
from ctip.plans import access
from ctip.plans.export import plan_export
from ctip.plans.models import Program


class Command(BaseCommand):
    help = (
        "Export a program to .xlsx: the template's sheets (re-importable unchanged) and a Progress sheet. As a member "
        "(--user, --org) the progress is what that member may see; otherwise accepted reports only. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program_id", type=int, help="the program's id")
        parser.add_argument("out", type=Path, help="the .xlsx file to write")
        add_member_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_member(options["user"], options["org"])
        programs = access.programs.visible(actor, "view") if actor else Program.objects.all()
        program = programs.filter(pk=options["program_id"]).first()
        if program is None:
            raise CommandError(_("There is no program %(id)s.") % {"id": options["program_id"]})
        out: Path = options["out"]
        out.write_bytes(plan_export(actor=actor, program=program))
        self.stdout.write(_("Program %(id)s exported to %(path)s.") % {"id": program.pk, "path": out})
