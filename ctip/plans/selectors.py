"""Reads of the plan: the tree with each action's current status, an action's reports, what an agency owes.

Every list here runs a fixed number of queries whatever the size of the plan: statuses come from subqueries,
related rows from ``select_related``/``prefetch_related``, and the per-agency tables are assembled in Python
from a handful of flat reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from ctip.core import metrics
from ctip.core.access import get_for_actor
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access
from ctip.plans.models import (
    FINISHED,
    NO_REPORT,
    PILLAR_RANK,
    SENT,
    Action,
    ActionPillar,
    IndicatorSource,
    IndicatorValue,
    Pillar,
    PlanIndicator,
    Program,
    ProgramStatus,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportStatus,
    latest_report_first,
)

TREE_PAGE_SIZE = 100
PROGRESS_LABELS = dict(ProgressStatus.choices)  # lazy labels: translated when shown


def reports_visible_to(actor: Membership | None) -> QuerySet[ProgressReport]:
    return access.reports.visible(actor, "view").select_related("action", "organisation", "period")


def indicator_current_value(indicator: PlanIndicator, period: ReportingPeriod) -> Decimal | None:
    """Return the indicator's value as of the end of the period, or None when nothing is known yet.

    A reported indicator takes the latest accepted value from a period ending no later than this one; a computed
    one asks the metrics registry for the period's own number.
    """
    if indicator.source == IndicatorSource.METRIC:
        return Decimal(metrics.value(indicator.metric_name, metrics.Period(period.starts_on, period.ends_on)))
    latest = (
        IndicatorValue.objects.filter(
            indicator=indicator,
            report__status=ReportStatus.ACCEPTED,
            report__period__ends_on__lte=period.ends_on,
        )
        .order_by(*latest_report_first(via="report__"))
        .values_list("value", flat=True)
        .first()
    )
    return latest


# --- Programs and the tree ----------------------------------------------------------------------------------------


def programs_visible_to(actor: Membership | None) -> QuerySet[Program]:
    return access.programs.visible(actor, "view")


@dataclass
class Titled:
    """A plan record with its title in the current language, for templates (which cannot pick a field by name)."""

    obj: Any
    title: str


def titled(objects: Iterable[Any]) -> list[Titled]:
    return [Titled(o, o.title) for o in objects]


def program_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> Program:
    return get_for_actor(access.programs, actor, pk, action)


def action_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> Action:
    return get_for_actor(access.actions, actor, pk, action)


def action_for_filing(actor: Membership | None, pk: object) -> Action:
    """The action the actor's organisation files on: 404 unless it leads or co-executes it, 403 without the role."""
    return get_for_actor(access.reporting, actor, pk, "report")


def report_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> ProgressReport:
    return get_for_actor(access.reports, actor, pk, action)


def _current_reports(organisation_id: int | None, *, accepted_only: bool = False) -> QuerySet[ProgressReport]:
    """An action's reports that speak for its status, latest first: accepted ones, and (to its members) the
    organisation's own, whatever their state. To be used as a subquery of actions."""
    seen = Q(status=ReportStatus.ACCEPTED)
    if organisation_id is not None and not accepted_only:
        seen |= Q(organisation_id=organisation_id)
    return ProgressReport.objects.filter(seen, action_id=OuterRef("pk")).latest_first()


def with_current_status(
    actions: QuerySet[Action], organisation_id: int | None, *, accepted_only: bool = False
) -> QuerySet[Action]:
    """Annotate each action with the progress and per cent of its latest report the viewer may rely on."""
    latest = _current_reports(organisation_id, accepted_only=accepted_only)
    return actions.annotate(
        current_progress=Subquery(latest.values("progress")[:1]),
        current_percent=Subquery(latest.values("percent")[:1]),
    )


def _primary_pillar() -> Subquery:
    ranked = (
        ActionPillar.objects.filter(action_id=OuterRef("pk"))
        .annotate(
            rank=Case(
                *(When(pillar=value, then=Value(rank)) for value, rank in PILLAR_RANK.items()),
                output_field=IntegerField(),
            )
        )
        .order_by("rank")
        .values("rank")[:1]
    )
    return Subquery(ranked, output_field=IntegerField())


@dataclass(frozen=True)
class TreeFilters:
    pillar: str = ""
    organisation: int | None = None
    status: str = ""
    overdue: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.pillar or self.organisation or self.status or self.overdue or self.q)


def _overdue_q(today: dt.date) -> Q:
    return Q(deadline__lt=today) & (Q(current_progress__isnull=True) | ~Q(current_progress__in=sorted(FINISHED)))


