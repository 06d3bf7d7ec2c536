from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

AUTH_AT = "ctip.auth_at"
MFA_AT = "ctip.mfa_at"
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


def second_factor_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view reachable by a logged-in user who has not given their second factor yet."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware:
    """After the password, the second factor: verify it, or enrol when the user's roles require one.

    API requests are left to the API's own authentication (tokens are issued by administrators; a browser session
    that has not passed the second factor counts as not logged in there).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        from ctip.accounts.access import has_second_factor, passed_second_factor, second_factor_required
        from ctip.accounts.models import User

        user = request.user
        if not isinstance(user, User) or passed_second_factor(user):
            return None
        if request.path_info.startswith("/api/") or getattr(view_func, "second_factor_exempt", False):
            return None
        if has_second_factor(user):
            target = "accounts:mfa_verify"
        elif second_factor_required(user):
            target = "accounts:mfa_setup"
        else:
            return None
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            hx = HttpResponse(status=204)
            hx["HX-Redirect"] = url
            return hx
        return redirect(url)


def second_factor_is_fresh(request: HttpRequest) -> bool:
    """Whether the second factor was given within CTIP_STEP_UP_SECONDS."""
    at = request.session.get(MFA_AT)
    return at is not None and time.time() - at <= settings.CTIP_STEP_UP_SECONDS


def step_up_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for the second factor again before revealing or exporting identities, unless it was just given."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if second_factor_is_fresh(request):
            return view(request, *args, **kwargs)
        from ctip.accounts.access import has_second_factor

        target = "accounts:mfa_verify" if has_second_factor(request.user) else "accounts:mfa_setup"  # type: ignore[arg-type]
        query = urlencode({"next": request.get_full_path(), "step_up": "1"})
        return redirect(f"{reverse(target)}?{query}")

    return wrapper
