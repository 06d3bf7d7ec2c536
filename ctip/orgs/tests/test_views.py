from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ctip.audit.models import AuditEvent
from ctip.conftest import logged_in
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.testing import member


@pytest.mark.django_db
def test_members_page_lists_only_the_own_organisation(cast, as_member):
    response = as_member(cast.admin_a).get("/orgs/members/")
    assert response.status_code == 200
    emails = [m.user.email for m in response.context["members"]]
    assert sorted(emails) == ["admin.a@example.org", "viewer.a@example.org", "worker.a@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["case_worker_a", "viewer_a", "coordinator"])
def test_members_page_is_403_without_the_org_admin_role(cast, as_member, who):
    assert as_member(getattr(cast, who)).get("/orgs/members/").status_code == 403


@pytest.mark.django_db
def test_members_page_query_count_does_not_grow_with_members(cast, as_member):
    client = as_member(cast.admin_a)
    client.get("/orgs/members/")
    with CaptureQueriesContext(connection) as few:
        client.get("/orgs/members/")
    for n in range(5):
        member(cast.org_a, Role.VIEWER, email=f"extra{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        client.get("/orgs/members/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_add_form_names_the_field_in_error_and_changes_nothing(cast, as_member):
    before = Membership.objects.count()
    response = as_member(cast.admin_a).post(
        "/orgs/members/add/",
        {"email": "not-an-email", "full_name": "", "roles": []},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "full_name", "roles"}
    assert Membership.objects.count() == before


@pytest.mark.django_db
def test_adding_a_duplicate_member_shows_the_error_on_the_email_field(cast, as_member):
    response = as_member(cast.admin_a).post(
        "/orgs/members/add/", {"email": "viewer.a@example.org", "full_name": "V", "roles": ["viewer"]}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]


@pytest.mark.django_db
def test_an_org_admin_edits_roles_through_the_page(cast, as_member):
    client = as_member(cast.admin_a)
    response = client.post(f"/orgs/members/{cast.viewer_a.pk}/", {"roles": ["analyst", "viewer"]})
    assert response.status_code == 302
    assert Membership.objects.get(pk=cast.viewer_a.pk).role_set == {"analyst", "viewer"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/orgs/members/{pk}/", "/orgs/members/{pk}/active/"])
def test_another_organisations_member_is_a_404_like_a_missing_one(cast, as_member, path):
    client = as_member(cast.admin_a)
    other = client.post(path.format(pk=cast.case_worker_b.pk), {"roles": ["viewer"], "active": "0"})
    missing = client.post(path.format(pk=999999), {"roles": ["viewer"], "active": "0"})
    assert other.status_code == missing.status_code == 404
    assert Membership.objects.get(pk=cast.case_worker_b.pk).is_active
    assert Membership.objects.get(pk=cast.case_worker_b.pk).role_set == {"case_worker"}


@pytest.mark.django_db
def test_a_deactivated_member_loses_access_at_once(cast, as_member):
    client = as_member(cast.viewer_a)
    assert client.get("/orgs/").status_code == 200
    as_member(cast.admin_a).post(f"/orgs/members/{cast.viewer_a.pk}/active/", {"active": "0"})
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/organisation/")


@pytest.mark.django_db
def test_a_user_with_several_memberships_must_choose_and_the_choice_is_shown(cast):
    second = member(cast.org_b, Role.VIEWER, user=cast.case_worker_a.user)
    client = logged_in(cast.case_worker_a.user)
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/organisation/?next=%2Forgs%2F"
    picked = client.post("/accounts/organisation/", {"membership": second.pk, "next": "/orgs/"})
    assert picked["Location"] == "/orgs/"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["acting"] == second
    assert "Police B" in page.content.decode()
    assert AuditEvent.objects.filter(action="session.switch_organisation").count() == 1


@pytest.mark.django_db
def test_switching_organisation_changes_what_the_user_acts_as(cast):
    second = member(cast.org_b, Role.ORG_ADMIN, user=cast.case_worker_a.user)
    client = logged_in(cast.case_worker_a.user)
    client.post("/accounts/organisation/", {"membership": cast.case_worker_a.pk})
    assert client.get("/orgs/members/").status_code == 403
    client.post("/accounts/organisation/", {"membership": second.pk})
    response = client.get("/orgs/members/")
    assert response.status_code == 200
    assert {m.organisation_id for m in response.context["members"]} == {cast.org_b.pk}


@pytest.mark.django_db
def test_nobody_can_pick_someone_elses_membership(cast):
    client = logged_in(cast.case_worker_a.user)
    response = client.post("/accounts/organisation/", {"membership": cast.admin_b.pk, "next": "/"})
    assert response.status_code == 200
    assert "membership" in response.context["form"].errors
    assert client.session.get("ctip.membership_id") == cast.case_worker_a.pk


@pytest.mark.django_db
def test_a_user_without_membership_is_told_so(db):
    from ctip.testing import UserFactory

    client = Client()
    client.force_login(UserFactory())
    response = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not an active member of any organisation" in response.content.decode()


@pytest.mark.django_db
def test_a_deactivated_organisation_stops_its_members(cast, as_member):
    client = as_member(cast.case_worker_b)
    cast.org_b.is_active = False
    cast.org_b.save()
    assert client.get("/orgs/").status_code == 302
