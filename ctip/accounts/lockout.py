"""The lock-out: one failure count per account, for wrong passwords and wrong second-factor codes alike.

django-axes keeps the count, under the account's normal e-mail (``axes_username``, set as
``AXES_USERNAME_CALLABLE``). Axes does not reset it on a right password (``AXES_RESET_ON_SUCCESS`` is off): that
would wipe the wrong codes typed after it. The count is cleared only by ``login_completed``.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from ctip.accounts.models import User, normalise_email


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Return the name axes counts an attempt under: the normal spelling of the e-mail that was given.

    Axes calls this wherever it needs the name (recording a failure, checking the lock), with the
    credentials when it has them and the posted form otherwise, as its own default does.
    """
    if credentials:
        given = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get(User.USERNAME_FIELD)
    else:
        given = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    name = normalise_email(given) if isinstance(given, str) else ""
    return name or None


def _credentials(user: User) -> dict[str, str]:
    return {settings.AXES_USERNAME_FORM_FIELD: user.email}


def is_locked_out(request: HttpRequest, user: User) -> bool:
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def second_factor_failed(request: HttpRequest, user: User) -> bool:
    """Count a wrong second-factor code as a failed login of the account; return whether that locked it."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return is_locked_out(request, user)


def login_completed(user: User) -> None:
    """Clear the account's failures: it gave its password and, when it has one, its second factor."""
    AxesProxyHandler.reset_attempts(username=normalise_email(user.email))
