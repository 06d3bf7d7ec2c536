"""Reads of organisations and memberships, always scoped by ``ctip.orgs.access``."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.accounts.models import User
from ctip.core.access import get_for_actor
from ctip.orgs import access
from ctip.orgs.models import Membership, Organisation


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
