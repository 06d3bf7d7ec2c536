"""Pages of coordination: bodies, meetings, decisions with their follow-up, partners' activities, coverage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.coordination import access, selectors, services
from ctip.coordination.forms import ActivityForm, BodyForm, DecisionForm, FollowUpForm, MeetingForm
from ctip.coordination.models import Decision
from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest
from ctip.orgs.models import Organisation

ACTIVITIES_PAGE_SIZE = 50


def _form_page(request: MemberRequest, form: BaseForm, title: str, back: str) -> HttpResponse:
    return render(request, "coordination/form.html", {"form": form, "title": title, "back": back})


# --- Bodies -------------------------------------------------------------------------------------------------------


@membership_required
def body_list(request: MemberRequest) -> HttpResponse:
    context = {
        "bodies": selectors.bodies_visible_to(request.membership),
        "can_create": access.bodies.can(request.membership, "create"),
    }
    return render(request, "coordination/body_list.html", context)


@membership_required
def body_detail(request: MemberRequest, pk: int) -> HttpResponse:
    body = get_for_actor(access.bodies, request.membership, pk)
    context = {
        "body": body,
        "members": body.members.order_by("code"),
        "meetings": selectors.meetings_of(request.membership, body),
        "can_edit": access.bodies.can(request.membership, "edit", body),
    }
    return render(request, "coordination/body_detail.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def body_create(request: MemberRequest) -> HttpResponse:
    if not access.bodies.can(request.membership, "create"):
        raise PermissionDenied
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        body = submit(form, lambda: services.body_create(actor=request.membership, **data))
        if body is not None:
            messages.success(request, _("Coordination body created."))
            return redirect("coordination:body_detail", pk=body.pk)
    return _form_page(request, form, _("New coordination body"), "coordination:body_list")


@membership_required
@require_http_methods(["GET", "POST"])
def body_edit(request: MemberRequest, pk: int) -> HttpResponse:
    body = get_for_actor(access.bodies, request.membership, pk, "edit")
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if submit(form, lambda: services.body_update(actor=request.membership, body=body, **data)):
            messages.success(request, _("Coordination body saved."))
            return redirect("coordination:body_detail", pk=body.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": body.name}, "coordination:body_list")


# --- Meetings -----------------------------------------------------------------------------------------------------


@membership_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: MemberRequest, pk: int) -> HttpResponse:
    body = get_for_actor(access.bodies, request.membership, pk, "edit")
    form = MeetingForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = submit(form, lambda: services.meeting_create(actor=request.membership, body=body, **data))
        if meeting is not None:
            messages.success(request, _("Meeting saved."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, _("New meeting of %(name)s") % {"name": body.name}, "coordination:body_list")


@membership_required
def meeting_detail(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = get_for_actor(access.meetings, request.membership, pk)
    context = {
        "meeting": meeting,
        "attended": meeting.attended.order_by("code"),
        "absent": meeting.body.members.exclude(pk__in=meeting.attended.values("pk")).order_by("code"),
        "decisions": selectors.decisions_of(request.membership, meeting),
        "can_edit": access.meetings.can(request.membership, "edit", meeting),
        "today": timezone.localdate(),
    }
    return render(request, "coordination/meeting_detail.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = get_for_actor(access.meetings, request.membership, pk, "edit")
    form = MeetingForm(request.POST or None, instance=meeting, body=meeting.body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if submit(form, lambda: services.meeting_update(actor=request.membership, meeting=meeting, **data)):
            messages.success(request, _("Meeting saved."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, _("Edit the meeting"), "coordination:body_list")


# --- Decisions ----------------------------------------------------------------------------------------------------


@membership_required
@require_http_methods(["GET", "POST"])
def decision_create(request: MemberRequest, pk: int) -> HttpResponse:
    meeting = get_for_actor(access.meetings, request.membership, pk, "edit")
    form = DecisionForm(request.POST or None, actor=request.membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        decision = submit(form, lambda: services.decision_create(actor=request.membership, meeting=meeting, **data))
        if decision is not None:
            messages.success(request, _("Decision recorded."))
            return redirect("coordination:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, _("New decision"), "coordination:decision_list")


@membership_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: MemberRequest, pk: int) -> HttpResponse:
    decision = get_for_actor(access.decisions, request.membership, pk, "edit")
    initial = {f: getattr(decision, f) for f in services.DECISION_FIELDS}
    form = DecisionForm(request.POST or None, initial=initial, actor=request.membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if submit(form, lambda: services.decision_update(actor=request.membership, decision=decision, **data)):
            messages.success(request, _("Decision saved."))
            return redirect("coordination:decision_detail", pk=decision.pk)
    return _form_page(
        request, form, _("Edit decision %(number)s") % {"number": decision.number}, "coordination:decision_list"
    )


@membership_required
def decision_list(request: MemberRequest) -> HttpResponse:
    """Open decisions, overdue first in sight; ``?mine=1`` for the actor's organisation, ``?responsible=<id>``."""
    actor = request.membership
    mine = request.GET.get("mine") == "1"
    responsible = request.GET.get("responsible", "")
    responsible_id = actor.organisation_id if mine else (int(responsible) if responsible.isdigit() else None)
    context = {
        "decisions": selectors.open_decisions(actor, responsible_id=responsible_id),
        "organisations": Organisation.objects.filter(coordination_decisions__isnull=False).distinct().order_by("code"),
        "responsible_id": responsible_id,
        "mine": mine,
        "today": timezone.localdate(),
    }
    return render(request, "coordination/decision_list.html", context)


