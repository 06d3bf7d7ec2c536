"""The aggregate reads behind the plan dashboard and the national progress report, and the figures drawn from them.

One reading for one program as of one reporting period, in a fixed number of queries whatever the size of the plan:
the actions, each action's latest accepted status up to the period, the pillars, the period's sent reports, the
responsible organisations, the indicators and each one's latest accepted value, one metric call per distinct computed
metric, and the funding. Every read is of plain values (no model instances but the few organisations), and "latest"
is picked in the database, so a row per action or indicator comes back rather than every report of every period.
Everything else is counted in Python over those reads.

What counts (decided here, shown on the page):

* An action's status *as of a period* is that of its latest accepted report from a period ending no later than
  the chosen one (the plan tree uses the same rule for "now"); with none, "no report". Only accepted reports count,
  read through ``access.reports`` like every other read of reports.
* An action is overdue when its deadline has passed by the end of the period (or by today, for a period still
  running) and its status is not completed or cancelled.
* Each responsible organisation (lead and co-executors) owes one report per period the action runs in. A report
  sent by the due date (Asia/Bishkek) is on time, after it late; none (or one returned to be corrected) is missing
  once the due date has passed, and not yet due before. Only reports the viewer may see count: a non-coordinator
  does not see other organisations' reports before they are accepted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import F, OrderBy, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ctip.core import metrics
from ctip.core.i18n import in_language, language_getter
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access, charts
from ctip.plans.models import (
    Action,
    ActionPillar,
    Direction,
    IndicatorSource,
    IndicatorValue,
    Pillar,
    PlanIndicator,
    Program,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportStatus,
)

if TYPE_CHECKING:
    from ctip.funding.selectors import DonorFunding, PillarGap

NO_REPORT = "no_report"
Cell = str | int | float | Decimal | dt.date | None
STATUSES = (*ProgressStatus.values, NO_REPORT)
FINISHED = (ProgressStatus.COMPLETED, ProgressStatus.CANCELLED)
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)  # a returned report is owed again, as on "reports due"
CHART_ROWS = 25  # indicators a chart draws at most; beyond that a chart stops being read
# The columns the dashboard reads, as plain values: a plan of thousands of actions stays cheap to read.
ACTION_COLUMNS: tuple[str, ...] = ("pk", "code", "title_ky", "title_ru", "title_en", "lead_id", "starts_on", "deadline")
ACTION_COLUMNS += ("budget", "currency")
INDICATOR_COLUMNS: tuple[str, ...] = (
    "pk",
    "name_ky",
    "name_ru",
    "name_en",
    "unit",
    "baseline",
    "target",
    "direction",
    "source",
)
INDICATOR_COLUMNS += ("metric_name", "action__code", "objective__code")
REPORT_COLUMNS: tuple[str, ...] = ("action_id", "organisation_id", "status", "progress", "percent", "submitted_at")
STATUS_COLOURS = {
    ProgressStatus.NOT_STARTED: charts.YELLOW,
    ProgressStatus.IN_PROGRESS: charts.SKY_BLUE,
    ProgressStatus.COMPLETED: charts.GREEN,
    ProgressStatus.DELAYED: charts.VERMILLION,
    ProgressStatus.CANCELLED: charts.BLACK,
    NO_REPORT: charts.LIGHT_GREY,
}
TIMELINESS = ("on_time", "late", "missing", "not_due")
TIMELINESS_COLOURS = {
    "on_time": charts.GREEN,
    "late": charts.ORANGE,
    "missing": charts.VERMILLION,
    "not_due": "#BBBBBB",
}


def status_label(status: str) -> str:
    return _("No report") if status == NO_REPORT else str(ProgressStatus(status).label)


def timeliness_label(key: str) -> str:
    return {
        "on_time": _("On time"),
        "late": _("Late"),
        "missing": _("Missing"),
        "not_due": _("Not yet due"),
    }[key]


# --- What the reading returns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInfo:
    """What the dashboard shows of an action and counts with (read as plain values, not model instances)."""

    pk: int
    code: str
    title_ky: str
    title_ru: str
    title_en: str
    lead_id: int
    starts_on: dt.date
    deadline: dt.date
    budget: Decimal
    currency: str


@dataclass(frozen=True)
class SentReport:
    """A report of the chosen period that the viewer sees and that was sent and not sent back."""

    action_id: int
    organisation_id: int
    status: str
    progress: str
    percent: int
    submitted_at: dt.datetime | None
    narrative: str = ""  # read only for the national report


@dataclass
class AgencyReport:
    """One responsible organisation's report on an action for the chosen period (accepted, or seen and sent)."""

    organisation: Organisation
    lead: bool
    status: str  # the report's workflow status
    progress: str
    percent: int
    narrative: str
    submitted_on: dt.date | None

    @property
    def progress_label(self) -> str:
        return status_label(self.progress)


