"""What the home page says to each role: the work that role does in ctip."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctip.orgs.models import Membership
from ctip.orgs.roles import Role

ROLE_WORK: dict[str, Promise] = {
    Role.COORDINATOR: _(
        "You coordinate the national Program and Action Plan: review agencies' reports, run coordination "
        "meetings and publish national statistics."
    ),
    Role.ORG_ADMIN: _("You manage who works in ctip for your organisation and what each person may do."),
    Role.CASE_WORKER: _("You screen, assist and refer victims, and record the services your organisation gives."),
    Role.SUPERVISOR: _("You oversee your organisation's cases and approve referrals and decisions that need it."),
    Role.INVESTIGATOR: _("You record investigations, suspects and international cooperation requests."),
    Role.PROSECUTOR: _("You follow prosecutions, charges and verdicts."),
    Role.ANALYST: _("You study anonymised statistics and prepare reports."),
    Role.PARTNER: _("You follow the plan, record your own activities and report on your projects."),
    Role.VIEWER: _("You can read what your organisation shares with you."),
}

# The role whose page a member with several roles sees first: the most specific work comes first.
PRIORITY = [
    Role.COORDINATOR,
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.SUPERVISOR,
    Role.CASE_WORKER,
    Role.ANALYST,
    Role.PARTNER,
    Role.ORG_ADMIN,
    Role.VIEWER,
]


@dataclass(frozen=True)
class RoleHome:
    role: str
    role_label: str
    work: list[Promise]


def home_for(membership: Membership) -> RoleHome:
    roles = membership.role_set
    ordered = [r for r in PRIORITY if r in roles]
    primary = ordered[0] if ordered else Role.VIEWER
    return RoleHome(role=primary, role_label=str(Role(primary).label), work=[ROLE_WORK[r] for r in ordered])