def filter_actions(actions: QuerySet[Any], filters: TreeFilters, today: dt.date) -> QuerySet[Any]:
    """Narrow annotated actions by the tree's filters (each optional)."""
    if filters.pillar in Pillar.values:
        actions = actions.filter(Exists(ActionPillar.objects.filter(action_id=OuterRef("pk"), pillar=filters.pillar)))
    if filters.organisation is not None:
        co = Action.co_executors.through.objects.filter(action_id=OuterRef("pk"), organisation_id=filters.organisation)
        actions = actions.filter(Q(lead_id=filters.organisation) | Exists(co))
    if filters.status == NO_REPORT:
        actions = actions.filter(current_progress__isnull=True)
    elif filters.status in ProgressStatus.values:
        actions = actions.filter(current_progress=filters.status)
    if filters.overdue:
        actions = actions.filter(_overdue_q(today))
    text = filters.q.strip()
    if text:
        actions = actions.filter(
            Q(code__istartswith=text)
            | Q(title_ky__icontains=text)
            | Q(title_ru__icontains=text)
            | Q(title_en__icontains=text)
        )
    return actions


@dataclass
class TreeRow:
    action: Action
    title: str  # in the current language
    pillars: list[str]  # labels of the action's pillars, 4P order
    overdue: bool

    @property
    def progress(self) -> str:
        """The label of the current status ("" when nothing is reported yet)."""
        label = PROGRESS_LABELS.get(getattr(self.action, "current_progress", None) or "")
        return str(label) if label is not None else ""

    @property
    def percent(self) -> int | None:
        return getattr(self.action, "current_percent", None)


@dataclass
class ObjectiveGroup:
    objective: Any
    title: str
    rows: list[TreeRow] = field(default_factory=list)


@dataclass
class PillarGroup:
    pillar: str
    label: str
    objectives: list[ObjectiveGroup] = field(default_factory=list)


def is_overdue(action: Action, today: dt.date) -> bool:
    progress = getattr(action, "current_progress", None)
    return action.deadline < today and progress not in FINISHED


def plan_actions(
    program: Program, organisation_id: int | None, filters: TreeFilters, *, accepted_only: bool = False
) -> QuerySet[Action]:
    """The program's actions with status, primary pillar and everything the tree shows, in tree order."""
    today = timezone.localdate()
    annotated: QuerySet[Any] = with_current_status(
        Action.objects.filter(program=program), organisation_id, accepted_only=accepted_only
    ).annotate(primary_pillar=_primary_pillar())
    actions = filter_actions(annotated, filters, today)
    return (
        actions.select_related("objective", "lead")
        .prefetch_related(Prefetch("pillars", queryset=ActionPillar.objects.order_by("pk")))
        .order_by("primary_pillar", "objective__position", "objective__code", "code", "pk")
    )


def plan_tree_page(actions: QuerySet[Action], page_number: str | None) -> tuple[Page[Action], list[PillarGroup]]:
    """Return one page of the tree's actions and the page's rows grouped pillar → objective (in order)."""
    page = Paginator(actions, TREE_PAGE_SIZE).get_page(page_number)
    return page, group_tree(page.object_list)


def group_tree(actions: Iterable[Action]) -> list[PillarGroup]:
    today = timezone.localdate()
    labels = {value: str(label) for value, label in Pillar.choices}
    groups: list[PillarGroup] = []
    for action in actions:
        tags = sorted((p.pillar for p in action.pillars.all()), key=lambda v: PILLAR_RANK.get(v, 99))
        primary = tags[0] if tags else ""
        if not groups or groups[-1].pillar != primary:
            groups.append(PillarGroup(pillar=primary, label=labels.get(primary, "—")))
        objectives = groups[-1].objectives
        if not objectives or objectives[-1].objective.pk != action.objective_id:
            objectives.append(ObjectiveGroup(action.objective, action.objective.title))
        row = TreeRow(action, action.title, [labels[t] for t in tags], is_overdue(action, today))
        objectives[-1].rows.append(row)
    return groups


def organisations_in(program: Program) -> QuerySet[Organisation]:
    """The organisations that lead or co-execute an action of the program (for the tree's filter)."""
    # Two subqueries, not two joins OR-ed together: the joins multiply every organisation's actions across every
    # program before filtering, which costs hundreds of milliseconds at a few thousand actions.
    leads = Action.objects.filter(program=program).values("lead_id")
    co_executors = Action.co_executors.through.objects.filter(action__program=program).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=leads) | Q(pk__in=co_executors))


# --- One action ---------------------------------------------------------------------------------------------------


def responsible_organisation_ids(action: Action) -> set[int]:
    return {action.lead_id, *action.co_executors.values_list("pk", flat=True)}


def current_period(program: Program, today: dt.date | None = None) -> ReportingPeriod | None:
    """The latest period that has started (the first one before the program starts)."""
    today = today or timezone.localdate()
    periods = program.periods.order_by("starts_on")
    return periods.filter(starts_on__lte=today).order_by("-starts_on").first() or periods.first()


