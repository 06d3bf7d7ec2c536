"""Reads of the audit trail, always scoped by ``ctip.audit.access``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ctip.audit import access
from ctip.audit.models import AuditEvent
from ctip.orgs.models import Membership


@dataclass(frozen=True)
class EventFilter:
    """What to narrow the trail to; empty values do not narrow. Dates are days in the deployment's time zone."""

    action: str = ""  # exact, or a prefix when it ends with "*" ("auth.*")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor_email: str = ""


def events_visible_to(actor: Membership | None, filters: EventFilter | None = None) -> QuerySet[AuditEvent]:
    """Return the events the actor may read, newest first, with what a list shows already joined."""
    rows = access.events.visible(actor, "view").select_related("actor", "organisation")
    if filters is not None:
        rows = _narrowed(rows, filters)
    # Ids follow the chain, and the chain never goes back in time: newest first is highest id first.
    return rows.order_by("-id")


def _narrowed(rows: QuerySet[AuditEvent], filters: EventFilter) -> QuerySet[AuditEvent]:
    if filters.action.endswith("*"):
        rows = rows.filter(action__startswith=filters.action[:-1])
    elif filters.action:
        rows = rows.filter(action=filters.action)
    if filters.date_from is not None:
        rows = rows.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        rows = rows.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.actor_email:
        rows = rows.filter(actor__email__iexact=filters.actor_email)
    return rows


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
