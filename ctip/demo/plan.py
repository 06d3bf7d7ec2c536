"""The demo's action plan: a four-year program that began two years before the day the demo is loaded.

Everything goes through the plans services, as the coordinator and the agencies' focal points, so the demo carries
the audit trail a real plan would. The reports tell the story of the past half-years (mostly accepted, some returned,
resubmitted, awaiting review or never filed) and of the current one (drafts). Services stamp submissions and
acceptances with the time they run; the demo then moves those two timestamps back to when the work would have
happened, so that timeliness (filed before the due date or not) reads true. That is the one write outside the
services, and it touches no audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from ctip.core import metrics
from ctip.demo import plan_data as content
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import REPORTING_ROLES, Role
from ctip.plans import services
from ctip.plans.models import (
    Action,
    IndicatorSource,
    Objective,
    PlanIndicator,
    Program,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
)

# What happens to one report, step by step; an empty story means the report was never filed.
ACCEPTED = ("submit", "accept")
RESUBMITTED_ACCEPTED = ("submit", "return", "resubmit", "accept")
AWAITING = ("submit",)
RETURNED = ("submit", "return")
RESUBMITTED = ("submit", "return", "resubmit")
DRAFT: tuple[str, ...] = ("draft",)
MISSING: tuple[str, ...] = ()


@dataclass(frozen=True)
class Calendar:
    """Where each half-year stands on the day the demo is loaded."""

    today: dt.date
    periods: list[ReportingPeriod]

    @property
    def last_due(self) -> int:
        """Index of the latest half-year whose reports are already overdue if missing."""
        return max(i for i, p in enumerate(self.periods) if p.due_on < self.today)

    def story(self, i: int, n: int) -> tuple[str, ...]:
        """Return what happened to a report for half-year ``i``; ``n`` varies the stories between reports."""
        period, last = self.periods[i], self.last_due
        if period.starts_on > self.today:
            return MISSING  # not begun yet
        if period.ends_on >= self.today:
            return DRAFT if n % 2 == 0 else MISSING  # the current half-year
        if period.due_on >= self.today:
            return (AWAITING, DRAFT, MISSING)[n % 3]  # ended, not yet due
        if i == last:
            return (AWAITING, RETURNED, RESUBMITTED, MISSING, ACCEPTED, ACCEPTED)[n % 6]
        if i == last - 1 and n % 7 == 3:
            return RESUBMITTED_ACCEPTED
        if i == last - 1 and n % 11 == 5:
            return MISSING
        return ACCEPTED


def load(orgs: dict[str, Organisation]) -> None:
    """Load this part of the demo; `orgs` maps the demo organisations' codes to them."""
    coordinator = _member(orgs["mlsm"], (Role.COORDINATOR,))
    today = timezone.localdate()
    program = _program(coordinator, today)
    periods = list(program.periods.order_by("starts_on"))
    objectives = {
        spec.code: services.objective_create(
            actor=coordinator,
            program=program,
            code=spec.code,
            title_ky=spec.title[0],
            title_ru=spec.title[1],
            title_en=spec.title[2],
            position=position,
        )
        for position, spec in enumerate(content.OBJECTIVES)
    }
    actions = {spec.code: _action(coordinator, objectives, orgs, periods, spec) for spec in content.ACTIONS}
    indicators = _indicators(coordinator, objectives, actions)
    services.program_approve(actor=coordinator, program=program)
    filers = {code: _member(org, REPORTING_ROLES) for code, org in orgs.items() if code in content.WORKING_LANGUAGE}
    reporter = _Reporter(coordinator, filers, Calendar(today, periods), indicators)
    for k, spec in enumerate(content.ACTIONS):
        reporter.file(k, spec, actions[spec.code])
    reporter.backdate()
    services.program_publish(actor=coordinator, program=program)


def _member(org: Organisation, roles: tuple[str, ...]) -> Membership:
    """Return the organisation's first active member holding one of the roles."""
    found = (
        Membership.objects.filter(organisation=org, is_active=True, roles__role__in=roles)
        .select_related("user", "organisation")
        .prefetch_related("roles")  # the services ask for the roles at every step
        .order_by("pk")
        .first()
    )
    if found is None:
        raise LookupError(f"the demo has nobody in {org.code} with a role among {', '.join(roles)}")
    return found


