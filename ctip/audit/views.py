from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ctip.audit import access, selectors
from ctip.audit.forms import EventFilterForm
from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest

PAGE_SIZE = 50


@membership_required
@require_GET
def events(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    if not access.events.can(actor, "list"):
        raise PermissionDenied
    form = EventFilterForm(request.GET)
    if form.is_valid():
        rows = selectors.events_visible_to(actor, form.filters())
    else:
        # Filters that make no sense show their errors over an empty list, not over the unfiltered trail.
        rows = selectors.events_visible_to(actor).none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"form": form, "page": page})
