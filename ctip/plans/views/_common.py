"""What the plan's pages share."""

from __future__ import annotations

from typing import Any

from ctip.orgs.models import Membership
from ctip.plans import access


def nav(actor: Membership) -> dict[str, Any]:
    """What the plan's own menu shows the actor."""
    return {
        "can_create": access.programs.can(actor, "create"),
        "can_review_queue": access.reports.can(actor, "review"),
        "can_see_overdue": access.actions.can(actor, "overdue"),
    }