@dataclass
class AgencyLine:
    """A responsible organisation of an action and its accepted report for the period, if any."""

    organisation: Organisation
    lead: bool
    report: AgencyReport | None


@dataclass
class ActionRow:
    action: ActionInfo
    title: str
    pillars: list[str]
    status: str  # a ProgressStatus value or NO_REPORT
    percent: int | None
    overdue: bool
    responsible: list[Organisation]  # the lead first, then co-executors
    reports: list[AgencyReport] = field(default_factory=list)  # this period's accepted reports, lead first

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def lead(self) -> Organisation:
        return self.responsible[0]

    @property
    def agencies(self) -> list[AgencyLine]:
        """Every responsible organisation, lead first, with its accepted report (and any other that reported)."""
        by_org = {r.organisation.pk: r for r in self.reports}
        lines = [AgencyLine(org, i == 0, by_org.pop(org.pk, None)) for i, org in enumerate(self.responsible)]
        return lines + [AgencyLine(r.organisation, False, r) for r in by_org.values()]


@dataclass
class PillarRow:
    pillar: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class AgencyRow:
    organisation: Organisation
    led: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    overdue: int = 0
    reports: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIMELINESS, 0))


@dataclass
class IndicatorRow:
    indicator_id: int
    owner: str  # the code of its action or objective
    name: str
    unit: str
    baseline: Decimal | None
    current: Decimal | None
    target: Decimal | None
    decreasing: bool
    computed: bool

    @property
    def ratio(self) -> float | None:
        return charts.progress_ratio(self.baseline, self.current, self.target, decreasing=self.decreasing)


@dataclass
class Funding:
    donors: list[DonorFunding]  # per donor and currency
    gaps: list[PillarGap]  # per pillar and currency


@dataclass
class Dashboard:
    program: Program
    period: ReportingPeriod | None
    as_of: dt.date
    actions: list[ActionRow]
    pillars: list[PillarRow]
    agencies: list[AgencyRow]
    indicators: list[IndicatorRow]
    funding: Funding | None

    @property
    def title(self) -> str:
        return in_language(self.program, "title")

    @property
    def overdue_actions(self) -> int:
        return sum(1 for row in self.actions if row.overdue)

    @property
    def missing_reports(self) -> int:
        return sum(a.reports["missing"] for a in self.agencies)

    @property
    def status_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(STATUSES, 0)
        for row in self.actions:
            totals[row.status] += 1
        return totals


# --- Reading ------------------------------------------------------------------------------------------------------


def default_period(periods: Iterable[ReportingPeriod], today: dt.date | None = None) -> ReportingPeriod | None:
    """The latest period that has started (the first one before the program starts), as the plan tree picks it."""
    ordered = sorted(periods, key=lambda p: p.starts_on)
    today = today or timezone.localdate()
    started = [p for p in ordered if p.starts_on <= today]
    return started[-1] if started else (ordered[0] if ordered else None)


def build(
    actor: Membership,
    program: Program,
    period: ReportingPeriod | None,
    *,
    narratives: bool = False,
    today: dt.date | None = None,
) -> Dashboard:
    """Read the program as of the period, as the actor may see it. The caller has checked the actor may see it."""
    today = today or timezone.localdate()
    as_of = min(today, period.ends_on) if period else today
    accepted = access.reports.visible(actor, "view").filter(status=ReportStatus.ACCEPTED)
    actions = _actions(program)
    latest = _latest_status(program, period, accepted)
    pillars = _pillars(program)
    reports = _period_reports(actor, program, period, narratives=narratives) if period else []
    organisations, co_executors = _organisations(program, actions, reports)
    title = language_getter("title")
    rows = []
    for action in actions:
        status, percent = latest.get(action.pk, (NO_REPORT, None))
        rows.append(
            ActionRow(
                action=action,
                title=title(action),
                pillars=pillars.get(action.pk, []),
                status=status,
                percent=percent,
                overdue=action.deadline < as_of and status not in FINISHED,
                responsible=[organisations[action.lead_id], *co_executors.get(action.pk, [])],
            )
        )
    _attach_reports(rows, reports, organisations)
    return Dashboard(
        program=program,
        period=period,
        as_of=as_of,
        actions=rows,
        pillars=_by_pillar(rows),
        agencies=_by_agency(rows, reports, period, today),
        indicators=_indicators(program, period, accepted),
        funding=funding_summary(program, rows),
    )


def _actions(program: Program) -> list[ActionInfo]:
    rows = Action.objects.filter(program=program).order_by("code", "pk").values_list(*ACTION_COLUMNS)
    return [ActionInfo(*row) for row in rows]


