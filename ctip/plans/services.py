"""Writes of the plan and of progress reports. Each one audits in its own transaction.

Access is checked before the transaction opens, so that a refusal's own audit row (written by get_for_actor)
is not rolled back with the refused write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.audit.services import audit_record
from ctip.core import files
from ctip.core.access import get_for_actor
from ctip.core.services import model_update
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access
from ctip.plans.models import (
    EVIDENCE_MAX_BYTES,
    Action,
    ActionPillar,
    EvidenceType,
    IndicatorSource,
    IndicatorValue,
    Objective,
    PlanIndicator,
    Program,
    ProgramStatus,
    ProgressReport,
    ProgressStatus,
    ReportEvidence,
    ReportingPeriod,
    ReportStatus,
)
from ctip.plans.periods import due_date, half_year_periods

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _audit(actor: Membership, action: str, obj: models.Model, **details: object) -> None:
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


# --- Editing the plan ---------------------------------------------------------------------------------------------

PROGRAM_FIELDS = frozenset(
    {"title_ky", "title_ru", "title_en", "starts_on", "ends_on", "act_number", "act_date", "reminder_days_before"}
)
OBJECTIVE_FIELDS = frozenset({"code", "title_ky", "title_ru", "title_en", "position"})
ACTION_FIELDS = frozenset(
    {
        "code",
        "title_ky",
        "title_ru",
        "title_en",
        "description_ky",
        "description_ru",
        "description_en",
        "expected_result_ky",
        "expected_result_ru",
        "expected_result_en",
        "lead",
        "starts_on",
        "deadline",
        "budget",
        "currency",
        "funding_sources",
    }
)
ACTION_RELATIONS = frozenset({"pillars", "co_executors", "partners"})
INDICATOR_FIELDS = frozenset(
    {"name_ky", "name_ru", "name_en", "unit", "baseline", "target", "direction", "source", "metric_name"}
)
# What a reported number means: these cannot change once a value has been reported against the indicator.
INDICATOR_MEANING = frozenset({"unit", "source", "metric_name"})
PERIOD_FIELDS = frozenset({"starts_on", "ends_on", "due_on"})


# What each update service accepts: a key outside these is a programming error (the pages' forms send no other).
class ProgramChanges(TypedDict, total=False):
    title_ky: str
    title_ru: str
    title_en: str
    starts_on: dt.date
    ends_on: dt.date
    act_number: str
    act_date: dt.date | None
    reminder_days_before: int


class ObjectiveChanges(TypedDict, total=False):
    code: str
    title_ky: str
    title_ru: str
    title_en: str
    position: int


class ActionChanges(TypedDict, total=False):
    code: str
    title_ky: str
    title_ru: str
    title_en: str
    description_ky: str
    description_ru: str
    description_en: str
    expected_result_ky: str
    expected_result_ru: str
    expected_result_en: str
    lead: Organisation
    starts_on: dt.date
    deadline: dt.date
    budget: Decimal | None
    currency: str
    funding_sources: str
    pillars: Iterable[str]
    co_executors: Iterable[Organisation]
    partners: Iterable[Organisation]


class IndicatorChanges(TypedDict, total=False):
    name_ky: str
    name_ru: str
    name_en: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    direction: str
    source: str
    metric_name: str


class PeriodChanges(TypedDict, total=False):
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date


def _differs(obj: models.Model, data: Mapping[str, object]) -> set[str]:
    """Return the names in ``data`` whose value differs from ``obj``'s (to refuse a change before it is written)."""
    return {name for name, value in data.items() if getattr(obj, name) != value}


def _require_open(program: Program) -> None:
    if program.status == ProgramStatus.CLOSED:
        raise ValidationError(_("The program is closed; its plan can no longer be changed."))


def _fresh_program(program: Program | int) -> Program:
    pk = program.pk if isinstance(program, Program) else program
    return Program.objects.select_for_update().get(pk=pk)


