"""Writes of coordination bodies, meetings, decisions, follow-up and partners' activities, each audited.

Access is checked before the transaction opens (views fetch through ``get_for_actor``; services re-check), so a
refusal changes nothing. Every write validates the whole record first and reports what is wrong where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.coordination import access
from ctip.coordination.models import (
    CLOSED_STATUSES,
    BodyKind,
    CoordinationBody,
    Decision,
    DecisionStatus,
    DecisionUpdate,
    Meeting,
    MeetingStatus,
    PartnerActivity,
)
from ctip.orgs.models import Membership, Organisation, Region
from ctip.plans import access as plan_access
from ctip.plans.access import is_coordinator
from ctip.plans.models import Action

BODY_FIELDS = ("name_ky", "name_ru", "name_en", "kind", "region", "chair", "is_active")
MEETING_FIELDS = ("date", "place", "agenda", "status", "others_invited", "minutes")
DECISION_FIELDS = ("number", "text", "responsible", "deadline", "action")
ACTIVITY_FIELDS = (
    "title",
    "description",
    "region",
    "starts_on",
    "ends_on",
    "pillar",
    "action",
    "beneficiaries",
    "women",
    "men",
    "girls",
    "boys",
)


def _audit(actor: Membership, event: str, obj: models.Model, **details: Any) -> None:
    audit_record(action=event, actor=actor.user, organisation=actor.organisation, obj=obj, details=details)


def _require_coordinator(actor: Membership) -> None:
    if not access.bodies.can_create(actor):
        raise PermissionDenied


def _assign(obj: models.Model, fields: Iterable[str], values: dict[str, Any]) -> list[str]:
    """Set the given known fields; refuse unknown ones (a programming error, not user input)."""
    fields = tuple(fields)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    for name, value in values.items():
        setattr(obj, name, value)
    return list(values)


# --- Bodies -------------------------------------------------------------------------------------------------------


def _check_body(body: CoordinationBody) -> None:
    if body.kind == BodyKind.REGIONAL_COUNCIL and body.region in ("", Region.NATIONAL):
        raise ValidationError({"region": _("A regional council needs its region.")})
    if body.kind != BodyKind.REGIONAL_COUNCIL:
        body.region = ""
    body.full_clean()


def body_create(*, actor: Membership, members: Iterable[Organisation] = (), **fields: Any) -> CoordinationBody:
    """Create a coordination body with its member organisations (the chair is always a member)."""
    _require_coordinator(actor)
    body = CoordinationBody()
    _assign(body, BODY_FIELDS, fields)
    _check_body(body)
    member_set = set(members) | ({body.chair} if body.chair else set())
    with transaction.atomic():
        body.save()
        body.members.set(member_set)
        _audit(actor, "coordination.body.create", body, kind=body.kind, members=len(member_set))
    return body


def body_update(
    *, actor: Membership, body: CoordinationBody, members: Iterable[Organisation] | None = None, **fields: Any
) -> CoordinationBody:
    _require_coordinator(actor)
    changed = _assign(body, BODY_FIELDS, fields)
    _check_body(body)
    with transaction.atomic():
        body.save()
        if members is not None:
            body.members.set(set(members) | ({body.chair} if body.chair else set()))
            changed.append("members")
        _audit(actor, "coordination.body.update", body, fields=sorted(changed))
    return body


# --- Meetings -----------------------------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting, attended: list[Organisation]) -> None:
    if meeting.status != MeetingStatus.HELD:
        errors = {}
        if meeting.minutes.strip():
            errors["minutes"] = _("Minutes are recorded once the meeting has been held.")
        if attended:
            errors["attended"] = _("Attendance is recorded once the meeting has been held.")
        if errors:
            raise ValidationError(errors)
    elif meeting.date > timezone.localdate():
        raise ValidationError({"date": _("A meeting in the future cannot have been held yet.")})
    member_ids = set(meeting.body.members.values_list("pk", flat=True))
    strangers = [org.code for org in attended if org.pk not in member_ids]
    if strangers:
        raise ValidationError(
            {
                "attended": _("Not members of this body: %(codes)s. Name them under others invited.")
                % {"codes": ", ".join(sorted(strangers))}
            }
        )
    meeting.full_clean()


def meeting_create(
    *, actor: Membership, body: CoordinationBody, attended: Iterable[Organisation] = (), **fields: Any
) -> Meeting:
    _require_coordinator(actor)
    meeting = Meeting(body=body)
    _assign(meeting, MEETING_FIELDS, fields)
    present = list(attended)
    _check_meeting(meeting, present)
    with transaction.atomic():
        meeting.save()
        meeting.attended.set(present)
        _audit(actor, "coordination.meeting.create", meeting, body=body.pk, status=meeting.status)
    return meeting


def meeting_update(
    *, actor: Membership, meeting: Meeting, attended: Iterable[Organisation] | None = None, **fields: Any
) -> Meeting:
    """Change a meeting: reschedule it, or record that it was held, who came and the minutes."""
    _require_coordinator(actor)
    changed = _assign(meeting, MEETING_FIELDS, fields)
    present = list(attended) if attended is not None else list(meeting.attended.all())
    _check_meeting(meeting, present)
    with transaction.atomic():
        meeting.save()
        if attended is not None:
            meeting.attended.set(present)
            changed.append("attended")
        _audit(actor, "coordination.meeting.update", meeting, fields=sorted(changed), status=meeting.status)
    return meeting


# --- Decisions ----------------------------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    action: Action | None = decision.action
    if action is not None and action.program.status == "closed":
        raise ValidationError({"action": _("Action %(code)s belongs to a closed program.") % {"code": action.code}})
    decision.full_clean()


def decision_create(*, actor: Membership, meeting: Meeting, **fields: Any) -> Decision:
    """Record a decision of a meeting that was held; it starts open."""
    _require_coordinator(actor)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Decisions are recorded for a meeting that has been held."))
    decision = Decision(meeting=meeting)
    _assign(decision, DECISION_FIELDS, fields)
    _check_decision(decision)
    with transaction.atomic():
        decision.save()
        _audit(
            actor,
            "coordination.decision.create",
            decision,
            meeting=meeting.pk,
            responsible=decision.responsible.code,
            action=decision.action_id,
        )
    return decision


def decision_update(*, actor: Membership, decision: Decision, **fields: Any) -> Decision:
    """Correct a decision's wording, responsible organisation, deadline or plan action (the coordinator)."""
    _require_coordinator(actor)
    changed = _assign(decision, DECISION_FIELDS, fields)
    _check_decision(decision)
    with transaction.atomic():
        decision.save()
        _audit(actor, "coordination.decision.update", decision, fields=sorted(changed))
    return decision


