"""A part of a plan reached through its parent: a reporting period through an action (filing a report), an objective
through a program and an indicator through an action (editing them). One of another program or action, or one that
does not exist, is a 404 like any record the member may not reach, and the refusal is audited the same way for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.plans import services
from ctip.plans.tests.factories import make_action, make_objective, make_program

pytestmark = pytest.mark.django_db

MISSING = 987654


@dataclass(frozen=True)
class Part:
    who: Callable[[Any, Any], Any]  # (cast, plan) -> the member who may reach the parent
    url: Callable[[Any, int], str]  # (plan, child id) -> the address
    child: str  # which part of the other program it names
    model: str
    action: str


PARTS = {
    "period of a report": Part(
        lambda cast, plan: plan.reporter_a,
        lambda plan, child: reverse("plans:report", kwargs={"pk": plan.action.pk, "period_pk": child}),
        "period",
        "plans.reportingperiod",
        "report",
    ),
    "objective of a program": Part(
        lambda cast, plan: cast.coordinator,
        lambda plan, child: reverse("plans:objective_edit", kwargs={"pk": plan.program.pk, "objective_pk": child}),
        "objective",
        "plans.objective",
        "edit",
    ),
    "indicator of an action": Part(
        lambda cast, plan: cast.coordinator,
        lambda plan, child: reverse("plans:indicator_edit", kwargs={"pk": plan.action.pk, "indicator_pk": child}),
        "indicator",
        "plans.planindicator",
        "edit",
    ),
}


@pytest.fixture
def elsewhere(cast) -> dict[str, int]:
    """Another approved program, with an objective, an action, an indicator and periods: their ids."""
    program = make_program(cast.coordinator, title_en="Another program")
    objective = make_objective(cast.coordinator, program, code="5")
    action = make_action(cast.coordinator, objective, cast.org_b, code="5.1.1")
    indicator = services.indicator_create(
        actor=cast.coordinator, action=action, name_ky="Саны", name_ru="Число", name_en="Number", unit="persons"
    )
    program = services.program_approve(actor=cast.coordinator, program=program)
    period = program.periods.order_by("starts_on").values_list("pk", flat=True).first()
    assert period is not None
    return {"period": period, "objective": objective.pk, "indicator": indicator.pk}


def _refusals(after: int) -> list[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(action="access.denied", pk__gt=after).order_by("id")
    return [(e.actor_id, e.organisation_id, e.object_type, e.object_id, e.details) for e in rows]


def _last() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("name", list(PARTS))
def test_another_parents_part_and_a_missing_one_are_404_and_audited_alike(cast, plan, elsewhere, name):
    part = PARTS[name]
    member = part.who(cast, plan)
    client = client_for(member)
    before = AuditEvent.objects.exclude(action__in=["access.denied", "record.read"]).count()
    found = []
    for child in (elsewhere[part.child], MISSING):
        last = _last()
        response = client.get(part.url(plan, child))
        found.append((response.status_code, _refusals(last)))

    user, org = member.user.pk, member.organisation.pk
    assert found == [
        (
            404,
            [(user, org, "", "", {"model": part.model, "object_id": str(child), "action": part.action, "status": 404})],
        )
        for child in (elsewhere[part.child], MISSING)
    ]
    assert AuditEvent.objects.exclude(action__in=["access.denied", "record.read"]).count() == before


def test_a_part_of_the_parent_itself_is_reached_without_a_refusal(cast, plan):
    indicator = services.indicator_create(
        actor=cast.coordinator, action=plan.action, name_ky="Саны", name_ru="Число", name_en="Number", unit="persons"
    )
    objective = plan.action.objective
    last = _last()

    answers = [
        client_for(plan.reporter_a).get(PARTS["period of a report"].url(plan, plan.h1.pk)).status_code,
        client_for(cast.coordinator).get(PARTS["objective of a program"].url(plan, objective.pk)).status_code,
        client_for(cast.coordinator).get(PARTS["indicator of an action"].url(plan, indicator.pk)).status_code,
    ]

    assert answers == [200, 200, 200]
    assert _refusals(last) == []
