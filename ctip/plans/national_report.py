"""The national progress report for a program and a period: read once, then written as PDF, DOCX or XLSX.

``build`` reads everything in the report's language (the dashboard's reading, with the accepted narratives);
the three writers only lay it out, each again in that language, so the three files say the same thing.

The report holds no personal data: plan actions, organisations, counts, amounts and the agencies' accepted
narratives about their work. That is why generating it does not ask for a fresh second factor (unlike the exports of
identities); it is still audited as an export.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.orgs.models import Membership
from ctip.plans import dashboard
from ctip.plans.dashboard import Dashboard
from ctip.plans.figures import Cell, Figure, show
from ctip.plans.figures import figures as draw_figures
from ctip.plans.models import NO_REPORT, Program, ReportingPeriod

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Cell]]

    @property
    def display_rows(self) -> list[list[str]]:
        return [[show(cell) for cell in row] for row in self.rows]


@dataclass
class NationalReport:
    data: Dashboard
    language: str
    generated_at: dt.datetime
    figures: list[Figure]

    @property
    def program(self) -> Program:
        return self.data.program

    @property
    def period(self) -> ReportingPeriod | None:
        return self.data.period

    def filename(self, extension: str) -> str:
        period = self.period.starts_on.isoformat() if self.period else "all"
        return f"national-report-{self.program.pk}-{period}-{self.language}.{extension}"


def build(actor: Membership, program: Program, period: ReportingPeriod | None, language: str) -> NationalReport:
    """Read the report's data once, in its language. The caller has checked the actor may export it."""
    with translation.override(language):
        data = dashboard.build(actor, program, period, narratives=True)
        return NationalReport(data, language, timezone.now(), draw_figures(data, complete_tables=True))


def render(report: NationalReport, fmt: str) -> bytes:
    writer = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}[fmt]
    with translation.override(report.language):
        return writer(report)


# --- What every format says, in the same words --------------------------------------------------------------------


def title(report: NationalReport) -> str:
    return _("National progress report")