def program_update(*, actor: Membership, program: Program, **changes: Unpack[ProgramChanges]) -> Program:
    """Change a program's titles, dates, approving act or reminder lead time.

    The reporting periods are not regenerated: new dates must still contain every period.
    """
    _require_coordinator(actor)
    with transaction.atomic():
        program = _fresh_program(program)
        _require_open(program)
        program, changed = model_update(instance=program, fields=PROGRAM_FIELDS, data=changes)
        if {"starts_on", "ends_on"} & set(changed):
            outside = program.periods.filter(Q(starts_on__lt=program.starts_on) | Q(ends_on__gt=program.ends_on))
            if outside.exists():
                first = outside.order_by("starts_on").first()
                raise ValidationError(
                    {
                        "starts_on": _(
                            "The reporting period %(period)s would fall outside the program; "
                            "change or remove the period first."
                        )
                        % {"period": str(first)}
                    }
                )
        if changed:
            _audit(actor, "plans.program.update", program, fields=changed)
    return program


def _program_transition(actor: Membership, program: Program, allowed_from: tuple[str, ...], message: str) -> Program:
    _require_coordinator(actor)
    program = _fresh_program(program)
    if program.status not in allowed_from:
        raise ValidationError(message % {"status": program.get_status_display()})
    return program


def program_approve(*, actor: Membership, program: Program) -> Program:
    """Approve a draft program: from now on every member sees it and responsible organisations report on it."""
    with transaction.atomic():
        program = _program_transition(
            actor,
            program,
            (ProgramStatus.DRAFT,),
            _("Only a draft program can be approved; this one is %(status)s."),
        )
        if not program.periods.exists():
            raise ValidationError(_("Add at least one reporting period before approving the program."))
        program.status = ProgramStatus.APPROVED
        program.save(update_fields=["status"])
        _audit(actor, "plans.program.approve", program)
    return program


def program_close(*, actor: Membership, program: Program) -> Program:
    """Close an approved program: its plan and reporting are finished. A published program stays published."""
    with transaction.atomic():
        program = _program_transition(
            actor,
            program,
            (ProgramStatus.APPROVED,),
            _("Only an approved program can be closed; this one is %(status)s."),
        )
        program.status = ProgramStatus.CLOSED
        program.save(update_fields=["status"])
        _audit(actor, "plans.program.close", program)
    return program


def program_publish(*, actor: Membership, program: Program) -> Program:
    """Make the plan and its accepted progress public (no login). Only an approved program can be published."""
    with transaction.atomic():
        program = _program_transition(
            actor,
            program,
            (ProgramStatus.APPROVED,),
            _("Only an approved program can be published; this one is %(status)s."),
        )
        if program.published:
            raise ValidationError(_("The program is already published."))
        program.published, program.published_at = True, timezone.now()
        program.save(update_fields=["published", "published_at"])
        _audit(actor, "plans.program.publish", program)
    return program


def program_unpublish(*, actor: Membership, program: Program) -> Program:
    """Take the program off the public pages."""
    _require_coordinator(actor)
    with transaction.atomic():
        program = _fresh_program(program)
        if not program.published:
            raise ValidationError(_("The program is not published."))
        program.published, program.published_at = False, None
        program.save(update_fields=["published", "published_at"])
        _audit(actor, "plans.program.unpublish", program)
    return program


def objective_update(*, actor: Membership, objective: Objective, **changes: Unpack[ObjectiveChanges]) -> Objective:
    _require_coordinator(actor)
    with transaction.atomic():
        objective = Objective.objects.select_related("program").get(pk=objective.pk)
        _require_open(objective.program)
        code = changes.get("code", objective.code)
        if code != objective.code and objective.program.objectives.filter(code=code).exists():
            raise ValidationError({"code": _("The program already has an objective %(code)s.") % {"code": code}})
        objective, changed = model_update(instance=objective, fields=OBJECTIVE_FIELDS, data=changes)
        if changed:
            _audit(actor, "plans.objective.update", objective, fields=changed)
    return objective