@dataclass
class IndicatorRow:
    indicator: PlanIndicator
    current: Decimal | None

    @property
    def name(self) -> str:
        return self.indicator.name


def action_indicators(action: Action, period: ReportingPeriod | None) -> list[IndicatorRow]:
    rows = []
    for indicator in action.indicators.order_by("pk"):
        rows.append(IndicatorRow(indicator, indicator_current_value(indicator, period) if period else None))
    return rows


@dataclass
class PeriodReports:
    period: ReportingPeriod
    reports: list[ProgressReport]
    mine: ProgressReport | None  # the viewer's organisation's report (None: not filed yet)
    can_file: bool  # the viewer may create or change their organisation's report for this period


def action_reports_by_period(actor: Membership, action: Action) -> list[PeriodReports]:
    """Each period of the action's program with the reports the viewer may see, and what the viewer may file."""
    reports = (
        reports_visible_to(actor).filter(action=action).select_related("organisation").order_by("organisation__code")
    )
    by_period: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in reports:
        by_period[report.period_id].append(report)
    files = access.reporting.visible(actor, "view").filter(pk=action.pk).exists() and access.reporting.can(
        actor, "report", action
    )
    result = []
    for period in action.program.periods.order_by("starts_on"):
        if period.starts_on > action.deadline or period.ends_on < action.starts_on:
            continue  # the action does not run in this period
        listed = by_period.get(period.pk, [])
        mine = next((r for r in listed if r.organisation_id == actor.organisation_id), None)
        result.append(PeriodReports(period, listed, mine, files))
    return result


def report_of(actor: Membership, action: Action, period: ReportingPeriod) -> ProgressReport | None:
    return ProgressReport.objects.filter(action=action, period=period, organisation_id=actor.organisation_id).first()


def report_values(report: ProgressReport | None) -> dict[int, Decimal]:
    if report is None:
        return {}
    return dict(report.values.values_list("indicator_id", "value"))


def manual_indicators(action: Action) -> list[PlanIndicator]:
    return list(action.indicators.filter(source=IndicatorSource.MANUAL).order_by("pk"))


# --- What an organisation owes ------------------------------------------------------------------------------------


def _responsible_actions(actor: Membership) -> QuerySet[Action]:
    """The actions of approved programs the actor's organisation leads or co-executes (the ones it reports on)."""
    org = actor.organisation_id
    co = Action.co_executors.through.objects.filter(action_id=OuterRef("pk"), organisation_id=org)
    return Action.objects.filter(Q(lead_id=org) | Exists(co), program__status=ProgramStatus.APPROVED)


def _runs_in(action: Action, period: ReportingPeriod) -> bool:
    return action.starts_on <= period.ends_on and action.deadline >= period.starts_on


@dataclass
class Cell:
    period: ReportingPeriod
    report: ProgressReport | None


@dataclass
class MineRow:
    action: Action
    role: str  # "lead" or "co"
    cells: list[Cell | None]  # one per period; None when the action does not run in it

    @property
    def title(self) -> str:
        return self.action.title


@dataclass
class MineTable:
    program: Program
    periods: list[ReportingPeriod]
    rows: list[MineRow]

    @property
    def title(self) -> str:
        return self.program.title


def my_actions(actor: Membership) -> list[MineTable]:
    """The actions the actor's organisation leads or co-executes, per program, with its report in each period."""
    org = actor.organisation_id
    actions = list(
        _responsible_actions(actor).select_related("program", "objective").order_by("program__starts_on", "code")
    )
    periods = _periods_of({a.program_id for a in actions})
    reports = _own_reports(org, [a.pk for a in actions])
    tables: dict[int, MineTable] = {}
    for action in actions:
        table = tables.get(action.program_id)
        if table is None:
            table = tables[action.program_id] = MineTable(action.program, periods[action.program_id], [])
        cells: list[Cell | None] = [
            Cell(p, reports.get((action.pk, p.pk))) if _runs_in(action, p) else None for p in table.periods
        ]
        table.rows.append(MineRow(action, "lead" if action.lead_id == org else "co", cells))
    return list(tables.values())


def _periods_of(program_ids: set[int]) -> dict[int, list[ReportingPeriod]]:
    periods: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in ReportingPeriod.objects.filter(program_id__in=program_ids).order_by("starts_on"):
        periods[period.program_id].append(period)
    return periods


def _own_reports(organisation_id: int, action_ids: list[int]) -> dict[tuple[int, int], ProgressReport]:
    found = ProgressReport.objects.filter(organisation_id=organisation_id, action_id__in=action_ids)
    return {(r.action_id, r.period_id): r for r in found}


# What "reports due" shows for each state of a report, in the order the page lists them.
DUE_STATES = ("returned", "missing", "draft", "submitted", "accepted")


