"""The demo's coordination and funding parts load on the demo organisations, after the demo plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ctip.coordination.models import CoordinationBody, Decision, Meeting, PartnerActivity
from ctip.coordination.selectors import duplications
from ctip.demo import coordination as demo_coordination
from ctip.demo import data
from ctip.demo import funding as demo_funding
from ctip.funding.models import Commitment
from ctip.funding.selectors import funding_by_donor
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role
from ctip.plans import services as plan_services
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs() -> dict[str, Organisation]:
    found = {}
    for code, org_type, region, (ky, ru, en) in data.ORGANISATIONS:
        found[code] = Organisation.objects.create(
            code=code, name_ky=ky, name_ru=ru, name_en=en, org_type=org_type, region=region
        )
    for _local, _name, memberships in data.PEOPLE:
        for code, roles in memberships:
            member(found[code], *roles)
    return found


def _coordinator(orgs):
    return Membership.objects.get(organisation=orgs["mlsm"], roles__role=Role.COORDINATOR)


def _program(orgs):
    coordinator = _coordinator(orgs)
    program = make_program(coordinator)
    objective = make_objective(coordinator, program)
    for n, pillar in enumerate(
        ["PROSECUTION", "PROSECUTION", "PROTECTION", "PROTECTION", "PREVENTION", "PARTNERSHIP"], start=1
    ):
        make_action(coordinator, objective, orgs["mvd"], code=f"2.{n}", pillars=[pillar], budget=Decimal("500000"))
    plan_services.program_approve(actor=coordinator, program=program)
    return program


def test_without_a_program_funding_loads_nothing(orgs):
    demo_funding.load(orgs)
    assert Commitment.objects.count() == 0


def test_funding_loads_the_inl_project_and_an_iom_grant(orgs):
    program = _program(orgs)
    demo_funding.load(orgs)
    inl = Commitment.objects.get(donor=orgs["inl"])
    assert (inl.implementer, inl.amount, inl.currency) == (orgs["unodc"], Decimal("1000000.00"), "USD")
    assert inl.disbursements.count() == 2
    assert {a.action.pillars.get().pillar for a in inl.allocations.all()} == {"PROSECUTION", "PROTECTION"}
    assert Commitment.objects.get(donor=orgs["iom"]).amount < inl.amount
    [usd] = funding_by_donor(program)[:1]
    assert usd.currency == "USD"


def test_coordination_loads_the_council_meetings_decisions_and_activities(orgs):
    _program(orgs)
    demo_coordination.load(orgs)
    council = CoordinationBody.objects.get()
    assert sorted(council.members.values_list("code", flat=True)) == sorted(demo_coordination.COUNCIL_MEMBERS)
    assert sorted(Meeting.objects.values_list("status", flat=True)) == ["held", "planned"]
    assert set(Decision.objects.values_list("status", flat=True)) == {"open", "in_progress", "done", "cancelled"}
    assert Decision.objects.filter(action__isnull=False).count() == 5
    # IOM has no member who records activities in the demo, so four of the five load.
    assert sorted(PartnerActivity.objects.values_list("organisation__code", flat=True)) == [
        "akbulak",
        "jardam",
        "ukuk",
        "unodc",
    ]
    [overlap] = duplications(_coordinator(orgs))
    assert (overlap.first.organisation.code, overlap.second.organisation.code) == ("jardam", "unodc")
    assert overlap.same_action
    assert overlap.first.region == "osh"