def action_update(*, actor: Membership, action: Action, **changes: Unpack[ActionChanges]) -> Action:
    """Change an action's fields and its pillars, co-executors and partners; the audit row names what changed.

    Reports already filed keep their organisation, period and content: an organisation taken off the action keeps
    its reports (accepted ones stay locked and counted) but files no new ones.
    """
    _require_coordinator(actor)
    data: dict[str, Any] = dict(changes)
    relations = {name: data.pop(name) for name in list(data) if name in ACTION_RELATIONS}
    with transaction.atomic():
        action = Action.objects.select_related("program").get(pk=action.pk)
        _require_open(action.program)
        code = data.get("code", action.code)
        if code != action.code and Action.objects.filter(program_id=action.program_id, code=code).exists():
            raise ValidationError({"code": _("The program already has an action %(code)s.") % {"code": code}})
        action, changed = model_update(instance=action, fields=ACTION_FIELDS, data=data)
        if "pillars" in relations:
            pillars = sorted(set(relations["pillars"]))
            if not pillars:
                raise ValidationError({"pillars": _("Tag the action with at least one pillar.")})
            rows = [ActionPillar(action=action, pillar=p) for p in pillars]
            for row in rows:
                row.full_clean(exclude=["action"], validate_constraints=False)
            if pillars != sorted(action.pillars.values_list("pillar", flat=True)):
                action.pillars.all().delete()
                ActionPillar.objects.bulk_create(rows)
                changed.append("pillars")
        for name in ("co_executors", "partners"):
            if name in relations:
                new = {org.pk for org in relations[name]}
                manager = getattr(action, name)
                if new != set(manager.values_list("pk", flat=True)):
                    manager.set(relations[name])
                    changed.append(name)
        if action.co_executors.filter(pk=action.lead_id).exists():
            raise ValidationError({"co_executors": _("The lead organisation cannot also be a co-executor.")})
        if changed:
            _audit(actor, "plans.action.update", action, fields=sorted(changed))
    return action


def indicator_create(
    *,
    actor: Membership,
    action: Action | None = None,
    objective: Objective | None = None,
    name_ky: str,
    name_ru: str,
    name_en: str,
    unit: str,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    direction: str = "increase",
    source: str = IndicatorSource.MANUAL,
    metric_name: str = "",
) -> PlanIndicator:
    """Add an indicator to one action or one objective; a computed one names a registered metric."""
    _require_coordinator(actor)
    indicator = PlanIndicator(
        action=action,
        objective=objective,
        name_ky=name_ky,
        name_ru=name_ru,
        name_en=name_en,
        unit=unit,
        baseline=baseline,
        target=target,
        direction=direction,
        source=source,
        metric_name=metric_name,
    )
    indicator.full_clean()
    program = action.program if action is not None else objective.program  # type: ignore[union-attr]
    _require_open(program)
    with transaction.atomic():
        indicator.save()
        _audit(actor, "plans.indicator.create", indicator, program=program.pk, source=source)
    return indicator


def indicator_update(
    *, actor: Membership, indicator: PlanIndicator, **changes: Unpack[IndicatorChanges]
) -> PlanIndicator:
    """Change an indicator. Once a value has been reported, its unit and source stay as they were reported."""
    _require_coordinator(actor)
    with transaction.atomic():
        indicator = PlanIndicator.objects.get(pk=indicator.pk)
        owner = indicator.action or indicator.objective
        _require_open(owner.program)  # type: ignore[union-attr]
        if INDICATOR_MEANING & _differs(indicator, changes) and indicator.values.exists():
            raise ValidationError(
                _(
                    "Values have already been reported for this indicator, so its unit, source and metric cannot "
                    "change; add a new indicator instead."
                )
            )
        indicator, changed = model_update(instance=indicator, fields=INDICATOR_FIELDS, data=changes)
        if changed:
            _audit(actor, "plans.indicator.update", indicator, fields=changed)
    return indicator


def _check_period(period: ReportingPeriod) -> None:
    program = period.program
    if period.starts_on < program.starts_on or period.ends_on > program.ends_on:
        raise ValidationError(
            {
                "starts_on": _("A reporting period must lie within the program (%(start)s to %(end)s).")
                % {"start": program.starts_on.isoformat(), "end": program.ends_on.isoformat()}
            }
        )
    clash = (
        ReportingPeriod.objects.filter(
            program_id=period.program_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
        )
        .exclude(pk=period.pk)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"starts_on": _("The period overlaps the reporting period %(period)s.") % {"period": str(clash)}}
        )


