from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ctip.accounts.middleware import second_factor_exempt
from ctip.accounts.models import User
from ctip.accounts.services import user_set_language
from ctip.core.decorators import membership_required
from ctip.core.home import home_for
from ctip.core.http import MemberRequest
from ctip.core.i18n import remember_language
from ctip.core.modules import modules_for
from ctip.orgs.selectors import invitations_waiting_for

logger = logging.getLogger(__name__)


@membership_required
def home(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    context = {
        "home": home_for(membership),
        "modules": modules_for(membership),
        "invitations": invitations_waiting_for(request.user).count(),
    }
    return render(request, "core/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@login_not_required
@second_factor_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remember it in a cookie and, for a logged-in user, on their account."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    remember_language(response, language)
    if isinstance(request.user, User):
        user_set_language(user=request.user, language=language)
    return response


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        from ctip.api.errors import json_error

        return json_error(request, status)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("Your role in this organisation does not allow this action."))


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), _("There is nothing here, or it is not yours to see."))


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong"),
        _("The error was recorded. Please try again; if it happens again, tell your administrator."),
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("The form expired"),
        _("Go back, reload the page and submit the form again."),
    )
