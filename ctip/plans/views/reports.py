"""Filing a progress report and its evidence, what an agency owes, and the coordinator's review and overdue list.

A report filed on another organisation's action is a 404 and a member without a reporting role gets a 403, as in the
services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.core.access import get_child_for_actor, get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest
from ctip.orgs.models import Membership
from ctip.plans import access, selectors, services
from ctip.plans.forms import (
    EvidenceForm,
    ReportForm,
    ReviewForm,
)
from ctip.plans.models import (
    Action,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from ctip.plans.views._common import nav

OVERDUE_SHOWN = 50  # overdue reports listed per agency; the count covers them all


# --- Filing a report ----------------------------------------------------------------------------------------------


@membership_required
@require_http_methods(["GET", "POST"])
def report_edit(request: MemberRequest, pk: int, period_pk: int) -> HttpResponse:
    """File or change the organisation's report; submitted and accepted reports are shown read-only, with why."""
    actor = request.membership
    action = selectors.action_for_filing(actor, pk)
    period = get_child_for_actor(
        actor, ReportingPeriod.objects.filter(program_id=action.program_id), period_pk, "report"
    )
    report = selectors.report_of(actor, action, period)
    indicators = selectors.manual_indicators(action)
    values = selectors.report_values(report)
    locked = report is not None and report.status not in services.EDITABLE
    data = request.POST if request.method == "POST" and not locked else None
    form = ReportForm(data, indicators=indicators, report=report, values=values)
    if data is not None and form.is_valid():
        saved = _save_report(request, form, action, period, send="submit" in data)
        if saved is not None:
            return redirect("plans:action", pk=action.pk)
    context = {
        "action": action,
        "title": action.title,
        "period": period,
        "report": report,
        "locked_reason": _locked_reason(report) if locked and report is not None else "",
        "form": form,
        "locked": locked,
        "values": _value_rows(report),
        "evidence": list(report.evidence.all()) if report is not None else [],
        "evidence_form": EvidenceForm(),
    }
    # A POST to a locked report changes nothing; the page says why (409: the report's state forbids it).
    status = 409 if locked and request.method == "POST" else 400 if form.errors else 200
    return render(request, "plans/report_form.html", context, status=status)


def _locked_reason(report: ProgressReport) -> str:
    if report.status == ReportStatus.ACCEPTED:
        return _("The coordinator accepted this report; it is locked and can no longer be changed.")
    return _(
        "This report was submitted and awaits the coordinator's review; it cannot be changed until it is returned."
    )


def _save_report(
    request: MemberRequest, form: ReportForm, action: Action, period: ReportingPeriod, *, send: bool
) -> ProgressReport | None:
    data, actor = form.cleaned_data, request.membership

    def write() -> ProgressReport:
        # Saving and sending are one step for the user: if sending is refused, nothing is saved either.
        with transaction.atomic():
            report = services.report_save_draft(
                actor=actor,
                action=action,
                period=period,
                progress=data["progress"],
                percent=data["percent"],
                narrative=data["narrative"],
                values=form.values(),
            )
            return services.report_submit(actor=actor, report=report) if send else report

    report = submit(form, write)
    if report is None:
        return None
    if send:
        messages.success(request, _("The report was sent to the coordinator."))
    else:
        messages.success(request, _("The draft was saved. Only your organisation sees it until you submit it."))
    return report