@membership_required
def decision_detail(request: MemberRequest, pk: int) -> HttpResponse:
    decision = get_for_actor(access.decisions, request.membership, pk)
    return render(request, "coordination/decision_detail.html", _decision_context(request, decision, FollowUpForm()))


def _decision_context(request: MemberRequest, decision: Decision, form: FollowUpForm) -> dict[str, Any]:
    actor = request.membership
    may_follow_up = access.follow_up.can(actor, "follow_up", decision)
    return {
        "decision": decision,
        "updates": decision.updates.select_related("by", "organisation"),
        "form": form if may_follow_up and not decision.is_closed else None,
        "can_edit": access.decisions.can(actor, "edit", decision),
        "today": timezone.localdate(),
    }


@membership_required
@require_POST
def decision_follow_up(request: MemberRequest, pk: int) -> HttpResponse:
    decision = get_for_actor(access.follow_up, request.membership, pk, "follow_up")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            lambda: services.decision_follow_up(
                actor=request.membership, decision=decision, status=data["status"], note=data["note"]
            ),
        )
        if done is not None:
            messages.success(request, _("Follow-up recorded."))
            return redirect("coordination:decision_detail", pk=decision.pk)
    context = _decision_context(request, decision, form)
    context["form"] = form
    return render(request, "coordination/decision_detail.html", context, status=400)


# --- Partners' activities -----------------------------------------------------------------------------------------


@membership_required
def activity_list(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    rows = selectors.activities_visible_to(actor)
    mine = request.GET.get("mine") == "1"
    if mine:
        rows = rows.filter(organisation_id=actor.organisation_id)
    context = {
        "page": Paginator(rows, ACTIVITIES_PAGE_SIZE).get_page(request.GET.get("page")),
        "mine": mine,
        "can_create": access.activities.can(actor, "create"),
        "can_see_coverage": access.activities.can(actor, "coverage"),
    }
    return render(request, "coordination/activity_list.html", context)


@membership_required
def activity_detail(request: MemberRequest, pk: int) -> HttpResponse:
    activity = get_for_actor(access.activities, request.membership, pk)
    can_edit = access.own_activities.can(request.membership, "edit", activity)
    return render(request, "coordination/activity_detail.html", {"activity": activity, "can_edit": can_edit})


@membership_required
@require_http_methods(["GET", "POST"])
def activity_create(request: MemberRequest) -> HttpResponse:
    if not access.activities.can(request.membership, "create"):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, actor=request.membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        activity = submit(form, lambda: services.activity_create(actor=request.membership, **data))
        if activity is not None:
            messages.success(request, _("Activity recorded."))
            return redirect("coordination:activity_detail", pk=activity.pk)
    return _form_page(request, form, _("New activity of your organisation"), "coordination:activity_list")


@membership_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: MemberRequest, pk: int) -> HttpResponse:
    activity = get_for_actor(access.own_activities, request.membership, pk, "edit")
    form = ActivityForm(request.POST or None, instance=activity, actor=request.membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if submit(form, lambda: services.activity_update(actor=request.membership, activity=activity, **data)):
            messages.success(request, _("Activity saved."))
            return redirect("coordination:activity_detail", pk=activity.pk)
    return _form_page(request, form, _("Edit the activity"), "coordination:activity_list")


@membership_required
def coverage(request: MemberRequest) -> HttpResponse:
    """The coordinator's overview: activities by region × pillar, and possible duplication."""
    if not access.activities.can(request.membership, "coverage"):
        raise PermissionDenied
    table = selectors.coverage(request.membership)
    context = {"coverage": table, "overlaps": selectors.duplications(request.membership)}
    return render(request, "coordination/coverage.html", context)