def period_text(period: ReportingPeriod | None) -> str:
    if period is None:
        return _("No reporting period")
    return _("Reporting period %(start)s – %(end)s") % {
        "start": formats.date_format(period.starts_on, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(period.ends_on, "SHORT_DATE_FORMAT"),
    }


def generated_text(report: NationalReport) -> str:
    moment = timezone.localtime(report.generated_at)
    return _("Generated on %(date)s at %(time)s (%(zone)s)") % {
        "date": formats.date_format(moment.date(), "SHORT_DATE_FORMAT"),
        "time": moment.strftime("%H:%M"),
        "zone": timezone.get_current_timezone_name(),
    }


def act_text(program: Program) -> str:
    if not program.act_number:
        return ""
    date = formats.date_format(program.act_date, "SHORT_DATE_FORMAT") if program.act_date else ""
    return _("Approved by act No. %(number)s of %(date)s") % {"number": program.act_number, "date": date}


def basis_text() -> str:
    return _(
        "Only accepted progress reports are counted. An action's status is that of its latest accepted report up to "
        "the end of the period."
    )


def headline(report: NationalReport) -> Table:
    data = report.data
    totals = data.status_totals
    return Table(
        _("In brief"),
        [_("Measure"), _("Value")],
        [
            [_("Actions"), len(data.actions)],
            [_("Completed"), totals["completed"]],
            [_("In progress"), totals["in_progress"]],
            [_("Delayed"), totals["delayed"]],
            [_("No report"), totals[NO_REPORT]],
            [_("Overdue actions"), data.overdue_actions],
            [_("Missing reports"), data.missing_reports],
        ],
    )


def actions_table(report: NationalReport) -> Table:
    columns = [_("Code"), _("Action"), _("Lead agency"), _("Deadline"), _("Status"), _("Per cent"), _("Overdue")]
    rows: list[list[Cell]] = [
        [
            row.action.code,
            row.title,
            row.lead.name,
            row.action.deadline,
            row.status_label,
            row.percent,
            _("Yes") if row.overdue else "",
        ]
        for row in report.data.actions
    ]
    return Table(_("Actions"), columns, rows)


def narratives_table(report: NationalReport) -> Table:
    """Each responsible agency of each action, with its accepted report for the period or a dash."""
    columns = [_("Code"), _("Agency"), _("Role"), _("Status"), _("Per cent"), _("Narrative")]
    rows: list[list[Cell]] = []
    for row in report.data.actions:
        for line in row.agencies:
            role = _("Lead") if line.lead else _("Co-executor")
            r = line.report
            if r is None:
                rows.append([row.action.code, line.organisation.name, role, _("No accepted report"), None, None])
            else:
                rows.append([row.action.code, line.organisation.name, role, r.progress_label, r.percent, r.narrative])
    return Table(_("What each agency reported"), columns, rows)


def figure_table(figure: Figure) -> Table:
    return Table(figure.title, figure.columns, figure.rows)


def funding_missing_text() -> str:
    return _("Funding is not recorded in ctip for this program.")


# --- PDF ----------------------------------------------------------------------------------------------------------


def render_pdf(report: NationalReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("plans/national_report_pdf.html", _context(report))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def _context(report: NationalReport) -> dict[str, object]:
    figures = {f.key: f for f in report.figures}
    return {
        "report": report,
        "language": report.language,
        "title": title(report),
        "program_title": report.program.title,
        "period_text": period_text(report.period),
        "generated_text": generated_text(report),
        "act_text": act_text(report.program),
        "basis_text": basis_text(),
        "headline": headline(report),
        "summary_figures": [figures["pillars"], figures["agencies"], figures["reports"]],
        "indicator_figure": figures["indicators"],
        "funding_figures": [f for key in ("donors", "gaps") if (f := figures.get(key))],
        "funding_missing": funding_missing_text() if report.data.funding is None else "",
        "actions": report.data.actions,
    }


# --- DOCX ---------------------------------------------------------------------------------------------------------


def render_docx(report: NationalReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.core_properties.title = f"{title(report)}: {report.program.title}"
    doc.core_properties.language = report.language
    doc.add_heading(title(report), level=0)
    doc.add_heading(report.program.title, level=1)
    for line in (act_text(report.program), period_text(report.period), generated_text(report), basis_text()):
        if line:
            doc.add_paragraph(line)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for heading, tables in _sections(report):
        doc.add_heading(heading, level=1)
        for table in tables:
            _docx_table(doc, table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _sections(report: NationalReport) -> Iterator[tuple[str, list[Table]]]:
    figures = {f.key: f for f in report.figures}
    yield _("Summary"), [headline(report), *(figure_table(figures[k]) for k in ("pillars", "agencies", "reports"))]
    yield _("Actions"), [actions_table(report), narratives_table(report)]
    yield _("Indicators"), [figure_table(figures["indicators"])]
    funding = [figure_table(figures[k]) for k in ("donors", "gaps") if k in figures]
    yield _("Funding"), funding or [Table(funding_missing_text(), [], [])]


def _docx_table(doc: object, table: Table) -> None:
    doc.add_heading(table.caption, level=2)  # type: ignore[attr-defined]
    if not table.columns:
        return
    grid = doc.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.display_rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = _printable(text)


# --- XLSX ---------------------------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _printable(text: str) -> str:
    """Drop control characters that Word and Excel files cannot hold (a pasted narrative may carry them)."""
    return _CONTROL.sub("", text)


def render_xlsx(report: NationalReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = _sheet_title(_("Report"), set())
    for line in (
        title(report),
        report.program.title,
        act_text(report.program),
        period_text(report.period),
        generated_text(report),
        basis_text(),
    ):
        if line:
            cover.append([_printable(line)])
    cover["A1"].font = Font(bold=True, size=14)
    used = {cover.title}
    for _heading, tables in _sections(report):
        for table in tables:
            sheet = book.create_sheet(_sheet_title(table.caption, used))
            used.add(sheet.title)
            _xlsx_table(sheet, table, Font(bold=True))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(caption: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name, and no two alike."""
    base = _SHEET_FORBIDDEN.sub(" ", caption).strip()[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _xlsx_table(sheet: object, table: Table, bold: object) -> None:
    if not table.columns:
        sheet.append([table.caption])  # type: ignore[attr-defined]
        return
    sheet.append(table.columns)  # type: ignore[attr-defined]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = bold
    for row in table.rows:
        sheet.append([_xlsx_value(v) for v in row])  # type: ignore[attr-defined]
    for cells in sheet.iter_rows(min_row=2):  # type: ignore[attr-defined]
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text typed by users is never a formula, even if it starts with "="
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]


def _xlsx_value(value: Cell) -> object:
    return _printable(value) if isinstance(value, str) else value
