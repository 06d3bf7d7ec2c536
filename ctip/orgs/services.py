"""Writes to organisations, memberships and invitations. Each one audits in its own transaction.

Giving and taking roles is checked here, whatever door it comes through (the members page, the admin site, the
demo, a command): the organisation must be one that may hold the role, and the granter one who may give it
(``access.memberships.grantable_roles``). Nobody changes their own roles. A refused grant is audited before the
refusal is raised, outside the write's transaction, so the attempt stays on record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.models import User, normalise_email
from ctip.accounts.services import user_create, user_send_password_setup
from ctip.audit.services import audit_record
from ctip.orgs import access
from ctip.orgs.models import Invitation, Membership, MembershipRole, Organisation
from ctip.orgs.roles import Role, roles_allowed_in
from ctip.orgs.tasks import send_invitation


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


def _label(role: str) -> str:
    return str(Role(role).label)


def grant_check(
    *,
    by: User | None,
    actor: Membership | None,
    organisation: Organisation,
    holder: User,
    before: Iterable[str],
    after: Iterable[str],
) -> None:
    """Refuse a change of roles the organisation may not hold or the granter may not make; audit a refusal.

    ``ValidationError`` (on ``roles``) for a role this kind of organisation cannot hold; ``PermissionDenied`` for
    a change that is not the granter's to make (their own roles, a national role, no right to give roles at all).
    """
    before_set, after_set = frozenset(before), frozenset(after)
    added, removed = after_set - before_set, before_set - after_set
    allowed = roles_allowed_in(organisation.code, organisation.org_type)
    misplaced = sorted(added - allowed)
    if misplaced:
        message = _("The role “%(role)s” cannot be held in %(org)s.")
        raise ValidationError({"roles": message % {"role": _label(misplaced[0]), "org": organisation.name}})
    granter = actor.user if actor is not None else by
    grantable = access.memberships.grantable_roles(by=by, actor=actor, organisation=organisation)
    # A role the organisation may no longer hold may be taken away by whoever manages the membership.
    beyond = sorted((added - grantable) | (removed - grantable - (removed - allowed)))
    if granter is not None and granter.pk == holder.pk and (added or removed):
        _refuse_grant(by, actor, organisation, holder, sorted(added | removed), "own_roles")
        raise PermissionDenied(_("Nobody can change their own roles; ask another administrator."))
    if beyond:
        _refuse_grant(by, actor, organisation, holder, beyond, "beyond_reach")
        raise PermissionDenied(
            _("Only a system administrator can give or take the role “%(role)s”.") % {"role": _label(beyond[0])}
        )


def _refuse_grant(
    by: User | None,
    actor: Membership | None,
    organisation: Organisation,
    holder: User,
    roles: list[str],
    why: str,
) -> None:
    with transaction.atomic():
        audit_record(
            action="membership.grant_refused",
            actor=actor.user if actor is not None else by,
            organisation=actor.organisation if actor is not None else None,
            details={"organisation": organisation.code, "user_id": holder.pk, "roles": roles, "why": why},
        )


def _insert_membership(
    *, by: User | None, acting: Organisation | None, user: User, organisation: Organisation, roles: list[str]
) -> Membership:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    membership = Membership.objects.create(user=user, organisation=organisation)
    MembershipRole.objects.bulk_create(MembershipRole(membership=membership, role=r) for r in roles)
    audit_record(
        action="membership.create",
        actor=by,
        organisation=acting,
        obj=membership,
        details={"organisation": organisation.code, "user_id": user.pk, "roles": roles, "granted": roles},
    )
    return membership


def membership_create(
    *,
    by: User | None,
    acting: Organisation | None,
    user: User,
    organisation: Organisation,
    roles: Iterable[str],
) -> Membership:
    """Tie a user to an organisation with roles, as a system administrator (admin site) or the system (``by=None``:
    the demo, commands run by the operator). Organisation administrators go through ``member_add``."""
    role_list = _clean_roles(roles)
    grant_check(by=by, actor=None, organisation=organisation, holder=user, before=(), after=role_list)
    with transaction.atomic():
        return _insert_membership(by=by, acting=acting, user=user, organisation=organisation, roles=role_list)


def member_add(*, actor: Membership, email: str, full_name: str, roles: Iterable[str]) -> Membership | Invitation:
    """Add a person to the actor's organisation.

    A new account is created and mailed a link to set its password. An existing account is only invited: the
    person becomes a member when they accept, so nobody is attached to an organisation without knowing.
    """
    if not access.memberships.can(actor, "add"):
        raise PermissionDenied
    role_list = _clean_roles(roles)
    email = normalise_email(email)
    user = User.objects.filter(email=email).first()
    holder = user or User(email=email)
    grant_check(by=None, actor=actor, organisation=actor.organisation, holder=holder, before=(), after=role_list)
    with transaction.atomic():
        if user is not None:
            return _invite(actor=actor, user=user, roles=role_list)
        user = user_create(by=actor.user, email=email, full_name=full_name, password=None)
        membership = _insert_membership(
            by=actor.user, acting=actor.organisation, user=user, organisation=actor.organisation, roles=role_list
        )
        user_send_password_setup(user=user)
        return membership


def _invite(*, actor: Membership, user: User, roles: list[str]) -> Invitation:
    organisation = actor.organisation
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    if Invitation.objects.filter(user=user, organisation=organisation, status=Invitation.Status.PENDING).exists():
        raise ValidationError({"email": _("This person has already been invited and has not answered yet.")})
    invitation = Invitation.objects.create(organisation=organisation, user=user, roles=roles, invited_by=actor.user)
    audit_record(
        action="invitation.create",
        actor=actor.user,
        organisation=organisation,
        obj=invitation,
        details={"user_id": user.pk, "roles": roles},
    )
    invitation_id, base = invitation.pk, settings.CTIP_BASE_URL.rstrip("/")
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id=invitation_id, base_url=base))
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    """The invited person joins with the roles offered, if the organisation may still hold them."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if not access.invitations.can_answer(user, invitation):
        raise PermissionDenied
    organisation = invitation.organisation
    if not organisation.is_active:
        raise ValidationError(_("This organisation is no longer active."))
    allowed = roles_allowed_in(organisation.code, organisation.org_type)
    roles = sorted(r for r in invitation.roles if r in allowed)
    if not roles:
        raise ValidationError(_("None of the roles offered can be held in this organisation any more."))
    _answer(invitation, Invitation.Status.ACCEPTED, user)
    return _insert_membership(by=user, acting=organisation, user=user, organisation=organisation, roles=roles)


