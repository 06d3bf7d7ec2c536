"""The modules a member can open, registered by each app, so navigation and home pages grow with ctip."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from ctip.orgs.models import Membership


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every member
    order: int = 100
    # The line of work the module offers each role, for the home page; a role it offers nothing is left out.
    work: Mapping[str, str | Promise] = field(default_factory=dict, hash=False)


_registry: dict[str, Module] = {}


def register(module: Module) -> None:
    _registry[module.key] = module


def modules_for(membership: Membership | None) -> list[Module]:
    """Return the modules the acting membership may open, in menu order."""
    if membership is None:
        return []
    roles = membership.role_set
    return sorted(
        (m for m in _registry.values() if m.roles is None or m.roles & roles),
        key=lambda m: (m.order, m.key),
    )
