from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def membership_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a user who has not chosen whom they act for to the organisation picker, then back here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "membership", None) is None:
            url = reverse("accounts:choose_organisation") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return view(request, *args, **kwargs)

    return wrapper
