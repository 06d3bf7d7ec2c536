"""An existing account joins another organisation only by accepting its invitation (pages and mail)."""

from __future__ import annotations

import pytest
from django.core import mail

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.orgs.models import Invitation, Membership
from ctip.orgs.roles import Role


def _invite(cast, roles=("viewer", "analyst")):
    response = client_for(cast.admin_a).post(
        "/orgs/members/add/", {"email": "WORKER.B@example.org", "full_name": "Ignored", "roles": list(roles)}
    )
    assert response.status_code == 302
    return Invitation.objects.get(user=cast.case_worker_b.user, organisation=cast.org_a)


@pytest.mark.django_db(transaction=True)
def test_the_invited_person_is_told_and_nothing_binds_them_until_they_accept(cast):
    response = client_for(cast.admin_a).post(
        "/orgs/members/add/",
        {"email": "worker.b@example.org", "full_name": "Ignored", "roles": ["viewer", "analyst"]},
        follow=True,
    )
    assert "worker.b@example.org already has an account: they were invited" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.roles == ["analyst", "viewer"]
    assert not Membership.objects.filter(user=cast.case_worker_b.user, organisation=cast.org_a).exists()
    assert [m.to for m in mail.outbox] == [["worker.b@example.org"]]
    assert "http://127.0.0.1:8000/orgs/invitations/" in mail.outbox[0].body
    created = AuditEvent.objects.get(action="invitation.create")
    assert (created.actor, created.organisation, created.details) == (
        cast.admin_a.user,
        cast.org_a,
        {"user_id": cast.case_worker_b.user.pk, "roles": ["analyst", "viewer"]},
    )


@pytest.mark.django_db
def test_the_home_page_points_the_person_to_the_invitation_and_accepting_makes_them_a_member(cast):
    invitation = _invite(cast)
    person = client_for(cast.case_worker_b)
    home = person.get("/").content.decode()
    assert 'href="/orgs/invitations/"' in home
    page = person.get("/orgs/invitations/")
    assert list(page.context["invitations"]) == [invitation]
    response = person.post(f"/orgs/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302
    joined = Membership.objects.get(user=cast.case_worker_b.user, organisation=cast.org_a)
    assert joined.role_set == {Role.VIEWER, Role.ANALYST}
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert actions == ["membership.create", "invitation.accepted"]
    event = AuditEvent.objects.get(action="membership.create", object_id=str(joined.pk))
    assert (event.actor, event.details["granted"]) == (cast.case_worker_b.user, ["analyst", "viewer"])
    # Answered once: a second answer finds nothing.
    assert person.post(f"/orgs/invitations/{invitation.pk}/decline/").status_code == 404


@pytest.mark.django_db
def test_declining_leaves_no_membership(cast):
    invitation = _invite(cast)
    person = client_for(cast.case_worker_b)
    assert person.post(f"/orgs/invitations/{invitation.pk}/decline/").status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=cast.case_worker_b.user, organisation=cast.org_a).exists()
    assert AuditEvent.objects.filter(action="invitation.declined", actor=cast.case_worker_b.user).count() == 1


@pytest.mark.django_db
def test_only_the_invited_person_answers_and_a_refusal_is_audited(cast):
    invitation = _invite(cast)
    for stranger in (cast.admin_a, cast.admin_b, cast.viewer_a):
        before = AuditEvent.objects.filter(action="access.denied").count()
        assert client_for(stranger).post(f"/orgs/invitations/{invitation.pk}/accept/").status_code == 404
        denial = AuditEvent.objects.filter(action="access.denied").latest("id")
        assert AuditEvent.objects.filter(action="access.denied").count() == before + 1
        assert (denial.actor, denial.details["model"], denial.details["object_id"]) == (
            stranger.user,
            "orgs.invitation",
            str(invitation.pk),
        )
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=cast.case_worker_b.user, organisation=cast.org_a).exists()


@pytest.mark.django_db
def test_the_administrator_sees_and_withdraws_a_waiting_invitation(cast):
    invitation = _invite(cast)
    admin = client_for(cast.admin_a)
    page = admin.get("/orgs/members/")
    assert list(page.context["invitations"]) == [invitation]
    assert admin.post(f"/orgs/members/invitations/{invitation.pk}/withdraw/").status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.WITHDRAWN
    assert list(admin.get("/orgs/members/").context["invitations"]) == []
    assert client_for(cast.case_worker_b).post(f"/orgs/invitations/{invitation.pk}/accept/").status_code == 404


@pytest.mark.django_db
def test_inviting_twice_or_inviting_a_member_names_the_email_field(cast):
    _invite(cast)
    admin = client_for(cast.admin_a)
    again = admin.post("/orgs/members/add/", {"email": "worker.b@example.org", "full_name": "B", "roles": ["viewer"]})
    assert again.status_code == 200
    assert again.context["form"].errors["email"] == ["This person has already been invited and has not answered yet."]
    member = admin.post("/orgs/members/add/", {"email": "viewer.a@example.org", "full_name": "V", "roles": ["viewer"]})
    assert member.context["form"].errors["email"] == ["This person is already a member of the organisation."]
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_a_person_without_any_membership_can_still_answer(cast):
    invitation = _invite(cast)
    Membership.objects.filter(pk=cast.case_worker_b.pk).update(is_active=False)
    person = client_for(cast.case_worker_b)
    picker = person.get("/accounts/organisation/")
    assert picker.status_code == 403
    assert 'href="/orgs/invitations/"' in picker.content.decode()
    assert person.post(f"/orgs/invitations/{invitation.pk}/accept/").status_code == 302
    assert Membership.objects.get(user=cast.case_worker_b.user, organisation=cast.org_a).is_active


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "subject"), [("ru", "Приглашение"), ("ky", "чакыруу"), ("en", "Invitation")])
def test_the_invitation_mail_is_in_the_persons_language(cast, language, subject, django_capture_on_commit_callbacks):
    user = cast.case_worker_b.user
    user.language = language
    user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(cast)
    assert len(mail.outbox) == 1
    assert subject.lower() in mail.outbox[0].subject.lower()
