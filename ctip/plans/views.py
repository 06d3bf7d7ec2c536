"""The plan's pages: the tree, an action, filing a report, what an agency owes, the review queue, overdue, public.

Every page reads through ``selectors`` (scoped by ``access``) and writes through ``services``; a report filed on
another organisation's action is a 404 and a member without a reporting role gets a 403, as in the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ctip.core.access import get_child_for_actor, get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import apply_validation_error
from ctip.core.http import MemberRequest
from ctip.core.i18n import in_language
from ctip.orgs.models import Membership
from ctip.plans import access, selectors, services
from ctip.plans.forms import (
    ActionForm,
    EvidenceForm,
    IndicatorForm,
    ObjectiveForm,
    ProgramForm,
    ReportForm,
    ReviewForm,
    TreeFilterForm,
)
from ctip.plans.models import (
    Action,
    IndicatorValue,
    Program,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)

OVERDUE_SHOWN = 50  # overdue reports listed per agency; the count covers them all

# --- The plan -----------------------------------------------------------------------------------------------------


@membership_required
def program_list(request: MemberRequest) -> HttpResponse:
    programs = selectors.programs_visible_to(request.membership).order_by("-starts_on", "pk")
    context = {"programs": selectors.titled(programs), **_nav(request.membership)}
    return render(request, "plans/programs.html", context)


def _nav(actor: Membership) -> dict[str, Any]:
    """What the plan's own menu shows the actor."""
    return {"is_coordinator": access.is_coordinator(actor), "can_see_overdue": access.can_see_overdue(actor)}


def _tree_context(request: HttpRequest, program: Program, org_id: int | None, *, public: bool) -> dict[str, Any]:
    form = TreeFilterForm(request.GET or None, organisations=selectors.organisations_in(program).order_by("code"))
    actions = selectors.plan_actions(program, org_id, form.filters(), accepted_only=public)
    page, groups = selectors.plan_tree_page(actions, request.GET.get("page"))
    return {
        "program": program,
        "title": in_language(program, "title"),
        "form": form,
        "page": page,
        "groups": groups,
    }


