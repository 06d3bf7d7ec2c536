"""The plan's pages: the programs, a program's tree, an action, and the public pages (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest
from ctip.core.i18n import in_language
from ctip.plans import access, selectors
from ctip.plans.forms import (
    TreeFilterForm,
)
from ctip.plans.models import (
    Action,
    Program,
)
from ctip.plans.views._common import nav

# --- The plan -----------------------------------------------------------------------------------------------------


@membership_required
def program_list(request: MemberRequest) -> HttpResponse:
    programs = selectors.programs_visible_to(request.membership).order_by("-starts_on", "pk")
    context = {"programs": list(programs), **nav(request.membership)}
    return render(request, "plans/programs.html", context)


def _tree_context(request: HttpRequest, program: Program, org_id: int | None, *, public: bool) -> dict[str, Any]:
    form = TreeFilterForm(request.GET or None, organisations=selectors.organisations_in(program).order_by("code"))
    actions = selectors.plan_actions(program, org_id, form.filters(), accepted_only=public)
    page, groups = selectors.plan_tree_page(actions, request.GET.get("page"))
    return {
        "program": program,
        "title": program.title,
        "form": form,
        "page": page,
        "groups": groups,
    }


@membership_required
def program_detail(request: MemberRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_actor(request.membership, pk)
    context = _tree_context(request, program, request.membership.organisation_id, public=False)
    context.update(nav(request.membership))
    context["can_edit"] = access.programs.can(request.membership, "edit", program)
    if context["can_edit"]:
        context["objectives"] = program.objectives.order_by("position", "code")
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
        "title": action.title,
        "description": in_language(action, "description"),
        "expected_result": in_language(action, "expected_result"),
        "objective_title": action.objective.title,
        "program_title": action.program.title,
        "pillars": [p.get_pillar_display() for p in action.pillars.all()],
        "indicators": selectors.action_indicators(action, selectors.current_period(action.program)),
        "periods": selectors.action_reports_by_period(request.membership, action),
        "today": timezone.localdate(),
        "can_edit": access.actions.can(request.membership, "edit", action),
        **nav(request.membership),
    }
    return render(request, "plans/action.html", context)


# --- Public -------------------------------------------------------------------------------------------------------


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    programs = access.public_programs().order_by("-starts_on", "pk")
    return render(request, "plans/public_list.html", {"programs": list(programs)})


@login_not_required
def public_program(request: HttpRequest, pk: int) -> HttpResponse:
    """A published program's tree with accepted progress only: nothing filed but not yet accepted shows here."""
    program = access.public_programs().filter(pk=pk).first()
    if program is None:
        raise Http404
    return render(request, "plans/public_program.html", _tree_context(request, program, None, public=True))
