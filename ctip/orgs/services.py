"""Writes to organisations and memberships. Each one audits in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.accounts.models import User
from ctip.accounts.services import user_create, user_send_password_setup
from ctip.audit.services import audit_record
from ctip.orgs import access
from ctip.orgs.models import Membership, MembershipRole, Organisation
from ctip.orgs.roles import Role


@transaction.atomic
def organisation_create(
    *,
    by: User | None,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str,
    org_type: str,
    region: str,
) -> Organisation:
    org = Organisation(code=code, name_ky=name_ky, name_ru=name_ru, name_en=name_en, org_type=org_type, region=region)
    org.full_clean()
    org.save()
    audit_record(action="organisation.create", actor=by, obj=org, details={"code": code})
    return org


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(role)s") % {"role": unknown[0]}})
    if not cleaned:
        raise ValidationError({"roles": _("Choose at least one role.")})
    return cleaned


@transaction.atomic
def membership_create(
    *,
    by: User | None,
    acting: Organisation | None,
    user: User,
    organisation: Organisation,
    roles: Iterable[str],
) -> Membership:
    """Tie a user to an organisation with roles (system-level: demo, admin, and org admins through member_add)."""
    role_list = _clean_roles(roles)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    membership = Membership.objects.create(user=user, organisation=organisation)
    MembershipRole.objects.bulk_create(MembershipRole(membership=membership, role=r) for r in role_list)
    audit_record(
        action="membership.create",
        actor=by,
        organisation=acting,
        obj=membership,
        details={"organisation": organisation.code, "user_id": user.pk, "roles": role_list},
    )
    return membership


@transaction.atomic
def member_add(*, actor: Membership, email: str, full_name: str, roles: Iterable[str]) -> Membership:
    """Add a person to the actor's organisation; a new account gets an e-mail to set its password."""
    if not access.memberships.can_manage_members(actor):
        raise PermissionDenied
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    is_new = user is None
    if user is None:
        user = user_create(by=actor.user, email=email, full_name=full_name, password=None)
    membership = membership_create(
        by=actor.user, acting=actor.organisation, user=user, organisation=actor.organisation, roles=roles
    )
    if is_new:
        user_send_password_setup(user=user)
    return membership


def _assert_keeps_an_admin(membership: Membership, *, stays_admin: bool) -> None:
    if stays_admin or not membership.has_role(Role.ORG_ADMIN):
        return
    others = (
        MembershipRole.objects.filter(
            role=Role.ORG_ADMIN,
            membership__organisation_id=membership.organisation_id,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .exclude(membership=membership)
        .exists()
    )
    if not others:
        raise ValidationError({"roles": _("An organisation must keep at least one active administrator.")})


@transaction.atomic
def membership_set_roles(*, actor: Membership, membership: Membership, roles: Iterable[str]) -> Membership:
    if not access.memberships.can(actor, "manage", membership):
        raise PermissionDenied
    role_list = _clean_roles(roles)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = sorted(membership.role_set)
    _assert_keeps_an_admin(membership, stays_admin=Role.ORG_ADMIN in role_list or not membership.is_active)
    MembershipRole.objects.filter(membership=membership).exclude(role__in=role_list).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in role_list if r not in before]
    )
    audit_record(
        action="membership.set_roles",
        actor=actor.user,
        organisation=actor.organisation,
        obj=membership,
        details={"before": before, "after": role_list},
    )
    return Membership.objects.prefetch_related("roles").get(pk=membership.pk)


@transaction.atomic
def membership_set_active(*, actor: Membership, membership: Membership, active: bool) -> Membership:
    if not access.memberships.can(actor, "manage", membership):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active == active:
        return membership
    if not active:
        _assert_keeps_an_admin(membership, stays_admin=False)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    audit_record(
        action="membership.activate" if active else "membership.deactivate",
        actor=actor.user,
        organisation=actor.organisation,
        obj=membership,
    )
    return membership
