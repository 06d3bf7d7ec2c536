"""The coordinator edits the plan: the program and its steps, objectives, actions and indicators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ctip.core.access import get_child_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest
from ctip.plans import access, selectors, services
from ctip.plans.forms import (
    ActionForm,
    IndicatorForm,
    ObjectiveForm,
    ProgramForm,
)
from ctip.plans.models import (
    Program,
)

# --- The coordinator edits the plan -------------------------------------------------------------------------------


def _require_coordinator(request: MemberRequest) -> None:
    if not access.programs.can(request.membership, "create"):
        raise PermissionDenied


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
        program = submit(form, lambda: services.program_create(actor=request.membership, **data))
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
        saved = submit(form, lambda: services.program_update(actor=request.membership, program=program, **data))
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
            saved = submit(form, lambda: services.objective_create(actor=actor, program=program, **data))
        else:
            saved = submit(form, lambda: services.objective_update(actor=actor, objective=objective, **data))
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
        saved = submit(form, lambda: services.action_create(actor=request.membership, **data))
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
        saved = submit(form, lambda: services.action_update(actor=request.membership, action=action, **data))
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
            saved = submit(form, lambda: services.indicator_create(actor=actor, action=action, **data))
        else:
            saved = submit(form, lambda: services.indicator_update(actor=actor, indicator=indicator, **data))
        if saved is not None:
            messages.success(request, _("The indicator was saved."))
            return redirect("plans:action", pk=action.pk)
    heading = _("New indicator") if indicator is None else _("Edit the indicator")
    return _edit_page(request, form, heading, reverse("plans:action", args=[action.pk]))