@dataclass
class DueItem:
    action: Action
    report: ProgressReport | None

    @property
    def title(self) -> str:
        return self.action.title

    @property
    def state(self) -> str:
        return self.report.status if self.report is not None else "missing"


@dataclass
class DuePeriod:
    period: ReportingPeriod
    overdue: bool  # past the due date with reports not yet sent
    groups: list[tuple[str, list[DueItem]]]  # (state, items) in DUE_STATES order, empty states left out

    @property
    def outstanding(self) -> int:
        return sum(len(items) for state, items in self.groups if state in ("returned", "missing", "draft"))


def reports_due(actor: Membership, today: dt.date | None = None) -> list[DuePeriod]:
    """For the actor's organisation: each open period (started, program not closed, something still owed or due
    date not yet passed) with its actions grouped by the state of the organisation's report.

    Only approved programs take reports: a draft has no one reporting yet and a closed one takes no more.
    """
    today = today or timezone.localdate()
    org = actor.organisation_id
    actions = list(_responsible_actions(actor).select_related("program"))
    action_ids = [a.pk for a in actions]
    reports = _own_reports(org, action_ids)
    periods = ReportingPeriod.objects.filter(
        program_id__in={a.program_id for a in actions}, starts_on__lte=today
    ).select_related("program")
    result = []
    for period in periods.order_by("due_on", "program_id"):
        items = [
            DueItem(a, reports.get((a.pk, period.pk)))
            for a in actions
            if a.program_id == period.program_id and _runs_in(a, period)
        ]
        if not items:
            continue
        grouped = {state: [i for i in items if i.state == state] for state in DUE_STATES}
        owed = any(i.state not in SENT for i in items)
        if not owed and period.due_on < today:
            continue  # everything sent and the period is past: nothing to do here any more
        result.append(
            DuePeriod(period, owed and period.due_on < today, [(s, grouped[s]) for s in DUE_STATES if grouped[s]])
        )
    return result


def review_queue(actor: Membership) -> QuerySet[ProgressReport]:
    """Submitted reports, the longest waiting first."""
    return (
        reports_visible_to(actor)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("action__program")
        .order_by("submitted_at", "pk")
    )


# --- Overdue ------------------------------------------------------------------------------------------------------


def overdue_actions(today: dt.date | None = None) -> QuerySet[Action]:
    """Actions of approved programs past their deadline whose latest accepted report is not completed or cancelled."""
    today = today or timezone.localdate()
    actions: QuerySet[Any] = with_current_status(Action.objects.filter(program__status=ProgramStatus.APPROVED), None)
    return (
        actions.filter(_overdue_q(today)).select_related("lead", "program").order_by("deadline", "program_id", "code")
    )


@dataclass
class OverdueReport:
    action: Action
    period: ReportingPeriod
    status: str | None  # "draft" or "returned" when something was filed but not sent; None when nothing was

    @property
    def title(self) -> str:
        return self.action.title

    @property
    def status_label(self) -> str:
        return str(ReportStatus(self.status).label) if self.status else ""


@dataclass
class AgencyOverdue:
    organisation: Organisation
    items: list[OverdueReport]


def overdue_reports(today: dt.date | None = None) -> list[AgencyOverdue]:
    """By agency, most late first: each action and past-due period without its submitted or accepted report."""
    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.filter(due_on__lt=today, program__status=ProgramStatus.APPROVED).order_by("due_on")
    )
    actions = Action.objects.filter(program_id__in={p.program_id for p in periods}).only(
        "pk", "code", "title_ky", "title_ru", "title_en", "lead_id", "program_id", "starts_on", "deadline"
    )
    by_program: dict[int, list[Action]] = defaultdict(list)
    for action in actions.order_by("code", "pk"):
        by_program[action.program_id].append(action)
    co: dict[int, list[int]] = defaultdict(list)
    through = Action.co_executors.through.objects.filter(action__program_id__in=list(by_program))
    for action_id, org_id in through.values_list("action_id", "organisation_id"):
        co[action_id].append(org_id)
    filed = ProgressReport.objects.filter(period__in=periods).values_list(
        "action_id", "organisation_id", "period_id", "status"
    )
    status = {(a, o, p): s for a, o, p, s in filed}
    owed: dict[int, list[OverdueReport]] = defaultdict(list)
    for period in periods:
        for action in by_program[period.program_id]:
            if not _runs_in(action, period):
                continue
            for org_id in (action.lead_id, *co[action.pk]):
                state = status.get((action.pk, org_id, period.pk))
                if state not in SENT:
                    owed[org_id].append(OverdueReport(action, period, state))
    organisations = Organisation.objects.in_bulk(list(owed))
    result = [AgencyOverdue(organisations[org_id], items) for org_id, items in owed.items()]
    return sorted(result, key=lambda a: (-len(a.items), a.organisation.code))
