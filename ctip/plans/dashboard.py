"""The aggregate reads behind the plan dashboard and the national progress report (``figures`` draws them).

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
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core import figures, metrics
from ctip.core.i18n import language_getter
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access, charts
from ctip.plans.models import (
    FINISHED,
    NO_REPORT,
    PILLAR_RANK,
    SENT,
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
    latest_report_first,
)

STATUSES = (*ProgressStatus.values, NO_REPORT)
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
TIMELINESS = ("on_time", "late", "missing", "not_due")


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
    donors: list[Any]  # per donor and currency (rows of FUNDING_BY_DONOR)
    gaps: list[Any]  # per pillar and currency (rows of PILLAR_GAPS)


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
        return self.program.title

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
    latest = reports.filter(action_id=OuterRef("pk")).order_by(*latest_report_first()).values("pk")[:1]
    ids = Action.objects.filter(program=program).annotate(latest=Subquery(latest)).values("latest")
    rows = reports.filter(pk__in=ids).values_list("action_id", "progress", "percent")
    return {action_id: (progress, percent) for action_id, progress, percent in rows}


def _pillars(program: Program) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for action_id, pillar in ActionPillar.objects.filter(action__program=program).values_list("action_id", "pillar"):
        found[action_id].append(pillar)
    return {k: sorted(v, key=lambda p: PILLAR_RANK.get(p, 99)) for k, v in found.items()}


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
    latest = (
        IndicatorValue.objects.filter(
            indicator_id=OuterRef("pk"),
            report__status=ReportStatus.ACCEPTED,
            report__period__ends_on__lte=period.ends_on,
        )
        .order_by(*latest_report_first(via="report__"))
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


# The funding figures, provided through ``ctip.core.figures`` by the app that records donors' funding, if installed:
# FUNDING_BY_DONOR(program) -> rows with .donor (.name), .currency, .committed, .signed, .allocated, .disbursed;
# PILLAR_GAPS(program, actions: list[ActionBudget] | None) -> rows with .pillar, .label, .currency, .actions, .budget,
# .allocated, .gap, .other ({currency: amount}). Given the actions' budgets the provider does not read them again.
FUNDING_BY_DONOR = "funding.by_donor"
PILLAR_GAPS = "funding.pillar_gaps"


@dataclass(frozen=True)
class ActionBudget:
    """What an action's funding gap is computed from (plain values)."""

    action_id: int
    pillars: tuple[str, ...]
    budget: Decimal
    currency: str


def funding_summary(program: Program, rows: list[ActionRow] | None = None) -> Funding | None:
    """Commitments by donor and the gap per pillar, or None when no installed app provides them.

    Funding is read by every member who sees the program, which the caller has checked. Amounts are never converted
    between currencies; each currency is its own row. Given the dashboard's rows, the actions are not read again.
    """
    by_donor, gaps = figures.provider(FUNDING_BY_DONOR), figures.provider(PILLAR_GAPS)
    if by_donor is None or gaps is None:
        return None
    budgets = None
    if rows is not None:
        budgets = [ActionBudget(r.action.pk, tuple(r.pillars), r.action.budget, r.action.currency) for r in rows]
    return Funding(donors=list(by_donor(program)), gaps=list(gaps(program, budgets)))