def decision_follow_up(
    *, actor: Membership, decision: Decision, status: str, note: str, on: dt.date | None = None
) -> DecisionUpdate:
    """Post a follow-up on a decision and move it to ``status``; a closed decision takes no more follow-up.

    Only the responsible organisation (or the coordinator) may; callers fetch the decision through
    ``access.follow_up`` so that others get a 404.
    """
    if not access.follow_up.can(actor, "follow_up", decision) or not (
        is_coordinator(actor) or decision.responsible_id == actor.organisation_id
    ):
        raise PermissionDenied
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what was done or why the status changes.")})
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.is_closed:
            raise ValidationError(
                _("Decision %(number)s is already closed (%(status)s); it takes no more follow-up.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        update = DecisionUpdate.objects.create(
            decision=locked, note=note.strip(), status=status, by=actor.user, organisation=actor.organisation
        )
        locked.status = status
        locked.closed_on = (on or timezone.localdate()) if status in CLOSED_STATUSES else None
        locked.save(update_fields=["status", "closed_on"])
        _audit(actor, "coordination.decision.follow_up", locked, status=status, update=update.pk)
    decision.status, decision.closed_on = locked.status, locked.closed_on
    return update


# --- Partners' activities -----------------------------------------------------------------------------------------


def _check_activity(actor: Membership, activity: PartnerActivity) -> None:
    errors: dict[str, str] = {}
    parts = [activity.women, activity.men, activity.girls, activity.boys]
    if sum(p or 0 for p in parts) > (activity.beneficiaries or 0):
        errors["beneficiaries"] = _("Women, men, girls and boys together cannot exceed the number of beneficiaries.")
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    action = activity.action
    if action is not None and not plan_access.actions.visible(actor, "view").filter(pk=action.pk).exists():
        errors["action"] = _("There is no such plan action.")
    elif action is not None and activity.pillar and activity.pillar not in {p.pillar for p in action.pillars.all()}:
        errors["pillar"] = _("Action %(code)s is not tagged with this pillar.") % {"code": action.code}
    if errors:
        raise ValidationError(errors)
    activity.full_clean()


def activity_create(*, actor: Membership, **fields: Any) -> PartnerActivity:
    """Record an activity of the actor's own organisation."""
    if not access.activities.can_create(actor):
        raise PermissionDenied
    activity = PartnerActivity(organisation=actor.organisation)
    _assign(activity, ACTIVITY_FIELDS, fields)
    _check_activity(actor, activity)
    with transaction.atomic():
        activity.save()
        _audit(
            actor,
            "coordination.activity.create",
            activity,
            region=activity.region,
            pillar=activity.pillar,
            action=activity.action_id,
        )
    return activity


def activity_update(*, actor: Membership, activity: PartnerActivity, **fields: Any) -> PartnerActivity:
    if not access.own_activities.can(actor, "edit", activity):
        raise PermissionDenied
    changed = _assign(activity, ACTIVITY_FIELDS, fields)
    _check_activity(actor, activity)
    with transaction.atomic():
        activity.save()
        _audit(actor, "coordination.activity.update", activity, fields=sorted(changed))
    return activity
