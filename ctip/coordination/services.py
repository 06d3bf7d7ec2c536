"""Writes of coordination bodies, meetings, decisions, follow-up and partners' activities, each audited.

Access is checked before the transaction opens (views fetch through ``get_for_actor``; services re-check), so a
refusal changes nothing. Every write validates the whole record first and reports what is wrong where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypedDict, TypeVar, Unpack

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
from ctip.core.services import model_update
from ctip.orgs.models import Membership, Organisation, Region
from ctip.plans import access as plan_access
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

M = TypeVar("M", bound=models.Model)


class BodyFields(TypedDict, total=False):
    name_ky: str
    name_ru: str
    name_en: str
    kind: str
    region: str
    chair: Organisation | None
    is_active: bool


class MeetingFields(TypedDict, total=False):
    date: dt.date
    place: str
    agenda: str
    status: str
    others_invited: str
    minutes: str


class DecisionFields(TypedDict, total=False):
    number: str
    text: str
    responsible: Organisation
    deadline: dt.date
    action: Action | None


class ActivityFields(TypedDict, total=False):
    title: str
    description: str
    region: str
    starts_on: dt.date
    ends_on: dt.date | None
    pillar: str
    action: Action | None
    beneficiaries: int | None
    women: int | None
    men: int | None
    girls: int | None
    boys: int | None


def _audit(actor: Membership, event: str, obj: models.Model, **details: Any) -> None:
    audit_record(action=event, actor=actor.user, organisation=actor.organisation, obj=obj, details=details)


def _require_coordinator(actor: Membership) -> None:
    if not access.bodies.can(actor, "create"):
        raise PermissionDenied


def _update(
    instance: M, fields: Iterable[str], data: dict[str, Any], check: Callable[[M], None]
) -> tuple[M, list[str]]:
    """Change the locked row and save only what changed, then run the model's own checks on it.

    Call it inside the service's transaction: a ``ValidationError`` from ``check`` rolls the save back.
    """
    locked, changed = model_update(instance=instance, fields=fields, data=data, clean=False)
    check(locked)
    return locked, changed


# --- Bodies -------------------------------------------------------------------------------------------------------


def _check_body(body: CoordinationBody) -> None:
    if body.kind == BodyKind.REGIONAL_COUNCIL and body.region in ("", Region.NATIONAL):
        raise ValidationError({"region": _("A regional council needs its region.")})
    if body.kind != BodyKind.REGIONAL_COUNCIL:
        body.region = ""
    body.full_clean()


def _body_data(body: CoordinationBody, fields: BodyFields) -> dict[str, Any]:
    """Return the changes with the region a body of its kind keeps (only a regional council has one)."""
    data: dict[str, Any] = dict(fields)
    if data.get("kind", body.kind) != BodyKind.REGIONAL_COUNCIL:
        data["region"] = ""
    return data


def _member_ids(body: CoordinationBody) -> set[int]:
    return set(body.members.values_list("pk", flat=True))


def body_create(
    *, actor: Membership, members: Iterable[Organisation] = (), **fields: Unpack[BodyFields]
) -> CoordinationBody:
    """Create a coordination body with its member organisations (the chair is always a member)."""
    _require_coordinator(actor)
    body = CoordinationBody(**fields)
    _check_body(body)
    member_set = set(members) | ({body.chair} if body.chair else set())
    with transaction.atomic():
        body.save()
        body.members.set(member_set)
        _audit(actor, "coordination.body.create", body, kind=body.kind, members=len(member_set))
    return body


def body_update(
    *,
    actor: Membership,
    body: CoordinationBody,
    members: Iterable[Organisation] | None = None,
    **fields: Unpack[BodyFields],
) -> CoordinationBody:
    _require_coordinator(actor)
    with transaction.atomic():
        current = CoordinationBody.objects.select_for_update().get(pk=body.pk)  # its kind decides the region
        body, changed = _update(current, BODY_FIELDS, _body_data(current, fields), _check_body)
        if members is not None:
            before = _member_ids(body)
            body.members.set(set(members) | ({body.chair} if body.chair else set()))
            if _member_ids(body) != before:
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
    *, actor: Membership, body: CoordinationBody, attended: Iterable[Organisation] = (), **fields: Unpack[MeetingFields]
) -> Meeting:
    _require_coordinator(actor)
    meeting = Meeting(body=body, **fields)
    present = list(attended)
    _check_meeting(meeting, present)
    with transaction.atomic():
        meeting.save()
        meeting.attended.set(present)
        _audit(actor, "coordination.meeting.create", meeting, body=body.pk, status=meeting.status)
    return meeting


def meeting_update(
    *,
    actor: Membership,
    meeting: Meeting,
    attended: Iterable[Organisation] | None = None,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Change a meeting: reschedule it, or record that it was held, who came and the minutes."""
    _require_coordinator(actor)
    present = list(attended) if attended is not None else list(meeting.attended.all())
    with transaction.atomic():
        meeting, changed = _update(meeting, MEETING_FIELDS, dict(fields), lambda m: _check_meeting(m, present))
        if attended is not None:
            before = set(meeting.attended.values_list("pk", flat=True))
            meeting.attended.set(present)
            if {org.pk for org in present} != before:
                changed.append("attended")
        _audit(actor, "coordination.meeting.update", meeting, fields=sorted(changed), status=meeting.status)
    return meeting


# --- Decisions ----------------------------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    action: Action | None = decision.action
    if action is not None and action.program.status == "closed":
        raise ValidationError({"action": _("Action %(code)s belongs to a closed program.") % {"code": action.code}})
    decision.full_clean()


def decision_create(*, actor: Membership, meeting: Meeting, **fields: Unpack[DecisionFields]) -> Decision:
    """Record a decision of a meeting that was held; it starts open."""
    _require_coordinator(actor)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Decisions are recorded for a meeting that has been held."))
    decision = Decision(meeting=meeting, **fields)
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


def decision_update(*, actor: Membership, decision: Decision, **fields: Unpack[DecisionFields]) -> Decision:
    """Correct a decision's wording, responsible organisation, deadline or plan action (the coordinator)."""
    _require_coordinator(actor)
    with transaction.atomic():
        decision, changed = _update(decision, DECISION_FIELDS, dict(fields), _check_decision)
        _audit(actor, "coordination.decision.update", decision, fields=sorted(changed))
    return decision


def decision_follow_up(
    *, actor: Membership, decision: Decision, status: str, note: str, on: dt.date | None = None
) -> DecisionUpdate:
    """Post a follow-up on a decision and move it to ``status``; a closed decision takes no more follow-up.

    Only the responsible organisation (or the coordinator) may; callers fetch the decision through
    ``access.follow_up`` so that others get a 404.
    """
    if not access.follow_up.can(actor, "follow_up", decision):
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


def activity_create(*, actor: Membership, **fields: Unpack[ActivityFields]) -> PartnerActivity:
    """Record an activity of the actor's own organisation."""
    if not access.activities.can(actor, "create"):
        raise PermissionDenied
    activity = PartnerActivity(organisation=actor.organisation, **fields)
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


def activity_update(
    *, actor: Membership, activity: PartnerActivity, **fields: Unpack[ActivityFields]
) -> PartnerActivity:
    if not access.own_activities.can(actor, "edit", activity):
        raise PermissionDenied
    with transaction.atomic():
        activity, changed = _update(activity, ACTIVITY_FIELDS, dict(fields), lambda a: _check_activity(actor, a))
        _audit(actor, "coordination.activity.update", activity, fields=sorted(changed))
    return activity
