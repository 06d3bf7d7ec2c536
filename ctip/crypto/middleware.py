from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ctip.accounts.models import User
from ctip.audit.services import audit_record
from ctip.crypto.cipher import DecryptionError

logger = logging.getLogger("ctip.crypto")


class DecryptionFailureMiddleware:
    """A value that does not decrypt stops the request with a plain error page, a log line and an audit event.

    Nothing else is written: the view's own transaction (if any) has already been rolled back by the exception.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DecryptionError):
            return None
        logger.error("decryption failed: %s", exception, extra={"path": request.path})
        membership = getattr(request, "membership", None)
        user = getattr(request, "user", None)
        with transaction.atomic():
            audit_record(
                action="crypto.decryption_failed",
                actor=user if isinstance(user, User) else None,
                organisation=membership.organisation if membership else None,
                details={"path": request.path, "error": str(exception)},
            )
        if request.path_info.startswith("/api/"):
            from django.http import JsonResponse

            from ctip.api.errors import error_body

            body = error_body(500, "decryption_failed", "A protected value could not be decrypted.")
            return JsonResponse(body, status=500)
        context = {
            "status": 500,
            "title": _("This record cannot be shown"),
            "message": _(
                "A protected value in it could not be decrypted. The incident was recorded; "
                "please tell your system administrator."
            ),
        }
        return render(request, "core/error.html", context, status=500)
