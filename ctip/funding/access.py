"""Who may read and change donor funding.

Every member reads commitments (of the programs they can see: a draft program is the coordinator's alone),
allocations, disbursements and gaps: funding of the national plan is shared with all its partners. The coordinator
records and edits commitments and their allocations to actions. Disbursements are recorded by the coordinator or
by an administrator of the implementing organisation, which is the one that knows what it has received; for any
other organisation a commitment does not exist as far as disbursing goes (404), as in ``ctip.plans`` another
agency's action is 404 for filing.

Each policy answers ``can(actor, action, obj=None)``; with no object the question is model-level (``"create"``).
Disbursing has a policy of its own (a disbursement is a record of its own, and others get 404 for it).
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.funding.models import Commitment
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.plans.access import programs


def is_coordinator(actor: Membership | None) -> bool:
    return actor is not None and actor.has_role(Role.COORDINATOR)


class CommitmentPolicy:
    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Commitment]:
        if actor is None:
            return Commitment.objects.none()
        return Commitment.objects.filter(program__in=programs.visible(actor, "view"))

    def can(self, actor: Membership | None, action: str, obj: Commitment | None = None) -> bool:
        if action == "view":
            return actor is not None
        return action == ("create" if obj is None else "edit") and is_coordinator(actor)


class DisbursingPolicy:
    """The commitments an actor may record disbursements on."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Commitment]:
        if actor is None:
            return Commitment.objects.none()
        seen = Commitment.objects.filter(program__in=programs.visible(actor, "view"))
        if is_coordinator(actor):
            return seen
        return seen.filter(implementer_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Commitment | None = None) -> bool:
        if actor is None or action != "disburse":
            return False
        if is_coordinator(actor):
            return True
        own = obj is None or obj.implementer_id == actor.organisation_id
        return own and actor.has_role(Role.ORG_ADMIN)


commitments = CommitmentPolicy()
disbursing = DisbursingPolicy()