@membership_required
def report_detail(request: MemberRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_actor(request.membership, pk)
    return render(request, "plans/report_detail.html", _report_context(request.membership, report))


def _value_rows(report: ProgressReport | None) -> list[tuple[IndicatorValue, str]]:
    if report is None:
        return []
    values = report.values.select_related("indicator").order_by("indicator_id")
    return [(v, v.indicator.name) for v in values]


def _report_context(actor: Membership, report: ProgressReport) -> dict[str, Any]:
    report = ProgressReport.objects.select_related("action__program", "organisation", "period").get(pk=report.pk)
    return {
        "report": report,
        "title": report.action.title,
        "values": _value_rows(report),
        "evidence": list(report.evidence.all()),
        "can_edit": report.status in services.EDITABLE and access.reports.can(actor, "edit", report),
        "can_review": report.status == ReportStatus.SUBMITTED and access.reports.can(actor, "review", report),
    }


# --- Evidence files -----------------------------------------------------------------------------------------------


@membership_required
@require_POST
def evidence_add(request: MemberRequest, pk: int) -> HttpResponse:
    """Attach a file to the organisation's editable report, then go back to the report."""
    report = selectors.report_get_for_actor(request.membership, pk, action="edit")
    form = EvidenceForm(request.POST, request.FILES)
    error: ValidationError | None = None
    if form.is_valid():
        try:
            services.evidence_add(actor=request.membership, report=report, uploaded_file=form.cleaned_data["file"])
        except ValidationError as refused:
            error = refused
    else:
        error = ValidationError([e for errors in form.errors.values() for e in errors])
    if error is None:
        messages.success(request, _("The file was attached to the report."))
    else:
        for message in error.messages:
            messages.error(request, message)
    return redirect("plans:report", pk=report.action_id, period_pk=report.period_id)


@membership_required
@require_POST
def evidence_remove(request: MemberRequest, pk: int) -> HttpResponse:
    evidence = get_for_actor(access.evidence, request.membership, pk, "remove")
    try:
        services.evidence_remove(actor=request.membership, evidence=evidence)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The file %(name)s was removed.") % {"name": evidence.original_name})
    return redirect("plans:report", pk=evidence.report.action_id, period_pk=evidence.report.period_id)


@membership_required  # type: ignore[arg-type]  # a file response is an HttpResponseBase, not an HttpResponse
def evidence_open(request: MemberRequest, pk: int) -> FileResponse:
    """Download an evidence file (audited); always as an attachment, never rendered in ctip's own origin."""
    evidence, opened = services.evidence_open(actor=request.membership, evidence=pk)
    response = FileResponse(
        opened, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- What an agency owes ------------------------------------------------------------------------------------------


@membership_required
def my_actions(request: MemberRequest) -> HttpResponse:
    tables = selectors.my_actions(request.membership)
    actions = [row.action for table in tables for row in table.rows]
    context = {"tables": tables, "fileable": _fileable(request.membership, actions), **nav(request.membership)}
    return render(request, "plans/mine.html", context)


@membership_required
def reports_due(request: MemberRequest) -> HttpResponse:
    periods = selectors.reports_due(request.membership)
    actions = [item.action for due in periods for _state, items in due.groups for item in items]
    context = {
        "periods": periods,
        "fileable": _fileable(request.membership, actions),
        "today": timezone.localdate(),
        **nav(request.membership),
    }
    return render(request, "plans/due.html", context)


def _fileable(actor: Membership, actions: list[Action]) -> set[int]:
    """Return the ids of the actions whose report form the actor may open: the pages link only to those."""
    return {action.pk for action in actions if access.reporting.can(actor, "report", action)}


# --- The coordinator ----------------------------------------------------------------------------------------------


@membership_required
def review_queue(request: MemberRequest) -> HttpResponse:
    if not access.reports.can(request.membership, "review"):
        raise PermissionDenied
    reports = selectors.review_queue(request.membership)
    return render(request, "plans/review_queue.html", {"reports": reports, **nav(request.membership)})


@membership_required
@require_http_methods(["GET", "POST"])
def review_report(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.membership
    report = selectors.report_get_for_actor(actor, pk, action="review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
            done = _("The report was accepted and is now locked.")
            decided = submit(form, lambda: services.report_accept(actor=actor, report=report))
        else:
            comment = form.cleaned_data["comment"]
            done = _("The report was returned to the organisation with your comment.")
            decided = submit(form, lambda: services.report_return(actor=actor, report=report, comment=comment))
        if decided is not None:
            messages.success(request, done)
            return redirect("plans:review")
    context = {**_report_context(actor, report), "form": form}
    return render(request, "plans/review.html", context, status=400 if form.errors else 200)


@membership_required
def overdue(request: MemberRequest) -> HttpResponse:
    """Late actions and late reports by agency: for coordinators and every organisation's analysts."""
    if not access.actions.can(request.membership, "overdue"):
        raise PermissionDenied
    page = Paginator(selectors.overdue_actions(), selectors.TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "actions": page.object_list,
        "agencies": selectors.overdue_reports(),
        "shown": OVERDUE_SHOWN,
        "today": timezone.localdate(),
        **nav(request.membership),
    }
    return render(request, "plans/overdue.html", context)
