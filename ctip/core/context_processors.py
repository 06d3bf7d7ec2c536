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
        known = getattr(request, "usable_memberships", None)
        return known if known is not None else list(active_memberships_of(user))

    if membership is not None and _half_logged_in(user):
        membership = None  # until the second factor is given, no menu and no organisation to act for
    return {
        "acting": membership,
        "memberships": switchable,
        "nav_modules": modules_for(membership),
    }


def _half_logged_in(user: Any) -> bool:
    from ctip.accounts.access import has_second_factor, passed_second_factor, second_factor_required
    from ctip.accounts.models import User

    if not isinstance(user, User) or passed_second_factor(user):
        return False
    return has_second_factor(user) or second_factor_required(user)
