"""Funding records for the tests, made through the services as the coordinator would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ctip.funding import services
from ctip.funding.models import Commitment
from ctip.orgs.models import Membership, Organisation, OrgType
from ctip.plans.models import Program
from ctip.testing import OrganisationFactory


def donor() -> Organisation:
    return OrganisationFactory(org_type=OrgType.DONOR)


def make_commitment(coordinator: Membership, program: Program, implementer: Organisation, **fields: Any) -> Commitment:
    values: dict[str, Any] = {
        "donor": fields.pop("donor", None) or donor(),
        "title": "Project",
        "amount": Decimal("1000.00"),
        "currency": "USD",
        "starts_on": dt.date(2024, 1, 1),
        "ends_on": dt.date(2025, 12, 31),
        "status": "signed",
    }
    values.update(fields)
    return services.commitment_create(actor=coordinator, program=program, implementer=implementer, **values)
