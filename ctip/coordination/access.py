"""Who may read and change coordination bodies, meetings, decisions and partners' activities.

Every member reads all of it. The coordinator (the council's secretariat) creates and edits bodies, meetings and
decisions. Follow-up updates on a decision are posted by the responsible organisation, through a member with a
reporting role (or by the coordinator); for anyone else the decision does not exist as far as follow-up goes (404),
as another agency's action is 404 for filing a report in ``ctip.plans``. An organisation records and edits only its
own activities, through a member with a reporting or partner role; another organisation's activity is 404 for
editing. The coverage and duplication overview is the coordinator's (403 for others).

Each policy answers ``can(actor, action, obj=None)``; with no object the question is model-level
(``"create"``, and for activities ``"coverage"``). Follow-up and editing one's own activities have policies of their
own because their ``visible`` differs (others get 404): ``get_for_actor`` asks ``visible`` for what may be seen.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db import models
from django.db.models import QuerySet

from ctip.coordination.models import CoordinationBody, Decision, Meeting, PartnerActivity
from ctip.orgs.models import Membership
from ctip.orgs.roles import REPORTING_ROLES, Role

FOLLOW_UP_ROLES = REPORTING_ROLES
ACTIVITY_ROLES = (*REPORTING_ROLES, Role.PARTNER)

M = TypeVar("M", bound=models.Model)


def is_coordinator(actor: Membership | None) -> bool:
    return actor is not None and actor.has_role(Role.COORDINATOR)


class _ReadByAllEditedByCoordinator(Generic[M]):
    model: type[M]

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[M]:
        if actor is None:
            return self.model._default_manager.none()
        return self.model._default_manager.all()

    def can(self, actor: Membership | None, action: str, obj: M | None = None) -> bool:
        if action == "view":
            return actor is not None
        return action in ({"create"} if obj is None else {"edit"}) and is_coordinator(actor)


class BodyPolicy(_ReadByAllEditedByCoordinator[CoordinationBody]):
    model = CoordinationBody


class MeetingPolicy(_ReadByAllEditedByCoordinator[Meeting]):
    model = Meeting


class DecisionPolicy(_ReadByAllEditedByCoordinator[Decision]):
    model = Decision


class FollowUpPolicy:
    """The decisions an actor may post follow-up on: their organisation's (the coordinator: all).

    A follow-up update is a record of its own (``DecisionUpdate``); this is its policy, asked about the decision.
    """

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Decision]:
        if actor is None:
            return Decision.objects.none()
        if is_coordinator(actor):
            return Decision.objects.all()
        return Decision.objects.filter(responsible_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Decision | None = None) -> bool:
        if actor is None or action != "follow_up":
            return False
        if is_coordinator(actor):
            return True
        own = obj is None or obj.responsible_id == actor.organisation_id
        return own and actor.has_role(*FOLLOW_UP_ROLES)


class ActivityPolicy:
    """Every member reads every activity; model-level ``"create"`` and ``"coverage"`` (the coordinator's)."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[PartnerActivity]:
        if actor is None:
            return PartnerActivity.objects.none()
        return PartnerActivity.objects.all()

    def can(self, actor: Membership | None, action: str, obj: PartnerActivity | None = None) -> bool:
        if action == "view":
            return actor is not None
        if obj is not None:
            return False  # editing is ``own_activities``' question (another organisation's activity is 404)
        if action == "create":
            return actor is not None and actor.has_role(*ACTIVITY_ROLES)
        return action == "coverage" and is_coordinator(actor)


class OwnActivityPolicy:
    """The activities an actor may edit: their own organisation's, with a reporting or partner role."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[PartnerActivity]:
        if actor is None:
            return PartnerActivity.objects.none()
        return PartnerActivity.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: PartnerActivity | None = None) -> bool:
        return (
            actor is not None
            and action == "edit"
            and (obj is None or obj.organisation_id == actor.organisation_id)
            and actor.has_role(*ACTIVITY_ROLES)
        )


bodies = BodyPolicy()
meetings = MeetingPolicy()
decisions = DecisionPolicy()
follow_up = FollowUpPolicy()
activities = ActivityPolicy()
own_activities = OwnActivityPolicy()