def period_create(
    *,
    actor: Membership,
    program: Program,
    starts_on: dt.date,
    ends_on: dt.date,
    due_on: dt.date | None = None,
) -> ReportingPeriod:
    """Add a reporting period; it is due on the 15th of the month after it ends unless ``due_on`` says otherwise."""
    _require_coordinator(actor)
    with transaction.atomic():
        program = _fresh_program(program)
        _require_open(program)
        if due_on is None and ends_on is not None:
            due_on = due_date(ends_on)
        period = ReportingPeriod(program=program, starts_on=starts_on, ends_on=ends_on, due_on=due_on)
        period.full_clean()
        _check_period(period)
        period.save()
        _audit(actor, "plans.period.create", period, program=program.pk)
    return period


def period_update(*, actor: Membership, period: ReportingPeriod, **changes: Unpack[PeriodChanges]) -> ReportingPeriod:
    """Change a period's due date (always possible) or, while no report has been filed for it, its dates."""
    _require_coordinator(actor)
    with transaction.atomic():
        _fresh_program(period.program_id)  # serialises period changes of one program
        period = ReportingPeriod.objects.select_related("program").get(pk=period.pk)
        _require_open(period.program)
        if {"starts_on", "ends_on"} & _differs(period, changes) and period.reports.exists():
            raise ValidationError(_("Reports have been filed for this period, so only its due date can change."))
        program = period.program
        period, changed = model_update(instance=period, fields=PERIOD_FIELDS, data=changes)
        period.program = program
        _check_period(period)
        if changed:
            _audit(actor, "plans.period.update", period, fields=changed, due_on=period.due_on.isoformat())
    return period


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


# --- Evidence files -----------------------------------------------------------------------------------------------

EVIDENCE_RULE = files.UploadRule(
    types=tuple(EvidenceType.values),
    max_bytes=EVIDENCE_MAX_BYTES,
    not_accepted=gettext_lazy(
        "The file %(name)s is not a PDF, DOCX, XLSX, ODT, ODS, JPEG or PNG file (judged by its content, not its name)."
    ),
)


def _editable_report(report: ProgressReport) -> ProgressReport:
    report = _locked(report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Evidence can be added or removed only while the report is a draft or has been returned. %(why)s")
            % {"why": _locked_message(report)}
        )
    return report


def evidence_add(*, actor: Membership, report: ProgressReport, uploaded_file: UploadedFile[bytes]) -> ReportEvidence:
    """Attach a file to the actor's organisation's editable report.

    At most 10 MB of PDF, DOCX, XLSX, ODT, ODS, JPEG or PNG, as the content says and the name agrees. The file is
    stored under a random name; its original name, type, size and SHA-256 are kept beside it.
    """
    report = get_for_actor(access.reports, actor, report.pk, "edit")
    name, size = files.clean_file_name(uploaded_file.name or ""), uploaded_file.size or 0
    stream = uploaded_file.file if uploaded_file.file is not None else io.BytesIO()
    kind = files.check_upload(EVIDENCE_RULE, name=name, size=size, stream=stream)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    with transaction.atomic():
        report = _editable_report(report)
        evidence = ReportEvidence(
            report=report,
            original_name=name,
            content_type=kind,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor.user,
        )
        evidence.file.save("evidence", File(uploaded_file), save=False)
        stored = evidence.file.name or ""
        try:
            evidence.full_clean()
            evidence.save()
            _audit(actor, "plans.evidence.add", evidence, report=report.pk, type=kind, size=size)
        except BaseException:
            evidence.file.storage.delete(stored)
            raise
    return evidence


def evidence_remove(*, actor: Membership, evidence: ReportEvidence) -> None:
    """Remove a file from an editable report; the stored file is deleted once the removal is committed."""
    evidence = get_for_actor(access.evidence, actor, evidence.pk, "remove")
    with transaction.atomic():
        report = _editable_report(evidence.report)
        storage, stored = evidence.file.storage, evidence.file.name or ""
        _audit(actor, "plans.evidence.remove", evidence, report=report.pk, sha256=evidence.sha256)
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(stored))


def evidence_open(*, actor: Membership, evidence: ReportEvidence | int) -> tuple[ReportEvidence, File[bytes]]:
    """Return the evidence record and its open file, for whoever may see the report; each opening is audited."""
    pk = evidence.pk if isinstance(evidence, ReportEvidence) else evidence
    found = get_for_actor(access.evidence, actor, pk, "view")
    with transaction.atomic():
        _audit(actor, "plans.evidence.open", found, report=found.report_id)
    return found, found.file.open("rb")
