"""Roles a membership can carry, the groups of roles that rules refer to, and which organisations may hold each.

Two bounds decide whether a role may be given (``ctip.orgs.access.MembershipPolicy.grantable_roles`` applies them):

* **What the organisation is** (``roles_allowed_in``): the national coordinator only in an organisation the
  deployment designates (``CTIP_COORDINATING_BODIES``); investigators and prosecutors only in law enforcement; case
  work only where victims are assisted or identified (and in any designated identification body); partners only in
  international organisations, donors and NGOs.
* **Who gives it**: national roles only a system administrator; everything else an organisation administrator of
  that organisation too — never to themself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.orgs.conf import coordinating_bodies, identification_bodies


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("National coordinator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    ANALYST = "analyst", _("Analyst")
    PARTNER = "partner", _("Partner")
    VIEWER = "viewer", _("Viewer")


# Roles whose holders can see victims' and suspects' identities.
IDENTITY_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR, Role.PROSECUTOR})

# Roles whose reach goes beyond the holder's own organisation (the coordinator reads every organisation's trail
# and reviews every agency's reports): only a system administrator gives them.
NATIONAL_ROLES = frozenset({Role.COORDINATOR})

# Roles that give roles or read other people's audit trails, and the identity roles: the security core asks their
# holders for a second factor (ctip.accounts.access.second_factor_required).
SECOND_FACTOR_ROLES = IDENTITY_ROLES | {Role.ORG_ADMIN, Role.COORDINATOR}

# Organisation types (orgs.models.OrgType values) whose members may hold a role; a role not listed here may be held
# in any organisation. Strings rather than OrgType members: models.py imports this module.
_LAW_ENFORCEMENT = frozenset({"LawEnforcement"})
_ASSISTING = frozenset(
    {
        "NGO",
        "HealthServiceOrganisation",
        "CentralGovernmentOrganisation",
        "LocalGovernmentOrganisation",
        "ImmigrationService",
        "LegalService",
        "InternationalOrganisation",
    }
)
ROLE_ORG_TYPES: dict[str, frozenset[str]] = {
    Role.INVESTIGATOR: _LAW_ENFORCEMENT,
    Role.PROSECUTOR: _LAW_ENFORCEMENT,
    Role.CASE_WORKER: _ASSISTING,
    Role.SUPERVISOR: _ASSISTING,
    Role.PARTNER: frozenset({"InternationalOrganisation", "Donor", "NGO"}),
}
_CASE_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR})


def roles_allowed_in(org_code: str, org_type: str) -> frozenset[str]:
    """Return the roles a member of an organisation of this code and type may hold at all."""
    code = org_code.lower()
    allowed = {
        role
        for role in Role.values
        if role not in NATIONAL_ROLES and org_type in ROLE_ORG_TYPES.get(role, frozenset({org_type}))
    }
    if code in coordinating_bodies():
        allowed.add(Role.COORDINATOR)
    if org_code in identification_bodies():  # the law may name any body to identify victims: it needs case workers
        allowed |= _CASE_ROLES
    return frozenset(allowed)


# Roles that report on their organisation's part of the national plan (file progress, post follow-up on decisions).
REPORTING_ROLES = (Role.ORG_ADMIN, Role.SUPERVISOR, Role.ANALYST)

# Roles that generate the national report on a program (coordinators, and analysts of any organisation).
REPORT_ROLES = (Role.COORDINATOR, Role.ANALYST)