@membership_required
def program_detail(request: MemberRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_actor(request.membership, pk)
    context = _tree_context(request, program, request.membership.organisation_id, public=False)
    context.update(_nav(request.membership))
    context["can_edit"] = access.programs.can(request.membership, "edit", program)
    if context["can_edit"]:
        context["objectives"] = selectors.titled(program.objectives.order_by("position", "code"))
    return render(request, "plans/program.html", context)


@membership_required
def action_detail(request: MemberRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_actor(request.membership, pk)
    action = (
        Action.objects.select_related("program", "objective", "lead")
        .prefetch_related("pillars", "co_executors", "partners")
        .get(pk=action.pk)
    )
    context = {
        "action": action,
        "title": in_language(action, "title"),
        "description": in_language(action, "description"),
        "expected_result": in_language(action, "expected_result"),
        "objective_title": in_language(action.objective, "title"),
        "program_title": in_language(action.program, "title"),
        "pillars": [p.get_pillar_display() for p in action.pillars.all()],
        "indicators": selectors.action_indicators(action, selectors.current_period(action.program)),
        "periods": selectors.action_reports_by_period(request.membership, action),
        "today": timezone.localdate(),
        "can_edit": access.actions.can(request.membership, "edit", action),
        **_nav(request.membership),
    }
    return render(request, "plans/action.html", context)


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
        saved = _save_report(request, form, action, period, submit="submit" in data)
        if saved is not None:
            return redirect("plans:action", pk=action.pk)
    context = {
        "action": action,
        "title": in_language(action, "title"),
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
    request: MemberRequest, form: ReportForm, action: Action, period: ReportingPeriod, *, submit: bool
) -> ProgressReport | None:
    data = form.cleaned_data
    try:
        # Saving and sending are one step for the user: if sending is refused, nothing is saved either.
        with transaction.atomic():
            report = services.report_save_draft(
                actor=request.membership,
                action=action,
                period=period,
                progress=data["progress"],
                percent=data["percent"],
                narrative=data["narrative"],
                values=form.values(),
            )
            if submit:
                report = services.report_submit(actor=request.membership, report=report)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    if submit:
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
    return [(v, in_language(v.indicator, "name")) for v in values]


def _report_context(actor: Membership, report: ProgressReport) -> dict[str, Any]:
    report = ProgressReport.objects.select_related("action__program", "organisation", "period").get(pk=report.pk)
    return {
        "report": report,
        "title": in_language(report.action, "title"),
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
    context = {"tables": tables, "fileable": _fileable(request.membership, actions), **_nav(request.membership)}
    return render(request, "plans/mine.html", context)


@membership_required
def reports_due(request: MemberRequest) -> HttpResponse:
    periods = selectors.reports_due(request.membership)
    actions = [item.action for due in periods for _state, items in due.groups for item in items]
    context = {
        "periods": periods,
        "fileable": _fileable(request.membership, actions),
        "today": timezone.localdate(),
        **_nav(request.membership),
    }
    return render(request, "plans/due.html", context)


def _fileable(actor: Membership, actions: list[Action]) -> set[int]:
    """Return the ids of the actions whose report form the actor may open: the pages link only to those."""
    return {action.pk for action in actions if access.reporting.can(actor, "report", action)}


# --- The coordinator ----------------------------------------------------------------------------------------------


@membership_required
def review_queue(request: MemberRequest) -> HttpResponse:
    if not access.is_coordinator(request.membership):
        raise PermissionDenied
    reports = selectors.review_queue(request.membership)
    rows = [selectors.Titled(r, in_language(r.action, "title")) for r in reports]
    return render(request, "plans/review_queue.html", {"reports": rows, **_nav(request.membership)})


@membership_required
@require_http_methods(["GET", "POST"])
def review_report(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.membership
    report = selectors.report_get_for_actor(actor, pk, action="review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
                services.report_accept(actor=actor, report=report)
                messages.success(request, _("The report was accepted and is now locked."))
            else:
                services.report_return(actor=actor, report=report, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was returned to the organisation with your comment."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("plans:review")
    context = {**_report_context(actor, report), "form": form}
    return render(request, "plans/review.html", context, status=400 if form.errors else 200)


@membership_required
def overdue(request: MemberRequest) -> HttpResponse:
    """Late actions and late reports by agency: for coordinators and every organisation's analysts."""
    if not access.can_see_overdue(request.membership):
        raise PermissionDenied
    page = Paginator(selectors.overdue_actions(), selectors.TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "actions": [selectors.Titled(a, in_language(a, "title")) for a in page.object_list],
        "agencies": selectors.overdue_reports(),
        "shown": OVERDUE_SHOWN,
        "today": timezone.localdate(),
        **_nav(request.membership),
    }
    return render(request, "plans/overdue.html", context)


# --- The coordinator edits the plan -------------------------------------------------------------------------------


def _require_coordinator(request: MemberRequest) -> None:
    if not access.programs.can_create(request.membership):
        raise PermissionDenied


def _saved(request: MemberRequest, form: Any, write: Callable[[], Any]) -> Any:
    """Run the service; a refusal goes onto the form, field by field, and None is returned."""
    try:
        return write()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _edit_page(request: MemberRequest, form: forms.BaseForm, heading: str, back: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "heading": heading, "back": back, **extra}
    return render(request, "plans/edit.html", context, status=400 if form.errors else 200)


@membership_required
@require_http_methods(["GET", "POST"])
def program_create(request: MemberRequest) -> HttpResponse:
    _require_coordinator(request)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        program = _saved(request, form, lambda: services.program_create(actor=request.membership, **data))
        if program is not None:
            messages.success(request, _("The program was created as a draft with half-year reporting periods."))
            return redirect("plans:program", pk=program.pk)
    return _edit_page(request, form, _("New program"), reverse("plans:programs"))


@membership_required
@require_http_methods(["GET", "POST"])
def program_edit(request: MemberRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_actor(request.membership, pk, action="edit")
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(
            request, form, lambda: services.program_update(actor=request.membership, program=program, **data)
        )
        if saved is not None:
            messages.success(request, _("The program was saved."))
            return redirect("plans:program", pk=program.pk)
    heading = _("Edit the program")
    return _edit_page(request, form, heading, reverse("plans:program", args=[program.pk]), program=program)


PROGRAM_STEPS: dict[str, tuple[Callable[..., Program], Any]] = {
    "approve": (services.program_approve, gettext_lazy("The program is approved; agencies now report on it.")),
    "publish": (services.program_publish, gettext_lazy("The program and its accepted progress are now public.")),
    "unpublish": (services.program_unpublish, gettext_lazy("The program is no longer public.")),
    "close": (services.program_close, gettext_lazy("The program is closed; it takes no more reports.")),
}


@membership_required
@require_POST
def program_step(request: MemberRequest, pk: int) -> HttpResponse:
    """Approve, publish, unpublish or close a program (one button each on the program's page)."""
    program = selectors.program_get_for_actor(request.membership, pk, action="edit")
    step = PROGRAM_STEPS.get(request.POST.get("step", ""))
    if step is None:
        messages.error(request, _("Choose approve, publish, unpublish or close."))
    else:
        service, done = step
        try:
            service(actor=request.membership, program=program)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(done))
    return redirect("plans:program", pk=program.pk)


@membership_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: MemberRequest, pk: int, objective_pk: int | None = None) -> HttpResponse:
    """Add an objective to the program, or change one of its objectives."""
    program = selectors.program_get_for_actor(request.membership, pk, action="edit")
    objective = None
    if objective_pk is not None:
        objective = get_child_for_actor(request.membership, program.objectives, objective_pk, "edit")
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, request.membership
        if objective is None:
            saved = _saved(request, form, lambda: services.objective_create(actor=actor, program=program, **data))
        else:
            saved = _saved(request, form, lambda: services.objective_update(actor=actor, objective=objective, **data))
        if saved is not None:
            messages.success(request, _("The objective was saved."))
            return redirect("plans:program", pk=program.pk)
    heading = _("New objective") if objective is None else _("Edit the objective")
    return _edit_page(request, form, heading, reverse("plans:program", args=[program.pk]), program=program)


@membership_required
@require_http_methods(["GET", "POST"])
def action_create(request: MemberRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_actor(request.membership, pk, action="edit")
    form = ActionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = _saved(request, form, lambda: services.action_create(actor=request.membership, **data))
        if saved is not None:
            messages.success(request, _("The action was added to the plan."))
            return redirect("plans:action", pk=saved.pk)
    return _edit_page(request, form, _("New action"), reverse("plans:program", args=[program.pk]), program=program)


@membership_required
@require_http_methods(["GET", "POST"])
def action_edit(request: MemberRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_actor(request.membership, pk, action="edit")
    form = ActionForm(request.POST or None, instance=action, program=action.program)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "objective"}
        saved = _saved(request, form, lambda: services.action_update(actor=request.membership, action=action, **data))
        if saved is not None:
            messages.success(request, _("The action was saved."))
            return redirect("plans:action", pk=action.pk)
    return _edit_page(request, form, _("Edit the action"), reverse("plans:action", args=[action.pk]))


@membership_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: MemberRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    """Add an indicator to the action, or change one of its indicators."""
    action = selectors.action_get_for_actor(request.membership, pk, action="edit")
    indicator = None
    if indicator_pk is not None:
        indicator = get_child_for_actor(request.membership, action.indicators, indicator_pk, "edit")
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, request.membership
        if indicator is None:
            saved = _saved(request, form, lambda: services.indicator_create(actor=actor, action=action, **data))
        else:
            saved = _saved(request, form, lambda: services.indicator_update(actor=actor, indicator=indicator, **data))
        if saved is not None:
            messages.success(request, _("The indicator was saved."))
            return redirect("plans:action", pk=action.pk)
    heading = _("New indicator") if indicator is None else _("Edit the indicator")
    return _edit_page(request, form, heading, reverse("plans:action", args=[action.pk]))


# --- Public -------------------------------------------------------------------------------------------------------


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    programs = access.public_programs().order_by("-starts_on", "pk")
    return render(request, "plans/public_list.html", {"programs": selectors.titled(programs)})


@login_not_required
def public_program(request: HttpRequest, pk: int) -> HttpResponse:
    """A published program's tree with accepted progress only: nothing filed but not yet accepted shows here."""
    program = access.public_programs().filter(pk=pk).first()
    if program is None:
        raise Http404
    return render(request, "plans/public_program.html", _tree_context(request, program, None, public=True))


urlpatterns = [
    path("", program_list, name="programs"),
    path("programs/<int:pk>/", program_detail, name="program"),
    path("actions/<int:pk>/", action_detail, name="action"),
    path("actions/<int:pk>/periods/<int:period_pk>/report/", report_edit, name="report"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/evidence/", evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", evidence_open, name="evidence_open"),
    path("evidence/<int:pk>/remove/", evidence_remove, name="evidence_remove"),
    path("mine/", my_actions, name="mine"),
    path("due/", reports_due, name="due"),
    path("review/", review_queue, name="review"),
    path("review/<int:pk>/", review_report, name="review_report"),
    path("overdue/", overdue, name="overdue"),
    path("programs/new/", program_create, name="program_create"),
    path("programs/<int:pk>/edit/", program_edit, name="program_edit"),
    path("programs/<int:pk>/step/", program_step, name="program_step"),
    path("programs/<int:pk>/objectives/new/", objective_edit, name="objective_create"),
    path("programs/<int:pk>/objectives/<int:objective_pk>/edit/", objective_edit, name="objective_edit"),
    path("programs/<int:pk>/actions/new/", action_create, name="action_create"),
    path("actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("actions/<int:pk>/indicators/new/", indicator_edit, name="indicator_create"),
    path("actions/<int:pk>/indicators/<int:indicator_pk>/edit/", indicator_edit, name="indicator_edit"),
    path("public/", public_list, name="public_list"),
    path("public/<int:pk>/", public_program, name="public_program"),
]
