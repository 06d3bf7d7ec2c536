"""Who may see and manage organisations and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role


class OrganisationPolicy:
    """The directory of organisations is open to every member; nobody changes it here (system admins do)."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Organisation]:
        if actor is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(is_active=True)

    def can(self, actor: Membership | None, action: str, obj: Organisation) -> bool:
        return actor is not None and action == "view"


class MembershipPolicy:
    """Members of an organisation are known only inside it; only its org admins manage them."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Membership]:
        if actor is None:
            return Membership.objects.none()
        return Membership.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Membership) -> bool:
        if actor is None or obj.organisation_id != actor.organisation_id:
            return False
        if action in {"view", "manage"}:
            return actor.has_role(Role.ORG_ADMIN)
        return False

    def can_manage_members(self, actor: Membership | None) -> bool:
        return actor is not None and actor.has_role(Role.ORG_ADMIN)

    can_list = can_manage_members


organisations = OrganisationPolicy()
memberships = MembershipPolicy()
