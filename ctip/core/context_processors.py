from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctip.core.modules import modules_for
from ctip.orgs.selectors import active_memberships_of


def shell(request: HttpRequest) -> dict[str, Any]:
    """Give every page the acting membership, the ones it could switch to, and the menu."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)

    def switchable() -> list[Any]:
        if user is None or not user.is_authenticated:
            return []
        return list(active_memberships_of(user))

    return {
        "acting": membership,
        "memberships": switchable,
        "nav_modules": modules_for(membership),
    }
