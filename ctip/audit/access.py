"""Who may read the audit trail. Nobody may change it: the only action there is is "view"."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.audit.models import AuditEvent
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role


class AuditEventPolicy:
    """National coordinators read every event; an organisation's administrators read the events done for it."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[AuditEvent]:
        if actor is None or action != "view":
            return AuditEvent.objects.none()
        if actor.has_role(Role.COORDINATOR):
            return AuditEvent.objects.all()
        if actor.has_role(Role.ORG_ADMIN):
            return AuditEvent.objects.filter(organisation_id=actor.organisation_id)
        return AuditEvent.objects.none()

    def can(self, actor: Membership | None, action: str, obj: AuditEvent | None = None) -> bool:
        """``list``: whether the actor may open the trail at all (the others get 403, not an empty page)."""
        if actor is None:
            return False
        if obj is None:
            return action == "list" and actor.has_role(Role.COORDINATOR, Role.ORG_ADMIN)
        if action != "view":
            return False
        if actor.has_role(Role.COORDINATOR):
            return True
        return actor.has_role(Role.ORG_ADMIN) and obj.organisation_id == actor.organisation_id


events = AuditEventPolicy()
