from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

AUTH_AT = "ctip.auth_at"
SEEN_AT = "ctip.seen_at"
# Refresh the "last seen" stamp at most this often, so reads do not each write the session.
SEEN_RESOLUTION = 30


class SessionLimitsMiddleware:
    """End a session after CTIP_SESSION_IDLE_SECONDS of inactivity or CTIP_SESSION_ABSOLUTE_SECONDS in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and SEEN_AT in request.session:
            now = time.time()
            idle = now - request.session[SEEN_AT]
            age = now - request.session.get(AUTH_AT, now)
            if idle > settings.CTIP_SESSION_IDLE_SECONDS or age > settings.CTIP_SESSION_ABSOLUTE_SECONDS:
                reason = "idle" if idle > settings.CTIP_SESSION_IDLE_SECONDS else "absolute"
                from ctip.accounts.signals import expiry_reason

                expiry_reason.set(reason)
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
            elif idle > SEEN_RESOLUTION:
                request.session[SEEN_AT] = now
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Deny by default: every page needs a login unless its view says otherwise.

    The API answers for itself (401 in its own error format), and htmx requests are sent to the login page as a
    whole page rather than having it swapped into a fragment.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if isinstance(response, HttpResponse) and getattr(request, "htmx", False):
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = response["Location"]
            return hx
        return response if isinstance(response, HttpResponse) or response is None else None
