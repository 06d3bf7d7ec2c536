from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from ctip.accounts.models import User
    from ctip.orgs.models import Membership


class CtipRequest(HttpRequest):
    """The request as ctip's views see it, behind the login and acting-membership middleware (for typing)."""

    user: User
    membership: Membership | None
    request_id: str


class MemberRequest(CtipRequest):
    """A request that passed ``membership_required``: the user acts for an organisation."""

    membership: Membership
