"""Who may read and change coordination bodies, meetings, decisions and partners' activities.

Every member reads all of it. The coordinator (the council's secretariat) creates and edits bodies, meetings and
decisions. Follow-up updates on a decision are posted by the responsible organisation, through a member with a
reporting role (or by the coordinator); for anyone else the decision does not exist as far as follow-up goes (404),
as another agency's action is 404 for filing a report in ``ctip.plans``. An organisation records and edits only its
own activities, through a member with a reporting or partner role; another organisation's activity is 404 for
editing. The coverage and duplication overview is the coordinator's (403 for others).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db import models
from django.db.models import QuerySet

from ctip.coordination.models import CoordinationBody, Decision, Meeting, PartnerActivity
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.plans.access import REPORTING_ROLES, is_coordinator

FOLLOW_UP_ROLES = REPORTING_ROLES
ACTIVITY_ROLES = (*REPORTING_ROLES, Role.PARTNER)

M = TypeVar("M", bound=models.Model)


class _ReadByAllEditedByCoordinator(Generic[M]):
    model: type[M]

    def visible(self, actor: Membership | None, action: str) -> QuerySet[M]:
        if actor is None:
            return self.model._default_manager.none()
        return self.model._default_manager.all()

    def can(self, actor: Membership | None, action: str, obj: M) -> bool:
        if action == "view":
            return actor is not None
        return action == "edit" and is_coordinator(actor)

    def can_create(self, actor: Membership | None) -> bool:
        return is_coordinator(actor)


class BodyPolicy(_ReadByAllEditedByCoordinator[CoordinationBody]):
    model = CoordinationBody


class MeetingPolicy(_ReadByAllEditedByCoordinator[Meeting]):
    model = Meeting


class DecisionPolicy(_ReadByAllEditedByCoordinator[Decision]):
    model = Decision


class FollowUpPolicy:
    """The decisions an actor may post follow-up on: their organisation's (the coordinator: all)."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Decision]:
        if actor is None:
            return Decision.objects.none()
        if is_coordinator(actor):
            return Decision.objects.all()
        return Decision.objects.filter(responsible_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Decision) -> bool:
        if actor is None or action != "follow_up":
            return False
        return is_coordinator(actor) or actor.has_role(*FOLLOW_UP_ROLES)


class ActivityPolicy:
    """Every member reads every activity."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[PartnerActivity]:
        if actor is None:
            return PartnerActivity.objects.none()
        return PartnerActivity.objects.all()

    def can(self, actor: Membership | None, action: str, obj: PartnerActivity) -> bool:
        return actor is not None and action == "view"

    def can_create(self, actor: Membership | None) -> bool:
        return actor is not None and actor.has_role(*ACTIVITY_ROLES)

    def can_see_coverage(self, actor: Membership | None) -> bool:
        return is_coordinator(actor)


class OwnActivityPolicy:
    """The activities an actor may edit: their own organisation's, with a reporting or partner role."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[PartnerActivity]:
        if actor is None:
            return PartnerActivity.objects.none()
        return PartnerActivity.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: PartnerActivity) -> bool:
        return (
            actor is not None
            and action == "edit"
            and obj.organisation_id == actor.organisation_id
            and actor.has_role(*ACTIVITY_ROLES)
        )


bodies = BodyPolicy()
meetings = MeetingPolicy()
decisions = DecisionPolicy()
follow_up = FollowUpPolicy()
activities = ActivityPolicy()
own_activities = OwnActivityPolicy()