def _newest_first(*fields: str) -> list[OrderBy]:
    return [F(name).desc(nulls_last=True) for name in fields]


def _latest_status(
    program: Program, period: ReportingPeriod | None, accepted: QuerySet[ProgressReport]
) -> dict[int, tuple[str, int]]:
    """Each action's (progress, per cent) from its latest accepted report up to the period.

    The latest is that of the period ending last, then accepted last, then created last. The database picks it, by
    a subquery per action on the reports' (action, …) index, and only one row per action comes back: on SQLite
    this is faster than reading every accepted report, and than a window function over them.
    """
    if period is None:
        return {}
    reports = accepted.filter(period__ends_on__lte=period.ends_on)
    newest = _newest_first("period__ends_on", "accepted_at", "pk")
    latest = reports.filter(action_id=OuterRef("pk")).order_by(*newest).values("pk")[:1]
    ids = Action.objects.filter(program=program).annotate(latest=Subquery(latest)).values("latest")
    rows = reports.filter(pk__in=ids).values_list("action_id", "progress", "percent")
    return {action_id: (progress, percent) for action_id, progress, percent in rows}


def _pillars(program: Program) -> dict[int, list[str]]:
    rank = {value: i for i, value in enumerate(Pillar.values)}
    found: dict[int, list[str]] = defaultdict(list)
    for action_id, pillar in ActionPillar.objects.filter(action__program=program).values_list("action_id", "pillar"):
        found[action_id].append(pillar)
    return {k: sorted(v, key=lambda p: rank.get(p, 99)) for k, v in found.items()}


def _organisations(
    program: Program, actions: list[ActionInfo], reports: list[SentReport]
) -> tuple[dict[int, Organisation], dict[int, list[Organisation]]]:
    """The responsible organisations and those that reported, each read once; and each action's co-executors."""
    through = Action.co_executors.through.objects.filter(action__program=program)
    pairs = list(through.values_list("action_id", "organisation_id"))
    wanted = {a.lead_id for a in actions} | {org_id for _action_id, org_id in pairs}
    wanted |= {r.organisation_id for r in reports}
    organisations = Organisation.objects.in_bulk(wanted)
    found: dict[int, list[Organisation]] = defaultdict(list)
    for action_id, org_id in pairs:
        found[action_id].append(organisations[org_id])
    for orgs in found.values():
        orgs.sort(key=lambda o: o.code)
    return organisations, found


def _period_reports(
    actor: Membership, program: Program, period: ReportingPeriod, *, narratives: bool
) -> list[SentReport]:
    """The period's reports the actor may see that were sent and not sent back (submitted or accepted)."""
    reports = (
        access.reports.visible(actor, "view")
        .filter(action__program=program, period=period, status__in=SENT)
        .order_by("organisation__code", "pk")
    )
    columns = (*REPORT_COLUMNS, "narrative") if narratives else REPORT_COLUMNS
    return [SentReport(*row) for row in reports.values_list(*columns)]


def _attach_reports(rows: list[ActionRow], reports: list[SentReport], organisations: dict[int, Organisation]) -> None:
    by_action = {row.action.pk: row for row in rows}
    for report in reports:
        row = by_action.get(report.action_id)
        if row is None or report.status != ReportStatus.ACCEPTED:
            continue
        lead = report.organisation_id == row.action.lead_id
        submitted = timezone.localdate(report.submitted_at) if report.submitted_at else None
        row.reports.append(
            AgencyReport(
                organisations[report.organisation_id],
                lead,
                report.status,
                report.progress,
                report.percent,
                report.narrative,
                submitted,
            )
        )
    for row in rows:
        row.reports.sort(key=lambda r: (not r.lead, r.organisation.code))


def _by_pillar(rows: list[ActionRow]) -> list[PillarRow]:
    result = [PillarRow(value, str(label), dict.fromkeys(STATUSES, 0)) for value, label in Pillar.choices]
    index = {row.pillar: row for row in result}
    for row in rows:
        for pillar in row.pillars:
            if pillar in index:
                index[pillar].counts[row.status] += 1
    return result


def _by_agency(
    rows: list[ActionRow], reports: list[SentReport], period: ReportingPeriod | None, today: dt.date
) -> list[AgencyRow]:
    agencies: dict[int, AgencyRow] = {}

    def agency(org: Organisation) -> AgencyRow:
        found = agencies.get(org.pk)
        if found is None:
            found = agencies[org.pk] = AgencyRow(org)
        return found

    sent = {(r.action_id, r.organisation_id): r for r in reports}
    late_from = _day_after(period.due_on) if period else None
    for row in rows:
        lead = agency(row.lead)
        lead.led += 1
        lead.statuses[row.status] += 1
        lead.overdue += row.overdue
        if period is None or not (row.action.starts_on <= period.ends_on and row.action.deadline >= period.starts_on):
            continue
        for org in row.responsible:
            report = sent.get((row.action.pk, org.pk))
            agency(org).reports[_timeliness(report, period, today, late_from)] += 1
    return sorted(agencies.values(), key=lambda a: (a.organisation.name.casefold(), a.organisation.code))


