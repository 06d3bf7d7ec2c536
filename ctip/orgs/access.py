"""Who may see and manage organisations, memberships and invitations, and who may give which role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ctip.orgs.models import Invitation, Membership, Organisation
from ctip.orgs.roles import NATIONAL_ROLES, Role, roles_allowed_in

if TYPE_CHECKING:
    from ctip.accounts.models import User


class OrganisationPolicy:
    """The directory of organisations is open to every member; nobody changes it here (system admins do)."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Organisation]:
        if actor is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(is_active=True)

    def can(self, actor: Membership | None, action: str, obj: Organisation | None = None) -> bool:
        return actor is not None and action in {"view", "list"}


def is_system_administrator(user: User | None) -> bool:
    return user is not None and user.is_active and (user.is_staff or user.is_superuser)


class MembershipPolicy:
    """Members of an organisation are known only inside it; only its org admins manage them, never their own."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Membership]:
        if actor is None:
            return Membership.objects.none()
        return Membership.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Membership | None = None) -> bool:
        """``list`` and ``add`` (no membership): the organisation's administrators. ``view`` a membership: the same;
        ``manage`` it (roles, active flag): the same, but never their own."""
        if actor is None or not actor.has_role(Role.ORG_ADMIN):
            return False
        if obj is None:
            return action in {"list", "add"}
        if obj.organisation_id != actor.organisation_id:
            return False
        return action == "view" or (action == "manage" and obj.user_id != actor.user_id)

    def grantable_roles(
        self, *, by: User | None, actor: Membership | None, organisation: Organisation
    ) -> frozenset[str]:
        """Return the roles this granter may give or take in the organisation.

        ``actor`` is an organisation administrator acting through their membership (pages); without one, ``by`` is
        a system administrator (the admin site), or None for the system itself (the demo, commands run by the
        operator). Never more than the organisation may hold; national roles only from a system administrator.
        """
        allowed = roles_allowed_in(organisation.code, organisation.org_type)
        if actor is not None:
            if actor.organisation_id != organisation.pk or not actor.has_role(Role.ORG_ADMIN):
                return frozenset()
            return allowed - NATIONAL_ROLES
        if by is None or is_system_administrator(by):
            return allowed
        return frozenset()


class InvitationPolicy:
    """An organisation's invitations are seen and withdrawn by its administrators; the invited person answers."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Invitation]:
        if actor is None:
            return Invitation.objects.none()
        return Invitation.objects.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Membership | None, action: str, obj: Invitation | None = None) -> bool:
        if actor is None or not actor.has_role(Role.ORG_ADMIN):
            return False
        if obj is None:
            return action == "list"
        if obj.organisation_id != actor.organisation_id:
            return False
        return action == "view" or (action == "withdraw" and obj.status == Invitation.Status.PENDING)

    def can_answer(self, user: User, obj: Invitation) -> bool:
        """The invited person's question (a user, who may act for no organisation yet), not a member's."""
        return obj.user_id == user.pk and obj.status == Invitation.Status.PENDING


organisations = OrganisationPolicy()
memberships = MembershipPolicy()
invitations = InvitationPolicy()
