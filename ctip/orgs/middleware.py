from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ctip.orgs.models import Membership
from ctip.orgs.selectors import active_memberships_of

SESSION_KEY = "ctip.membership_id"


def resolve_acting_membership(request: HttpRequest) -> Membership | None:
    """Return the membership the user acts through, re-checked on every request.

    A membership that was deactivated, or whose organisation was, stops working at once. A user with exactly
    one usable membership acts through it without having to pick.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    # One query (and one for the roles) serves both the choice and the header's "switch organisation" link.
    usable = list(active_memberships_of(user))
    request.usable_memberships = usable  # type: ignore[attr-defined]
    if chosen is not None:
        membership = next((m for m in usable if m.pk == chosen), None)
        if membership is not None:
            return membership
        del request.session[SESSION_KEY]
    if len(usable) == 1:
        request.session[SESSION_KEY] = usable[0].pk
        return usable[0]
    return None


class ActingMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = resolve_acting_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)
