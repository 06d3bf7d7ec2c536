"""Coordination records for the tests, made through the services as the coordinator would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ctip.coordination import services
from ctip.coordination.models import BodyKind, CoordinationBody, Decision, Meeting, MeetingStatus, PartnerActivity
from ctip.orgs.models import Membership, Organisation
from ctip.plans import services as plan_services
from ctip.plans.models import Action
from ctip.plans.tests.factories import make_action, make_objective, make_program


def make_body(coordinator: Membership, members: tuple[Organisation, ...] = (), **fields: Any) -> CoordinationBody:
    values: dict[str, Any] = {
        "name_ky": "Улуттук кеңеш",
        "name_ru": "Национальный совет",
        "name_en": "National council",
        "kind": BodyKind.NATIONAL_COUNCIL,
    }
    values.update(fields)
    return services.body_create(actor=coordinator, members=members, **values)


def make_held_meeting(coordinator: Membership, body: CoordinationBody, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "date": timezone.localdate() - dt.timedelta(days=30),
        "status": MeetingStatus.HELD,
        "agenda": "1. Reports",
        "minutes": "Heard the reports.",
    }
    values.update(fields)
    return services.meeting_create(actor=coordinator, body=body, **values)


def make_decision(
    coordinator: Membership, meeting: Meeting, responsible: Organisation, number: str = "1", **fields: Any
) -> Decision:
    values: dict[str, Any] = {"text": "Train the investigators.", "deadline": timezone.localdate()}
    values.update(fields)
    return services.decision_create(
        actor=coordinator, meeting=meeting, number=number, responsible=responsible, **values
    )


def decision_of_org_a(c: Any) -> Decision:
    """A decision of a held meeting of a body with both organisations, for which organisation A answers."""
    body = make_body(c.coordinator, members=(c.org_a, c.org_b))
    return make_decision(c.coordinator, make_held_meeting(c.coordinator, body), c.org_a)


def make_activity(actor: Membership, **fields: Any) -> PartnerActivity:
    values: dict[str, Any] = {
        "title": "Awareness sessions",
        "region": "osh",
        "pillar": "PREVENTION",
        "starts_on": dt.date(2025, 1, 1),
        "ends_on": dt.date(2025, 6, 30),
        "beneficiaries": 100,
    }
    values.update(fields)
    return services.activity_create(actor=actor, **values)


def approved_action(coordinator: Membership, lead: Organisation, **fields: Any) -> Action:
    program = make_program(coordinator)
    action = make_action(coordinator, make_objective(coordinator, program), lead, **fields)
    plan_services.program_approve(actor=coordinator, program=program)
    return action
