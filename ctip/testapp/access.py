"""The policy shape a protected, sensitive model uses (exercised by the tests of ctip.core.access)."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.testapp.models import Specimen


class SpecimenPolicy:
    sensitive = True

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Specimen]:
        if actor is None:
            return Specimen._default_manager.none()
        return Specimen._default_manager.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Specimen | None = None) -> bool:
        return actor is not None and actor.has_role(Role.CASE_WORKER, Role.SUPERVISOR)


specimens = SpecimenPolicy()
