"""Export a program to XLSX: the workbook's own sheets (re-importable unchanged) and the progress the reader may see."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ctip.audit.services import audit_record
from ctip.orgs.models import Membership
from ctip.plans import access
from ctip.plans.models import Program, ProgressReport, ReportStatus
from ctip.plans.workbook import layout, program_sheets, workbook_bytes
from ctip.plans.workbook.writing import natural_key

PROGRESS_COLUMNS = (
    "action",
    "organisation",
    "period_starts_on",
    "period_ends_on",
    "due_on",
    "status",
    "status_label",
    "progress",
    "progress_label",
    "percent",
    "submitted_at",
    "accepted_at",
    "narrative",
)


def _reports(actor: Membership | None, program: Program) -> list[ProgressReport]:
    # On the command line without a member, only what every member sees: accepted reports.
    visible: QuerySet[ProgressReport]
    if actor is None:
        visible = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED)
    else:
        visible = access.reports.visible(actor, "view")
    rows = visible.filter(action__program=program).select_related("action", "organisation", "period")
    return sorted(rows, key=lambda r: (natural_key(r.action.code), r.organisation.code, r.period.starts_on))


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def progress_rows(reports: list[ProgressReport]) -> list[dict[str, Any]]:
    """One row per report: the action, the organisation, the period and where the report stands (local times)."""
    return [
        {
            "action": r.action.code,
            "organisation": r.organisation.code,
            "period_starts_on": r.period.starts_on,
            "period_ends_on": r.period.ends_on,
            "due_on": r.period.due_on,
            "status": r.status,
            "status_label": str(r.get_status_display()),
            "progress": r.progress,
            "progress_label": str(r.get_progress_display()),
            "percent": r.percent,
            "submitted_at": _moment(r.submitted_at),
            "accepted_at": _moment(r.accepted_at),
            "narrative": r.narrative,
        }
        for r in reports
    ]


def plan_export(*, actor: Membership | None, program: Program) -> bytes:
    """Return the program as an .xlsx with a Progress sheet of the reports ``actor`` may see; audit the export.

    ``actor`` is the member downloading it (fetched the program through the programs policy), or None on the
    command line.
    """
    reports = _reports(actor, program)
    sheets = program_sheets(program)
    content = workbook_bytes(sheets, extra=[(layout.PROGRESS, PROGRESS_COLUMNS, progress_rows(reports))])
    with transaction.atomic():
        audit_record(
            action="plans.program.export",
            actor=actor.user if actor else None,
            organisation=actor.organisation if actor else None,
            obj=program,
            details={"format": "xlsx", "actions": len(sheets[layout.ACTIONS]), "reports": len(reports)},
        )
    return content


def export_filename(program: Program) -> str:
    return f"plan-{program.pk}-{timezone.localdate().isoformat()}.xlsx"
