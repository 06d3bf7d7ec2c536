"""The pure rule: which roles an organisation of a given kind may hold."""

from __future__ import annotations

import pytest

from ctip.orgs.roles import Role, roles_allowed_in

EVERYWHERE = {Role.ORG_ADMIN, Role.ANALYST, Role.VIEWER}


@pytest.mark.parametrize(
    ("org_type", "expected"),
    [
        ("NGO", EVERYWHERE | {Role.CASE_WORKER, Role.SUPERVISOR, Role.PARTNER}),
        ("LawEnforcement", EVERYWHERE | {Role.INVESTIGATOR, Role.PROSECUTOR}),
        ("CentralGovernmentOrganisation", EVERYWHERE | {Role.CASE_WORKER, Role.SUPERVISOR}),
        ("ImmigrationService", EVERYWHERE | {Role.CASE_WORKER, Role.SUPERVISOR}),
        ("InternationalOrganisation", EVERYWHERE | {Role.CASE_WORKER, Role.SUPERVISOR, Role.PARTNER}),
        ("Donor", EVERYWHERE | {Role.PARTNER}),
        ("CorporateBusiness", EVERYWHERE),
        ("SchoolOrCollege", EVERYWHERE),
    ],
)
def test_roles_follow_the_kind_of_organisation(settings, org_type, expected):
    settings.CTIP_COORDINATING_BODIES = []
    settings.CTIP_IDENTIFICATION_BODIES = []
    assert roles_allowed_in("x", org_type) == expected


def test_the_coordinator_role_exists_only_in_a_designated_body(settings):
    settings.CTIP_COORDINATING_BODIES = ["MLSM"]
    assert Role.COORDINATOR in roles_allowed_in("mlsm", "CentralGovernmentOrganisation")
    assert Role.COORDINATOR not in roles_allowed_in("mfa", "CentralGovernmentOrganisation")
    settings.CTIP_COORDINATING_BODIES = []
    assert Role.COORDINATOR not in roles_allowed_in("mlsm", "CentralGovernmentOrganisation")


def test_a_designated_identification_body_may_have_case_workers_whatever_its_kind(settings):
    settings.CTIP_IDENTIFICATION_BODIES = ["mvd"]
    assert {Role.CASE_WORKER, Role.SUPERVISOR} <= roles_allowed_in("mvd", "LawEnforcement")
    assert Role.CASE_WORKER not in roles_allowed_in("police", "LawEnforcement")