@transaction.atomic
def invitation_decline(*, user: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not access.invitations.can_answer(user, invitation):
        raise PermissionDenied
    return _answer(invitation, Invitation.Status.DECLINED, user)


@transaction.atomic
def invitation_withdraw(*, actor: Membership, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not access.invitations.can(actor, "withdraw", invitation):
        raise PermissionDenied
    return _answer(invitation, Invitation.Status.WITHDRAWN, actor.user, acting=actor.organisation)


def _answer(invitation: Invitation, status: str, by: User, *, acting: Organisation | None = None) -> Invitation:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    audit_record(
        action=f"invitation.{status}",
        actor=by,
        organisation=acting or invitation.organisation,
        obj=invitation,
        details={"user_id": invitation.user_id},
    )
    return invitation


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


def _check_manager(actor: Membership | None, by: User | None, membership: Membership) -> None:
    """An organisation administrator manages the other members of their organisation; a system administrator any."""
    if actor is not None:
        if not access.memberships.can(actor, "manage", membership):
            raise PermissionDenied
    elif not access.is_system_administrator(by) or (by is not None and by.pk == membership.user_id):
        raise PermissionDenied


def membership_set_roles(
    *,
    actor: Membership | None = None,
    by: User | None = None,
    membership: Membership,
    roles: Iterable[str],
) -> Membership:
    """Replace a membership's roles, as an organisation administrator (``actor``) or a system administrator (``by``)."""
    role_list = _clean_roles(roles)
    membership = (
        Membership.objects.select_related("organisation", "user").prefetch_related("roles").get(pk=membership.pk)
    )
    _check_manager(actor, by, membership)
    grant_check(
        by=by,
        actor=actor,
        organisation=membership.organisation,
        holder=membership.user,
        before=membership.role_set,
        after=role_list,
    )
    return _set_roles(actor=actor, by=by, membership=membership, role_list=role_list)


@transaction.atomic
def _set_roles(
    *, actor: Membership | None, by: User | None, membership: Membership, role_list: list[str]
) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    before = sorted(membership.role_set)
    if before != role_list:  # re-checked under the lock: the roles may have changed since the first check
        grant_check(
            by=by,
            actor=actor,
            organisation=membership.organisation,
            holder=membership.user,
            before=before,
            after=role_list,
        )
    _assert_keeps_an_admin(membership, stays_admin=Role.ORG_ADMIN in role_list or not membership.is_active)
    MembershipRole.objects.filter(membership=membership).exclude(role__in=role_list).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in role_list if r not in before]
    )
    audit_record(
        action="membership.set_roles",
        actor=actor.user if actor is not None else by,
        organisation=actor.organisation if actor is not None else None,
        obj=membership,
        details={
            "before": before,
            "after": role_list,
            "granted": sorted(set(role_list) - set(before)),
            "revoked": sorted(set(before) - set(role_list)),
        },
    )
    return Membership.objects.prefetch_related("roles").get(pk=membership.pk)


@transaction.atomic
def membership_set_active(
    *, actor: Membership | None = None, by: User | None = None, membership: Membership, active: bool
) -> Membership:
    _check_manager(actor, by, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active == active:
        return membership
    if not active:
        _assert_keeps_an_admin(membership, stays_admin=False)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    audit_record(
        action="membership.activate" if active else "membership.deactivate",
        actor=actor.user if actor is not None else by,
        organisation=actor.organisation if actor is not None else None,
        obj=membership,
    )
    return membership
