"""Record logins, logouts, failures and lock-outs, whichever door they came through (pages, admin, axes)."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ctip.accounts.middleware import AUTH_AT, SEEN_AT
from ctip.accounts.models import User, normalise_email
from ctip.audit.services import audit_record

expiry_reason: ContextVar[str] = ContextVar("ctip_session_expiry_reason", default="")


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[AUTH_AT] = now
        request.session[SEEN_AT] = now
    audit_record(action="auth.login", actor=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    reason = expiry_reason.get()
    expiry_reason.set("")
    if user is not None:
        audit_record(
            action="auth.session_expired" if reason else "auth.logout",
            actor=user,
            details={"reason": reason} if reason else None,
        )


def _known_user(credentials: dict[str, Any]) -> User | None:
    username = normalise_email(credentials.get("username") or credentials.get("email") or "")
    return User.objects.filter(email=username).first() if username else None


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # The attempted name is stored only as a link to an existing account: a mistyped password must not land here.
    audit_record(action="auth.login_failed", actor=_known_user(credentials))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    audit_record(action="auth.locked_out", actor=_known_user({"username": username}))
