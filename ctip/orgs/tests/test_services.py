from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ctip.accounts.models import User
from ctip.audit.models import AuditEvent
from ctip.orgs import services
from ctip.orgs.models import Invitation, Membership
from ctip.orgs.roles import Role


@pytest.mark.django_db(transaction=True)
def test_adding_a_new_person_creates_the_account_and_mails_a_password_link(cast):
    membership = services.member_add(
        actor=cast.admin_a, email=" New.Person@Example.org ", full_name="New Person", roles=[Role.CASE_WORKER]
    )
    assert membership.organisation == cast.org_a
    assert membership.role_set == {Role.CASE_WORKER}
    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["user.create", "membership.create"]


@pytest.mark.django_db(transaction=True)
def test_adding_an_existing_account_only_invites_it_and_tells_the_person(cast):
    invitation = services.member_add(
        actor=cast.admin_a, email="Worker.B@example.org", full_name="", roles=[Role.VIEWER]
    )
    assert isinstance(invitation, Invitation)
    assert (invitation.user, invitation.organisation, invitation.roles) == (
        cast.case_worker_b.user,
        cast.org_a,
        ["viewer"],
    )
    assert Membership.objects.filter(user=cast.case_worker_b.user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["worker.b@example.org"]
    assert "/orgs/invitations/" in mail.outbox[0].body
    assert "/accounts/password/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_adding_someone_twice_names_the_field_and_changes_nothing(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.member_add(actor=cast.admin_a, email="worker.a@example.org", full_name="", roles=[Role.VIEWER])
    assert "email" in error.value.message_dict
    assert AuditEvent.objects.count() == before
    assert cast.case_worker_a.user.memberships.count() == 1


@pytest.mark.django_db
def test_unknown_or_no_roles_are_refused(cast):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.member_add(actor=cast.admin_a, email="x@example.org", full_name="X", roles=["god"])
    assert error.value.message_dict == {"roles": ["Unknown role: god"]}
    with pytest.raises(ValidationError):
        services.member_add(actor=cast.admin_a, email="x@example.org", full_name="X", roles=[])
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["case_worker_a", "viewer_a", "coordinator"])
def test_only_an_org_admin_adds_members(cast, who):
    with pytest.raises(PermissionDenied):
        services.member_add(actor=getattr(cast, who), email="x@example.org", full_name="X", roles=[Role.VIEWER])
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_an_org_admin_cannot_manage_another_organisations_members(cast):
    with pytest.raises(PermissionDenied):
        services.membership_set_roles(actor=cast.admin_a, membership=cast.case_worker_b, roles=[Role.VIEWER])
    with pytest.raises(PermissionDenied):
        services.membership_set_active(actor=cast.admin_a, membership=cast.case_worker_b, active=False)
    assert cast.case_worker_b.role_set == {Role.CASE_WORKER}


@pytest.mark.django_db
def test_setting_roles_replaces_them_and_audits_before_and_after(cast):
    updated = services.membership_set_roles(
        actor=cast.admin_a, membership=cast.case_worker_a, roles=[Role.SUPERVISOR, Role.CASE_WORKER]
    )
    assert updated.role_set == {Role.SUPERVISOR, Role.CASE_WORKER}
    event = AuditEvent.objects.get(action="membership.set_roles")
    assert event.details == {
        "before": ["case_worker"],
        "after": ["case_worker", "supervisor"],
        "granted": ["supervisor"],
        "revoked": [],
    }
    assert event.organisation == cast.org_a
    assert event.actor == cast.admin_a.user


@pytest.mark.django_db
def test_an_org_admin_changes_neither_their_own_roles_nor_their_own_membership(cast):
    with pytest.raises(PermissionDenied):
        services.membership_set_roles(actor=cast.admin_a, membership=cast.admin_a, roles=[Role.VIEWER])
    with pytest.raises(PermissionDenied):
        services.membership_set_active(actor=cast.admin_a, membership=cast.admin_a, active=False)
    assert Membership.objects.get(pk=cast.admin_a.pk).role_set == {Role.ORG_ADMIN}
    assert Membership.objects.get(pk=cast.admin_a.pk).is_active is True


@pytest.mark.django_db
def test_the_last_org_admin_cannot_be_demoted_or_deactivated_by_a_system_administrator(cast, system_admin):
    with pytest.raises(ValidationError) as error:
        services.membership_set_roles(by=system_admin, membership=cast.admin_a, roles=[Role.VIEWER])
    assert "roles" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.membership_set_active(by=system_admin, membership=cast.admin_a, active=False)
    second = services.member_add(actor=cast.admin_a, email="second@example.org", full_name="S", roles=[Role.ORG_ADMIN])
    services.membership_set_active(by=system_admin, membership=cast.admin_a, active=False)
    assert Membership.objects.get(pk=cast.admin_a.pk).is_active is False
    assert Membership.objects.get(pk=second.pk).is_active is True


@pytest.mark.django_db
def test_deactivating_and_reactivating_is_audited_once_each(cast):
    services.membership_set_active(actor=cast.admin_a, membership=cast.viewer_a, active=False)
    services.membership_set_active(actor=cast.admin_a, membership=cast.viewer_a, active=False)
    services.membership_set_active(actor=cast.admin_a, membership=cast.viewer_a, active=True)
    actions = list(AuditEvent.objects.filter(object_id=str(cast.viewer_a.pk)).values_list("action", flat=True))
    assert actions == ["membership.deactivate", "membership.activate"]


@pytest.fixture
def system_admin(db):
    return User.objects.create_superuser("root@example.org", "x", full_name="Root")
