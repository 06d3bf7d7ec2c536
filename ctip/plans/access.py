"""Who may read the plan, edit it, file progress reports and review them.

Every member reads the plan (programs, objectives, actions, indicators). Only the coordinator edits it and reviews
reports. An organisation files reports only for the actions it leads or co-executes, through a member holding a
reporting role; for any other action the action does not exist as far as filing goes (404). A draft report is known
only inside its organisation; submitted and returned reports are also seen by the coordinator; accepted reports by
every member.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.plans.models import Action, Program, ProgressReport, ReportStatus

# Who files an organisation's reports: its administrator (usually the focal point), supervisors and analysts.
REPORTING_ROLES = (Role.ORG_ADMIN, Role.SUPERVISOR, Role.ANALYST)


def is_coordinator(actor: Membership | None) -> bool:
    return actor is not None and actor.has_role(Role.COORDINATOR)


class ProgramPolicy:
    """The plan is open to every member; only the coordinator changes it."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Program]:
        if actor is None:
            return Program.objects.none()
        return Program.objects.all()

    def can(self, actor: Membership | None, action: str, obj: Program) -> bool:
        if action == "view":
            return actor is not None
        return action == "edit" and is_coordinator(actor)

    def can_create(self, actor: Membership | None) -> bool:
        return is_coordinator(actor)


class ActionPolicy:
    """Actions are read by every member and edited by the coordinator."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Action]:
        if actor is None:
            return Action.objects.none()
        return Action.objects.all()

    def can(self, actor: Membership | None, action: str, obj: Action) -> bool:
        if action == "view":
            return actor is not None
        return action == "edit" and is_coordinator(actor)


class ReportingPolicy:
    """The actions an organisation reports on: those it leads or co-executes. Others are 404 for filing."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Action]:
        if actor is None:
            return Action.objects.none()
        org = actor.organisation_id
        return Action.objects.filter(Q(lead_id=org) | Q(co_executors__id=org)).distinct()

    def can(self, actor: Membership | None, action: str, obj: Action) -> bool:
        return actor is not None and action in {"view", "report"} and actor.has_role(*REPORTING_ROLES)


class ProgressReportPolicy:
    def visible(self, actor: Membership | None, action: str) -> QuerySet[ProgressReport]:
        if actor is None:
            return ProgressReport.objects.none()
        seen = Q(organisation_id=actor.organisation_id) | Q(status=ReportStatus.ACCEPTED)
        if is_coordinator(actor):
            seen |= ~Q(status=ReportStatus.DRAFT)
        return ProgressReport.objects.filter(seen)

    def can(self, actor: Membership | None, action: str, obj: ProgressReport) -> bool:
        if actor is None:
            return False
        own = obj.organisation_id == actor.organisation_id
        if action == "view":
            return own or obj.status == ReportStatus.ACCEPTED or (is_coordinator(actor) and obj.status != "draft")
        if action in {"edit", "submit"}:
            return own and actor.has_role(*REPORTING_ROLES)
        return action == "review" and is_coordinator(actor) and obj.status != ReportStatus.DRAFT


programs = ProgramPolicy()
actions = ActionPolicy()
reporting = ReportingPolicy()
reports = ProgressReportPolicy()
