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
    usable = active_memberships_of(user)
    if chosen is not None:
        membership = usable.filter(pk=chosen).first()
        if membership is not None:
            return membership
        del request.session[SESSION_KEY]
    only = list(usable[:2])
    if len(only) == 1:
        request.session[SESSION_KEY] = only[0].pk
        return only[0]
    return None


class ActingMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = resolve_acting_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)