def _program(coordinator: Membership, today: dt.date) -> Program:
    start, end = dt.date(today.year - 2, 1, 1), dt.date(today.year + 1, 12, 31)
    ky, ru, en = (title.format(start=start.year, end=end.year) for title in content.PROGRAM_TITLE)
    return services.program_create(
        actor=coordinator,
        title_ky=ky,
        title_ru=ru,
        title_en=en,
        starts_on=start,
        ends_on=end,
        act_number=content.ACT_NUMBER,
        act_date=dt.date(start.year - 1, 11, 24),
    )


def _action(
    coordinator: Membership,
    objectives: dict[str, Objective],
    orgs: dict[str, Organisation],
    periods: list[ReportingPeriod],
    spec: content.ActionSpec,
) -> Action:
    first, last = spec.halves
    return services.action_create(
        actor=coordinator,
        objective=objectives[spec.code.rsplit(".", 1)[0]],
        code=spec.code,
        title_ky=spec.title[0],
        title_ru=spec.title[1],
        title_en=spec.title[2],
        pillars=spec.pillars,
        lead=orgs[spec.lead],
        co_executors=[orgs[c] for c in spec.co_executors],
        partners=[orgs[c] for c in spec.partners],
        starts_on=periods[first].starts_on,
        deadline=periods[last].ends_on,
        budget=spec.budget,
        currency=spec.currency,
        description_ky=spec.description[0],
        description_ru=spec.description[1],
        description_en=spec.description[2],
        expected_result_ky=spec.result[0],
        expected_result_ru=spec.result[1],
        expected_result_en=spec.result[2],
        funding_sources=spec.funding,
    )


def _indicators(
    coordinator: Membership, objectives: dict[str, Objective], actions: dict[str, Action]
) -> dict[str, list[PlanIndicator]]:
    """Create the indicators; return the manual ones by the code of the action that reports them.

    An objective's manual indicator is reported by the lead of the objective's first action.
    """
    registered = set(metrics.names())
    reported: dict[str, list[PlanIndicator]] = {}
    for spec in content.INDICATORS:
        if spec.metric and spec.metric not in registered:
            if spec.optional:
                continue
            raise LookupError(f"the demo plan needs the metric {spec.metric!r}, which is not registered")
        on_action = spec.owner in actions
        indicator = services.indicator_create(
            actor=coordinator,
            action=actions[spec.owner] if on_action else None,
            objective=None if on_action else objectives[spec.owner],
            name_ky=spec.name[0],
            name_ru=spec.name[1],
            name_en=spec.name[2],
            unit=spec.unit,
            baseline=spec.baseline,
            target=spec.target,
            direction=spec.direction,
            source=IndicatorSource.METRIC if spec.metric else IndicatorSource.MANUAL,
            metric_name=spec.metric,
        )
        if not spec.metric:
            reporter = spec.owner if on_action else f"{spec.owner}.1"
            reported.setdefault(reporter, []).append(indicator)
    return reported