def _timeliness(
    report: SentReport | None, period: ReportingPeriod, today: dt.date, late_from: dt.datetime | None = None
) -> str:
    if report is None or report.submitted_at is None:
        return "missing" if today > period.due_on else "not_due"
    # Sent by the due date in Asia/Bishkek: before the first instant of the next day there.
    return "on_time" if report.submitted_at < (late_from or _day_after(period.due_on)) else "late"


def _day_after(day: dt.date) -> dt.datetime:
    """The first instant of the day after ``day`` in the current time zone (Asia/Bishkek)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _indicators(
    program: Program, period: ReportingPeriod | None, accepted: QuerySet[ProgressReport]
) -> list[IndicatorRow]:
    indicators = (
        PlanIndicator.objects.filter(_of(program))
        .order_by("objective__code", "action__code", "pk")
        .values_list(*INDICATOR_COLUMNS, named=True)
    )
    reported = _reported_values(program, period, accepted)
    computed: dict[str, Decimal] = {}
    name = language_getter("name")
    rows = []
    for ind in indicators:
        is_metric = ind.source == IndicatorSource.METRIC
        current = _metric(ind.metric_name, period, computed) if is_metric else reported.get(ind.pk)
        rows.append(
            IndicatorRow(
                indicator_id=ind.pk,
                owner=ind.action__code if ind.action__code is not None else ind.objective__code,
                name=name(ind),
                unit=ind.unit,
                baseline=ind.baseline,
                current=current,
                target=ind.target,
                decreasing=ind.direction == Direction.DECREASE,
                computed=is_metric,
            )
        )
    return rows


def _reported_values(
    program: Program, period: ReportingPeriod | None, accepted: QuerySet[ProgressReport]
) -> dict[int, Decimal]:
    """Each reported indicator's latest accepted value up to the period, in the order the statuses use.

    Picked in the database by a subquery per indicator. Inside it, "accepted" is the report's status alone: every
    member sees every accepted report (``access.reports``); the rows that come back are then checked against the
    actor's visible reports all the same.
    """
    if period is None:
        return {}
    newest = _newest_first("report__period__ends_on", "report__accepted_at", "pk")
    latest = (
        IndicatorValue.objects.filter(
            indicator_id=OuterRef("pk"),
            report__status=ReportStatus.ACCEPTED,
            report__period__ends_on__lte=period.ends_on,
        )
        .order_by(*newest)
        .values("pk")[:1]
    )
    manual = PlanIndicator.objects.filter(_of(program)).exclude(source=IndicatorSource.METRIC)
    ids = manual.annotate(latest=Subquery(latest)).values("latest")
    seen = accepted.filter(action__program=program, period__ends_on__lte=period.ends_on).values("pk")
    return dict(IndicatorValue.objects.filter(pk__in=ids, report__in=seen).values_list("indicator_id", "value"))


def _of(program: Program) -> Q:
    """The indicators of the program: on its actions or on its objectives."""
    return Q(action__program=program) | Q(objective__program=program)


def _metric(name: str, period: ReportingPeriod | None, cache: dict[str, Decimal]) -> Decimal | None:
    """One call to the registry per distinct metric; an unregistered one (its app is off) has no value."""
    if period is None:
        return None
    if name not in cache:
        try:
            cache[name] = Decimal(metrics.value(name, metrics.Period(period.starts_on, period.ends_on)))
        except metrics.UnknownMetricError:
            return None
    return cache[name]


# --- Funding ------------------------------------------------------------------------------------------------------


def funding_summary(program: Program, rows: list[ActionRow] | None = None) -> Funding | None:
    """Commitments by donor and the gap per pillar from ``ctip.funding``, or None when that app is not installed.

    Kept apart from the rest: it is the only part that reads another app. Funding is read by every member who sees
    the program (``ctip.funding.access``), which the caller has checked. Amounts are never converted between
    currencies; each currency is its own row. Given the dashboard's rows, the actions are not read again.
    """
    if not apps.is_installed("ctip.funding"):
        return None
    from ctip.funding import selectors as funding

    budgets = None
    if rows is not None:
        budgets = [
            funding.ActionBudget(r.action.pk, tuple(r.pillars), r.action.budget, r.action.currency) for r in rows
        ]
    return Funding(donors=funding.funding_by_donor(program), gaps=funding.pillar_gaps(program, budgets))


# --- Figures ------------------------------------------------------------------------------------------------------


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
