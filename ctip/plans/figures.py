"""The dashboard's figures: each a chart (SVG, drawn by ``charts``) and the table of the same numbers.

``dashboard`` computes the numbers; this module only presents them, in the active language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ctip.plans import charts
from ctip.plans.dashboard import STATUSES, TIMELINESS, Dashboard, Funding, status_label, timeliness_label
from ctip.plans.models import NO_REPORT, ProgressStatus

Cell = str | int | float | Decimal | dt.date | None
CHART_ROWS = 25  # indicators a chart draws at most; beyond that a chart stops being read
STATUS_COLOURS = {
    ProgressStatus.NOT_STARTED: charts.YELLOW,
    ProgressStatus.IN_PROGRESS: charts.SKY_BLUE,
    ProgressStatus.COMPLETED: charts.GREEN,
    ProgressStatus.DELAYED: charts.VERMILLION,
    ProgressStatus.CANCELLED: charts.BLACK,
    NO_REPORT: charts.LIGHT_GREY,
}
TIMELINESS_COLOURS = {
    "on_time": charts.GREEN,
    "late": charts.ORANGE,
    "missing": charts.VERMILLION,
    "not_due": "#BBBBBB",
}


@dataclass
class Figure:
    """A chart and the table of the same numbers, shown next to each other (and printed both)."""

    key: str
    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list[Cell]]  # raw values: spreadsheets keep numbers as numbers
    note: str = ""  # what the chart or the table leaves out, if anything

    @property
    def display_rows(self) -> list[list[str]]:
        return [[show(cell) for cell in row] for row in self.rows]


def show(cell: Cell) -> str:
    """Return a table cell as text in the active language ("—" for nothing known)."""
    if cell is None:
        return "—"
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return charts.fmt(cell)
    if isinstance(cell, dt.date):
        return formats.date_format(cell, "SHORT_DATE_FORMAT")
    return str(cell)


def _safe(svg: str) -> SafeString:
    # Only charts.py's output reaches here: every label in it has been escaped there.
    return mark_safe(svg)  # noqa: S308


def figures(data: Dashboard, *, complete_tables: bool = False) -> list[Figure]:
    """Every figure of the dashboard, in the active language.

    A chart never draws more than ``CHART_ROWS`` indicators; the page's table lists the same ones, the report's
    (``complete_tables``) all of them.
    """
    indicators = _indicator_figure(data, complete_tables)
    found = [_pillar_figure(data), _agency_figure(data), _timeliness_figure(data), indicators]
    if data.funding is not None:
        found += [_donor_figure(data.funding), _gap_figure(data.funding)]
    return found


def _status_series() -> list[charts.Series]:
    return [charts.Series(status_label(s), STATUS_COLOURS[s]) for s in STATUSES]


def _pillar_figure(data: Dashboard) -> Figure:
    title = _("Implementation by pillar")
    rows = [(p.label, [p.counts[s] for s in STATUSES]) for p in data.pillars]
    svg = charts.stacked_bar_chart(
        title=title,
        desc=_("Actions of each pillar by their status as of the period; an action may serve several pillars."),
        series=_status_series(),
        rows=rows,
    )
    columns = [_("Pillar"), *(status_label(s) for s in STATUSES), _("Total")]
    table: list[list[Cell]] = [[label, *counts, sum(counts)] for label, counts in rows]
    return Figure("pillars", title, _safe(svg), columns, table)


def _agency_figure(data: Dashboard) -> Figure:
    title = _("Implementation by lead agency")
    led = [a for a in data.agencies if a.led]
    svg = charts.stacked_bar_chart(
        title=title,
        desc=_("Actions each agency leads, by their status as of the period."),
        series=_status_series(),
        rows=[(a.organisation.name, [a.statuses[s] for s in STATUSES]) for a in led],
        empty=_("No actions yet."),
    )
    columns = [_("Lead agency"), _("Actions"), *(status_label(s) for s in STATUSES), _("Overdue")]
    table: list[list[Cell]] = [[a.organisation.name, a.led, *(a.statuses[s] for s in STATUSES), a.overdue] for a in led]
    return Figure("agencies", title, _safe(svg), columns, table)


def _timeliness_figure(data: Dashboard) -> Figure:
    title = _("Reports for the period by agency")
    agencies = [a for a in data.agencies if sum(a.reports.values())]
    series = [charts.Series(timeliness_label(k), TIMELINESS_COLOURS[k]) for k in TIMELINESS]
    svg = charts.stacked_bar_chart(
        title=title,
        desc=_("Reports each responsible agency owes for the period: sent on time, late, missing, or not yet due."),
        series=series,
        rows=[(a.organisation.name, [a.reports[k] for k in TIMELINESS]) for a in agencies],
        empty=_("No reports are owed for this period."),
    )
    columns = [_("Agency"), *(timeliness_label(k) for k in TIMELINESS)]
    table: list[list[Cell]] = [[a.organisation.name, *(a.reports[k] for k in TIMELINESS)] for a in agencies]
    return Figure("reports", title, _safe(svg), columns, table)


def _indicator_figure(data: Dashboard, complete_table: bool) -> Figure:
    title = _("Indicators against their targets")
    shown, note = data.indicators, ""
    if len(shown) > CHART_ROWS:
        # The furthest behind first; those with nothing to measure yet last.
        shown = sorted(shown, key=lambda i: (i.ratio is None, i.ratio if i.ratio is not None else 0.0))[:CHART_ROWS]
        note = _("The chart shows the %(shown)s of %(total)s indicators furthest from their targets.") % {
            "shown": CHART_ROWS,
            "total": len(data.indicators),
        }
        if not complete_table:
            note += " " + _("The national report lists them all.")
    svg = charts.progress_chart(
        title=title,
        desc=note or _("How far each indicator has moved from its baseline towards its target."),
        rows=[
            charts.ProgressRow(f"{i.owner} {i.name}", i.baseline, i.current, i.target, decreasing=i.decreasing)
            for i in shown
        ],
        empty=_("The plan has no indicators yet."),
    )
    columns = [_("Code"), _("Indicator"), _("Unit"), _("Baseline"), _("Current"), _("Target"), _("Progress, %")]
    table: list[list[Cell]] = [
        [i.owner, i.name, i.unit, i.baseline, i.current, i.target, _per_cent(i.ratio)]
        for i in (data.indicators if complete_table else shown)
    ]
    return Figure("indicators", title, _safe(svg), columns, table, note)


def _donor_figure(funding: Funding) -> Figure:
    title = _("Funding by donor")
    series = [
        charts.Series(_("Committed"), charts.BLUE),
        charts.Series(_("Allocated to actions"), charts.SKY_BLUE),
        charts.Series(_("Disbursed"), charts.GREEN),
    ]
    rows = [(d.currency, d.donor.name, [d.committed, d.allocated, d.disbursed]) for d in funding.donors]
    desc = _("What each donor has committed to the program, allocated to its actions and disbursed, in %(currency)s.")
    svg = _per_currency(title, desc, series, rows, _("No donor commitments yet."))
    columns = [_("Donor"), _("Currency"), _("Committed"), _("Of which signed"), _("Allocated to actions")]
    columns.append(_("Disbursed"))
    table: list[list[Cell]] = [
        [d.donor.name, d.currency, d.committed, d.signed, d.allocated, d.disbursed] for d in funding.donors
    ]
    return Figure("donors", title, _safe(svg), columns, table)


def _gap_figure(funding: Funding) -> Figure:
    title = _("Funding gaps by pillar")
    series = [
        charts.Series(_("Planned budget"), charts.BLUE),
        charts.Series(_("Allocated"), charts.GREEN),
        charts.Series(_("Gap"), charts.VERMILLION),
    ]
    rows = [(g.currency, g.label, [g.budget, g.allocated, g.gap]) for g in funding.gaps]
    desc = _(
        "Planned budget of each pillar's actions in %(currency)s, what donors have allocated to them in that "
        "currency, and the sum of the actions' gaps. An action serving several pillars counts under each."
    )
    svg = _per_currency(title, desc, series, rows, _("No budget planned yet."))
    columns = [_("Pillar"), _("Currency"), _("Actions"), _("Planned budget"), _("Allocated"), _("Gap")]
    columns.append(_("Allocated in other currencies (not counted)"))
    table: list[list[Cell]] = [
        [g.label, g.currency, g.actions, g.budget, g.allocated, g.gap, _other(g.other)] for g in funding.gaps
    ]
    return Figure("gaps", title, _safe(svg), columns, table)


def _per_currency(
    title: str,
    desc: str,
    series: list[charts.Series],
    rows: list[tuple[str, str, list[Decimal]]],
    empty: str,
) -> SafeString:
    """One chart per currency: amounts in different currencies share no scale, so they share no chart."""
    rows = [row for row in rows if any(row[2])]  # a pillar with no budget and no money draws nothing
    currencies = sorted({currency for currency, _label, _values in rows})
    if not currencies:
        return _safe(charts.grouped_bar_chart(title=title, desc=desc, series=series, rows=[], empty=empty))
    svgs = [
        charts.grouped_bar_chart(
            title=f"{title} ({currency})",
            desc=desc % {"currency": currency},
            series=series,
            rows=[(f"{label} ({c})", list(values)) for c, label, values in rows if c == currency],
        )
        for currency in currencies
    ]
    return _safe("".join(svgs))


def _other(amounts: dict[str, Decimal]) -> str:
    return "; ".join(f"{currency} {charts.fmt(amount)}" for currency, amount in sorted(amounts.items()))


def _per_cent(ratio: float | None) -> int | None:
    return round(ratio * 100) if ratio is not None else None
