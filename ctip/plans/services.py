"""Writes of the plan and of progress reports. Each one audits in its own transaction.

Access is checked before the transaction opens, so that a refusal's own audit row (written by get_for_actor)
is not rolled back with the refused write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.core.access import get_for_actor
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access
from ctip.plans.models import (
    Action,
    ActionPillar,
    IndicatorValue,
    Objective,
    PlanIndicator,
    Program,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportStatus,
)
from ctip.plans.periods import half_year_periods

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _audit(
    actor: Membership, action: str, obj: Program | Objective | Action | ProgressReport, **details: object
) -> None:
    audit_record(
        action=action,
        actor=actor.user,
        organisation=actor.organisation,
        obj=obj,
        details=dict(details),
    )


def _require_coordinator(actor: Membership) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied


# --- The plan -----------------------------------------------------------------------------------------------------


def program_create(
    *,
    actor: Membership,
    title_ky: str,
    title_ru: str,
    title_en: str,
    starts_on: dt.date,
    ends_on: dt.date,
    act_number: str = "",
    act_date: dt.date | None = None,
    due_day: int = 15,
) -> Program:
    """Create a draft program with its default half-year reporting periods."""
    _require_coordinator(actor)
    program = Program(
        title_ky=title_ky,
        title_ru=title_ru,
        title_en=title_en,
        starts_on=starts_on,
        ends_on=ends_on,
        act_number=act_number,
        act_date=act_date,
    )
    program.full_clean()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The program cannot end before it starts.")})
    with transaction.atomic():
        program.save()
        periods = half_year_periods(starts_on, ends_on, due_day)
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(program=program, starts_on=p.starts_on, ends_on=p.ends_on, due_on=p.due_on) for p in periods
        )
        _audit(actor, "plans.program.create", program, periods=len(periods))
    return program


def objective_create(
    *, actor: Membership, program: Program, code: str, title_ky: str, title_ru: str, title_en: str, position: int = 0
) -> Objective:
    _require_coordinator(actor)
    objective = Objective(
        program=program, code=code, title_ky=title_ky, title_ru=title_ru, title_en=title_en, position=position
    )
    objective.full_clean()
    with transaction.atomic():
        objective.save()
        _audit(actor, "plans.objective.create", objective, program=program.pk, code=code)
    return objective


def action_create(
    *,
    actor: Membership,
    objective: Objective,
    code: str,
    title_ky: str,
    title_ru: str,
    title_en: str,
    pillars: Iterable[str],
    lead: Organisation,
    starts_on: dt.date,
    deadline: dt.date,
    co_executors: Iterable[Organisation] = (),
    partners: Iterable[Organisation] = (),
    budget: Decimal = Decimal(0),
    currency: str = "KGS",
    **texts: str,
) -> Action:
    """Create an action. ``texts`` are the optional descriptions, expected results and funding sources."""
    _require_coordinator(actor)
    pillar_values = sorted(set(pillars))
    if not pillar_values:
        raise ValidationError({"pillars": _("Tag the action with at least one pillar.")})
    action = Action(
        program_id=objective.program_id,
        objective=objective,
        code=code,
        title_ky=title_ky,
        title_ru=title_ru,
        title_en=title_en,
        lead=lead,
        starts_on=starts_on,
        deadline=deadline,
        budget=budget,
        currency=currency,
        **texts,
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        action.co_executors.set(co_executors)
        action.partners.set(partners)
        pillar_rows = [ActionPillar(action=action, pillar=p) for p in pillar_values]
        for row in pillar_rows:
            row.full_clean(exclude=["action"])
        ActionPillar.objects.bulk_create(pillar_rows)
        _audit(actor, "plans.action.create", action, program=objective.program_id, code=code)
    return action


# --- Progress reports ---------------------------------------------------------------------------------------------


def _check_values(action: Action, values: Mapping[PlanIndicator, Decimal]) -> None:
    for indicator in values:
        if indicator.action_id != action.pk and indicator.objective_id != action.objective_id:
            raise ValidationError(_("Indicator %(id)s is not one of this action's.") % {"id": indicator.pk})
        if indicator.source != "manual":
            raise ValidationError(_("Indicator %(id)s is computed by ctip, not reported.") % {"id": indicator.pk})


def report_save_draft(
    *,
    actor: Membership,
    action: Action,
    period: ReportingPeriod,
    progress: str = ProgressStatus.NOT_STARTED,
    percent: int = 0,
    narrative: str = "",
    values: Mapping[PlanIndicator, Decimal] | None = None,
) -> ProgressReport:
    """Create or change the actor's organisation's report on the action for the period, while it is editable.

    Raises Http404 if the organisation is not responsible for the action, PermissionDenied without a reporting role.
    """
    action = get_for_actor(access.reporting, actor, action.pk, "report")
    if period.program_id != action.program_id:
        raise ValidationError(_("The period is not one of this action's program."))
    values = values or {}
    _check_values(action, values)
    with transaction.atomic():
        report, created = ProgressReport.objects.select_for_update().get_or_create(
            action=action, organisation_id=actor.organisation_id, period=period
        )
        if report.status not in EDITABLE:
            raise ValidationError(_locked_message(report))
        report.progress, report.percent, report.narrative = progress, percent, narrative
        report.full_clean()
        report.save(update_fields=["progress", "percent", "narrative"])
        for indicator, value in values.items():
            IndicatorValue.objects.update_or_create(report=report, indicator=indicator, defaults={"value": value})
        _audit(actor, "plans.report.save", report, created=created, values=len(values))
    return report


def _locked_message(report: ProgressReport) -> str:
    if report.status == ReportStatus.ACCEPTED:
        return _("This report was accepted on %(date)s and is locked; it can no longer be changed or submitted.") % {
            "date": timezone.localtime(report.accepted_at).date().isoformat() if report.accepted_at else ""
        }
    return _("This report has been submitted and awaits the coordinator's review; it cannot be changed now.")


def _locked(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update().get(pk=report.pk)


def report_submit(*, actor: Membership, report: ProgressReport) -> ProgressReport:
    """Send a draft or returned report to the coordinator."""
    report = get_for_actor(access.reports, actor, report.pk, "submit")
    with transaction.atomic():
        report = _locked(report)
        if report.status not in EDITABLE:
            raise ValidationError(_locked_message(report))
        report.status, report.submitted_at = ReportStatus.SUBMITTED, timezone.now()
        report.save(update_fields=["status", "submitted_at"])
        _audit(actor, "plans.report.submit", report)
    return report


def _review(report: ProgressReport) -> ProgressReport:
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        if report.status == ReportStatus.ACCEPTED:
            raise ValidationError(_locked_message(report))
        raise ValidationError(_("Only a submitted report can be accepted or returned."))
    return report


def report_return(*, actor: Membership, report: ProgressReport, comment: str) -> ProgressReport:
    """Send a submitted report back to its organisation with the coordinator's comment."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"return_comment": _("Say why the report is returned.")})
    report = get_for_actor(access.reports, actor, report.pk, "review")
    with transaction.atomic():
        report = _review(report)
        report.status, report.return_comment = ReportStatus.RETURNED, comment
        report.save(update_fields=["status", "return_comment"])
        _audit(actor, "plans.report.return", report)
    return report


def report_accept(*, actor: Membership, report: ProgressReport) -> ProgressReport:
    """Accept a submitted report; from now on it is locked."""
    report = get_for_actor(access.reports, actor, report.pk, "review")
    with transaction.atomic():
        report = _review(report)
        report.status, report.accepted_at = ReportStatus.ACCEPTED, timezone.now()
        report.save(update_fields=["status", "accepted_at"])
        _audit(actor, "plans.report.accept", report)
    return report
