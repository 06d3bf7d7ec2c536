"""Who may see and make screenings.

A screening is known only inside the organisation that made it (anyone else gets 404, as for a record that does
not exist). Inside it, case workers and supervisors read and make screenings; other members get 403. Every read of
one screening is audited (``sensitive``). Catalogues are reference data, open to every member.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.screening.models import Screening

SCREENING_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)


class ScreeningPolicy:
    sensitive = True

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Screening]:
        if actor is None:
            return Screening.objects.none()
        return Screening.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Screening | None = None) -> bool:
        if actor is None:
            return False
        if obj is None:
            # Trying the engine ("assess") stores nothing and reads no record: every member may.
            return action == "assess" or (action in {"list", "create"} and actor.has_role(*SCREENING_ROLES))
        if obj.organisation_id != actor.organisation_id:
            return False
        # Nobody changes a saved screening: it is closed, and a correction is a new screening.
        return action in {"view", "close", "export"} and actor.has_role(*SCREENING_ROLES)


screenings = ScreeningPolicy()
