"""What the home page says to each member: the role they act in, and the work the installed modules offer it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from ctip.core.modules import modules_for
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role

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
    work: list[str | Promise]


def home_for(membership: Membership) -> RoleHome:
    roles = [r for r in PRIORITY if r in membership.role_set]
    primary = roles[0] if roles else Role.VIEWER
    return RoleHome(role=primary, role_label=str(Role(primary).label), work=work_for(membership))


def work_for(membership: Membership) -> list[str | Promise]:
    """Return the lines of work the member's modules offer their roles: in menu order, the most specific role first,
    each line once. Only an installed module registers, so nothing here promises a module ctip does not have."""
    roles = [r for r in PRIORITY if r in membership.role_set]
    lines: list[str | Promise] = []
    for module in modules_for(membership):
        for role in roles:
            line = module.work.get(role)
            if line is not None and line not in lines:
                lines.append(line)
    return lines
