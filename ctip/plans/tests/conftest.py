from __future__ import annotations

from dataclasses import dataclass

import pytest

from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.plans.models import Action, Program, ReportingPeriod
from ctip.plans.services import program_approve
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.testing import OrganisationFactory, member


@dataclass
class Plan:
    program: Program
    action: Action
    h1: ReportingPeriod
    h2: ReportingPeriod
    reporter_a: Membership  # org A leads the action
    reporter_b: Membership  # org B co-executes it
    reporter_c: Membership  # org C has nothing to do with it


@pytest.fixture
def plan(cast) -> Plan:
    program = make_program(cast.coordinator)
    action = make_action(
        cast.coordinator, make_objective(cast.coordinator, program), cast.org_a, co_executors=(cast.org_b,)
    )
    program = program_approve(actor=cast.coordinator, program=program)  # responsible organisations report on it
    h1, h2 = list(program.periods.order_by("starts_on"))[:2]
    org_c = OrganisationFactory(code="ngo-c")
    return Plan(
        program=program,
        action=action,
        h1=h1,
        h2=h2,
        reporter_a=member(cast.org_a, Role.ANALYST),
        reporter_b=member(cast.org_b, Role.ANALYST),
        reporter_c=member(org_c, Role.ORG_ADMIN),
    )
