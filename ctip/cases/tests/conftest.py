"""Beyond the shared cast: the organisations a referral reaches (a legal-aid NGO, the police, the designated body)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ctip.orgs.models import Membership, Organisation, OrgType
from ctip.orgs.roles import Role
from ctip.screening.models import IndicatorCatalogue
from ctip.screening.tests.factories import ilo_2009
from ctip.testing import OrganisationFactory, member


@dataclass
class Network:
    supervisor_a: Membership
    analyst_a: Membership
    legal: Organisation
    legal_worker: Membership
    legal_viewer: Membership
    police: Organisation
    investigator: Membership
    body: Organisation
    body_worker: Membership


@pytest.fixture(autouse=True)
def _deployment(settings, tmp_path):
    settings.CTIP_IDENTIFICATION_BODIES = ["sms"]
    settings.CTIP_CASE_CODE_PREFIX = "KG"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def net(cast) -> Network:
    legal = OrganisationFactory(code="legal-aid", name_en="Legal Aid NGO")
    police = OrganisationFactory(code="mvd", name_en="Police", org_type=OrgType.LAW_ENFORCEMENT)
    body = OrganisationFactory(code="sms", name_en="State Migration Service", org_type=OrgType.CENTRAL_GOVERNMENT)
    return Network(
        supervisor_a=member(cast.org_a, Role.SUPERVISOR),
        analyst_a=member(cast.org_a, Role.ANALYST),
        legal=legal,
        legal_worker=member(legal, Role.CASE_WORKER),
        legal_viewer=member(legal, Role.VIEWER),
        police=police,
        investigator=member(police, Role.INVESTIGATOR),
        body=body,
        body_worker=member(body, Role.CASE_WORKER),
    )


@pytest.fixture
def ilo(db: None) -> IndicatorCatalogue:
    return ilo_2009()
