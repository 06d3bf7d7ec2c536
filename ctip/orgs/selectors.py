"""Reads of organisations and memberships, always scoped by ``ctip.orgs.access``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from ctip.accounts.models import User
from ctip.audit.services import audit_record
from ctip.core.access import get_for_actor
from ctip.orgs import access
from ctip.orgs.models import Invitation, Membership, Organisation


def organisations_visible_to(actor: Membership | None) -> QuerySet[Organisation]:
    return access.organisations.visible(actor, "view").order_by("code")


def members_of_acting_org(actor: Membership | None) -> QuerySet[Membership]:
    return (
        access.memberships.visible(actor, "view")
        .select_related("user")
        .prefetch_related("roles")
        .order_by("-is_active", "user__email")
    )


def membership_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> Membership:
    return get_for_actor(access.memberships, actor, pk, action)


def active_memberships_of(user: User) -> QuerySet[Membership]:
    """Return the memberships a user may act through: active, in an active organisation."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("roles")
        .order_by("organisation__code")
    )


def invitations_pending_of_acting_org(actor: Membership | None) -> QuerySet[Invitation]:
    """Return the organisation's unanswered invitations, for its administrators (nothing for anyone else)."""
    if not access.invitations.can(actor, "list"):
        return Invitation.objects.none()
    return (
        access.invitations.visible(actor, "view")
        .filter(status=Invitation.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def invitation_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> Invitation:
    return get_for_actor(access.invitations, actor, pk, action)


def invitations_waiting_for(user: User) -> QuerySet[Invitation]:
    """Return the invitations a person has not answered yet, from active organisations."""
    return (
        Invitation.objects.filter(user=user, status=Invitation.Status.PENDING, organisation__is_active=True)
        .select_related("organisation", "invited_by")
        .order_by("created_at", "pk")
    )


def invitation_get_for_invitee(user: User, pk: int) -> Invitation:
    """Return one of the person's own unanswered invitations; anything else is a 404, and the refusal is audited."""
    invitation = invitations_waiting_for(user).filter(pk=pk).first()
    if invitation is None:
        with transaction.atomic():
            audit_record(
                action="access.denied",
                actor=user,
                details={"model": "orgs.invitation", "object_id": str(pk), "action": "answer", "status": 404},
            )
        raise Http404
    return invitation