class _Reporter:
    """Files the demo's progress reports through the services, as the agencies and the coordinator would."""

    def __init__(
        self,
        coordinator: Membership,
        filers: dict[str, Membership],
        calendar: Calendar,
        indicators: dict[str, list[PlanIndicator]],
    ) -> None:
        self.coordinator, self.filers, self.calendar, self.indicators = coordinator, filers, calendar, indicators
        self.filed: list[tuple[ProgressReport, ReportingPeriod, tuple[str, ...], int]] = []

    def file(self, k: int, spec: content.ActionSpec, action: Action) -> None:
        """File the lead's reports for every half-year so far, and the co-executors' for the recent ones.

        Co-executors' older contributions live in the leads' narratives; leaving them out keeps the demo quick to load.
        """
        first, last = spec.halves
        for j, org in enumerate((spec.lead, *spec.co_executors)):
            since = first if j == 0 else max(first, self.calendar.last_due - 1)
            for i in range(since, last + 1):
                n = k + 3 * j + i
                story = self.calendar.story(i, n)
                if story:
                    self._tell(spec, action, org, i, n, story)

    def _tell(self, spec: content.ActionSpec, action: Action, org: str, i: int, n: int, story: tuple[str, ...]) -> None:
        filer, period = self.filers[org], self.calendar.periods[i]
        lang = content.WORKING_LANGUAGE[org]
        progress, percent = self._progress(spec, i, n)
        narrative = self._narrative(spec, org, period, progress, percent)
        if org == spec.lead and progress != ProgressStatus.NOT_STARTED:
            narrative = f"{narrative} {content.NOTES[lang][n % len(content.NOTES[lang])]}"
        values = self._values(spec, i) if org == spec.lead else {}

        def save(text: str) -> ProgressReport:
            return services.report_save_draft(
                actor=filer,
                action=action,
                period=period,
                progress=progress,
                percent=percent,
                narrative=text,
                values=values,
            )

        report = save(narrative)
        for step in story:
            if step == "submit":
                report = services.report_submit(actor=filer, report=report)
            elif step == "return":
                comment = content.RETURN_COMMENTS[lang][n % 3]
                report = services.report_return(actor=self.coordinator, report=report, comment=comment)
            elif step == "resubmit":
                amended = f"{narrative} {content.STANDING[lang]['amended']}"
                save(amended)
                report = services.report_submit(actor=filer, report=report)
            elif step == "accept":
                report = services.report_accept(actor=self.coordinator, report=report)
        self.filed.append((report, period, story, n))

    def _progress(self, spec: content.ActionSpec, i: int, n: int) -> tuple[str, int]:
        first, last = spec.halves
        if i == first and n % 5 == 4 and last > first:
            return ProgressStatus.NOT_STARTED, 0
        if i == last and spec.trouble == "cancelled":
            return ProgressStatus.CANCELLED, round(100 * (i - first) / (last - first + 1))
        share = (i - first + 1) / (last - first + 1)
        if spec.trouble == "delayed" and i >= self.calendar.last_due:
            return ProgressStatus.DELAYED, round(60 * share)
        if i == last and self.calendar.periods[i].ends_on < self.calendar.today:
            return ProgressStatus.COMPLETED, 100
        return ProgressStatus.IN_PROGRESS, min(95, round(100 * share))

    def _narrative(self, spec: content.ActionSpec, org: str, period: ReportingPeriod, progress: str, pct: int) -> str:
        lang, year, second = content.WORKING_LANGUAGE[org], period.starts_on.year, period.starts_on.month > 6
        standing = content.STANDING[lang]
        if progress == ProgressStatus.NOT_STARTED:
            return standing["not_started"]
        if lang == "ru":
            when = f"В {'втором' if second else 'первом'} полугодии {year} года"
            done = spec.done if org == spec.lead else f"в рамках мероприятия {spec.code} {content.CONTRIBUTION[org]}"
            share = f"Мероприятие выполнено на {pct}%."
        else:
            when = f"{year}-жылдын {'экинчи' if second else 'биринчи'} жарым жылдыгында"
            done = spec.done if org == spec.lead else f"{spec.code} иш-чарасынын алкагында {content.CONTRIBUTION[org]}"
            share = f"Иш-чара {pct}% аткарылды."
        if progress == ProgressStatus.COMPLETED:
            return f"{when} {done}. {standing['completed']}"
        return f"{when} {done}. {share} {standing[progress]}"

    def _values(self, spec: content.ActionSpec, i: int) -> dict[PlanIndicator, Decimal]:
        first, last = spec.halves
        share = Decimal(i - first + 1) / Decimal(last - first + 1)
        values = {}
        for indicator in self.indicators.get(spec.code, []):
            start, goal = indicator.baseline or Decimal(0), indicator.target or Decimal(0)
            values[indicator] = (start + (goal - start) * share).quantize(Decimal(1), ROUND_HALF_UP)
        return values

    def backdate(self) -> None:
        """Move submissions and acceptances back to when they would have happened; never into the future."""
        now, tz = timezone.now(), timezone.get_current_timezone()
        changed = []
        for report, period, story, n in self.filed:
            if "submit" not in story:
                continue
            if period.due_on < self.calendar.today:
                day = period.due_on - dt.timedelta(days=n % 9)
            else:  # ended, not yet due: sent in the last few days
                day = min(period.ends_on + dt.timedelta(days=1 + n % 5), self.calendar.today)
            if "resubmit" in story:
                day = period.due_on + dt.timedelta(days=12 + n % 5)
            at = dt.datetime.combine(day, dt.time(10 + n % 7, 5 * (n % 12)), tzinfo=tz)
            report.submitted_at = min(at, now)
            if report.accepted_at is not None:
                report.accepted_at = min(at + dt.timedelta(days=5 + n % 6, hours=3), now)
            changed.append(report)
        ProgressReport.objects.bulk_update(changed, ["submitted_at", "accepted_at"])
