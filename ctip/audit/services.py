"""The one way to write to the audit trail. Call it inside the transaction of the write it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from ctip.accounts.models import User
from ctip.audit.models import AuditEvent
from ctip.core import request_context
from ctip.orgs.models import Organisation


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; request id, address and user agent come from the request being served."""
    meta = request_context.current()
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        details=details or {},
        request_id=meta.request_id,
        ip=meta.ip,
        user_agent=meta.user_agent,
    )
