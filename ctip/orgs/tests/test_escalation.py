"""Role escalation: every role tries to give itself or others more than it may, through every door.

The doors are the members page, the API, the admin site and the command line; the service behind them decides,
so each attempt must be refused and must change nothing — memberships, roles and invitations stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for, logged_in
from ctip.orgs.models import Invitation, Membership, MembershipRole, Organisation, OrgType
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, UserFactory, member

# Where each role may be held (see ctip.orgs.roles): the shelter is an NGO, the police law enforcement, the
# ministry the designated coordinating body, the donor a donor.
HOME_OF = {
    Role.COORDINATOR: "ministry",
    Role.ORG_ADMIN: "shelter",
    Role.CASE_WORKER: "shelter",
    Role.SUPERVISOR: "shelter",
    Role.INVESTIGATOR: "police",
    Role.PROSECUTOR: "police",
    Role.ANALYST: "ministry",
    Role.PARTNER: "donor",
    Role.VIEWER: "donor",
}


@pytest.fixture
def world(db, settings) -> dict[str, Any]:
    settings.CTIP_COORDINATING_BODIES = ["ministry"]
    orgs = {
        "shelter": OrganisationFactory(code="shelter", org_type=OrgType.NGO),
        "police": OrganisationFactory(code="police", org_type=OrgType.LAW_ENFORCEMENT),
        "ministry": OrganisationFactory(code="ministry", org_type=OrgType.CENTRAL_GOVERNMENT),
        "donor": OrganisationFactory(code="donor", org_type=OrgType.DONOR),
    }
    holders = {role: member(orgs[HOME_OF[role]], role, email=f"{role}@example.org") for role in Role.values}
    # Every organisation has an administrator and a plain colleague the holder might try to promote.
    admins = {code: member(org, Role.ORG_ADMIN, email=f"admin.{code}@example.org") for code, org in orgs.items()}
    colleagues = {code: member(org, Role.VIEWER, email=f"colleague.{code}@example.org") for code, org in orgs.items()}
    return {"orgs": orgs, "holders": holders, "admins": admins, "colleagues": colleagues}


def _state() -> tuple[Any, ...]:
    return (
        sorted(Membership.objects.values_list("pk", "user_id", "organisation_id", "is_active")),
        sorted(MembershipRole.objects.values_list("membership_id", "role")),
        sorted(Invitation.objects.values_list("pk", "status")),
    )


def _wanted(holder: Membership) -> list[str]:
    """Everything a greedy member would like: the coordinator's reach and the identity roles."""
    return [Role.COORDINATOR, Role.ORG_ADMIN, Role.SUPERVISOR, Role.CASE_WORKER, Role.INVESTIGATOR]


@pytest.mark.parametrize("role", Role.values)
def test_no_role_gives_itself_more_on_the_members_page(world, role):
    holder = world["holders"][role]
    client = client_for(holder)
    before = _state()
    response = client.post(f"/orgs/members/{holder.pk}/", {"roles": _wanted(holder)})
    # Nobody manages their own membership: 403 for an org admin (who may manage the others), else 403 as well.
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("role", Role.values)
def test_no_role_gives_a_colleague_a_national_role_or_one_the_organisation_cannot_hold(world, role):
    holder = world["holders"][role]
    colleague = world["colleagues"][HOME_OF[role]]
    client = client_for(holder)
    before = _state()
    response = client.post(f"/orgs/members/{colleague.pk}/", {"roles": _wanted(holder)})
    if role == Role.ORG_ADMIN:
        # The form offers only what the administrator may give: the rest is an error on the roles field.
        assert response.status_code == 200
        assert "roles" in response.context["form"].errors
    else:
        assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("role", Role.values)
def test_no_role_adds_a_new_member_with_a_national_role(world, role):
    holder = world["holders"][role]
    before = _state()
    response = client_for(holder).post(
        "/orgs/members/add/", {"email": "new@example.org", "full_name": "New", "roles": [Role.COORDINATOR]}
    )
    assert response.status_code == (200 if role == Role.ORG_ADMIN else 403)
    assert _state() == before
    assert not Membership.objects.filter(user__email="new@example.org").exists()


@pytest.mark.parametrize("role", Role.values)
def test_no_role_attaches_an_existing_account_of_another_organisation(world, role):
    holder = world["holders"][role]
    outsider = world["colleagues"]["police" if HOME_OF[role] != "police" else "shelter"].user
    before_memberships = sorted(Membership.objects.values_list("pk", "user_id", "organisation_id"))
    client_for(holder).post("/orgs/members/add/", {"email": outsider.email, "full_name": "X", "roles": ["viewer"]})
    # At most an invitation (for an org admin); never a membership the person did not accept.
    assert sorted(Membership.objects.values_list("pk", "user_id", "organisation_id")) == before_memberships
    expected = 1 if role == Role.ORG_ADMIN else 0
    assert Invitation.objects.filter(user=outsider, status=Invitation.Status.PENDING).count() == expected


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_gives_no_way_to_change_memberships(world, role, method):
    from ctip.accounts.services import token_issue

    holder = world["holders"][role]
    _, token = token_issue(by=None, membership_id=holder.pk)
    client = client_for(holder)
    before = _state()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"roles": _wanted(holder), "organisation": "ministry", "email": holder.user.email}
    url = "/api/v1/memberships/" if method == "post" else f"/api/v1/memberships/{holder.pk}/"
    response = getattr(client, method)(url, body, content_type="application/json", headers=headers)
    assert response.status_code in {403, 405}, response.content
    assert _state() == before


@pytest.mark.parametrize("role", Role.values)
def test_members_cannot_use_the_admin_site_to_change_roles(world, role):
    holder = world["holders"][role]
    client = client_for(holder)
    before = _state()
    response = client.post(
        f"/admin/orgs/membership/{holder.pk}/change/", {"is_active": "on", "roles": [Role.COORDINATOR]}
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert _state() == before


@pytest.mark.parametrize("role", Role.values)
def test_a_command_acts_only_for_an_organisation_the_person_belongs_to(world, role, tmp_path):
    holder = world["holders"][role]
    other = "ministry" if HOME_OF[role] != "ministry" else "police"
    before = _state()
    with pytest.raises(CommandError, match="is not a member"):
        call_command("issue_token", user=holder.user.email, org=other, stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    assert _state() == before


# --- The rules behind the doors ------------------------------------------------------------------------------------


def _admin_client(admin):
    return logged_in(admin)


@pytest.fixture
def root(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


def _admin_change(client, membership: Membership, roles: list[str], active: bool = True):
    data: dict[str, Any] = {"roles": roles}
    if active:
        data["is_active"] = "on"
    return client.post(f"/admin/orgs/membership/{membership.pk}/change/", data)


def test_a_system_administrator_gives_the_coordinator_role_only_in_the_designated_body(world, root):
    client = _admin_client(root)
    analyst = world["holders"][Role.ANALYST]  # in the ministry
    response = _admin_change(client, analyst, [Role.ANALYST, Role.COORDINATOR])
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.get(pk=analyst.pk).role_set == {Role.ANALYST, Role.COORDINATOR}
    event = AuditEvent.objects.filter(action="membership.set_roles").latest("id")
    assert (event.actor, event.details["granted"], event.details["revoked"]) == (root, ["coordinator"], [])

    colleague = world["colleagues"]["shelter"]
    before = _state()
    response = _admin_change(client, colleague, [Role.VIEWER, Role.COORDINATOR])
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["roles"] == [
        "The role “National coordinator” cannot be held in Organisation shelter."
    ]
    assert _state() == before


def test_a_system_administrator_cannot_change_their_own_roles(world, root):
    own = member(world["orgs"]["ministry"], Role.ANALYST, user=root)
    before = _state()
    response = _admin_change(_admin_client(root), own, [Role.ANALYST, Role.COORDINATOR])
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["roles"] == [
        "Nobody can change their own roles; ask another administrator."
    ]
    assert _state() == before
    refused = AuditEvent.objects.get(action="membership.grant_refused")
    assert refused.actor == root
    assert refused.details == {
        "organisation": "ministry",
        "user_id": root.pk,
        "roles": ["coordinator"],
        "why": "own_roles",
    }


def test_investigators_only_in_law_enforcement_even_for_a_system_administrator(world, root):
    client = _admin_client(root)
    response = client.post(
        "/admin/orgs/membership/add/",
        {
            "user": UserFactory().pk,
            "organisation": world["orgs"]["shelter"].pk,
            "is_active": "on",
            "roles": ["investigator"],
        },
    )
    assert response.status_code == 200
    assert "roles" in response.context["adminform"].form.errors
    response = client.post(
        "/admin/orgs/membership/add/",
        {
            "user": UserFactory(email="new.cop@example.org").pk,
            "organisation": world["orgs"]["police"].pk,
            "is_active": "on",
            "roles": ["investigator"],
        },
    )
    assert response.status_code == 302
    created = Membership.objects.get(user__email="new.cop@example.org")
    assert created.role_set == {Role.INVESTIGATOR}
    event = AuditEvent.objects.get(action="membership.create", object_id=str(created.pk))
    assert (event.actor, event.details["granted"]) == (root, ["investigator"])


def test_the_admin_site_cannot_move_a_membership_to_another_organisation(world, root):
    colleague = world["colleagues"]["shelter"]
    client = _admin_client(root)
    client.post(
        f"/admin/orgs/membership/{colleague.pk}/change/",
        {"organisation": world["orgs"]["ministry"].pk, "user": root.pk, "is_active": "on", "roles": ["viewer"]},
    )
    moved = Membership.objects.get(pk=colleague.pk)
    assert (moved.organisation.code, moved.user_id) == ("shelter", colleague.user_id)


def test_an_org_admins_forged_grant_is_refused_by_the_service_and_audited(world):
    from django.core.exceptions import PermissionDenied

    from ctip.orgs import services

    admin = world["admins"]["ministry"]  # the ministry may hold the coordinator role, but not from its own admin
    colleague = world["colleagues"]["ministry"]
    before = _state()
    with pytest.raises(PermissionDenied, match="Only a system administrator"):
        services.membership_set_roles(actor=admin, membership=colleague, roles=[Role.VIEWER, Role.COORDINATOR])
    assert _state() == before
    refused = AuditEvent.objects.get(action="membership.grant_refused")
    assert (refused.actor, refused.organisation, refused.details["roles"], refused.details["why"]) == (
        admin.user,
        world["orgs"]["ministry"],
        ["coordinator"],
        "beyond_reach",
    )


def test_an_org_admin_keeps_a_national_role_they_cannot_give_when_editing_other_roles(world, root):
    coordinator = world["holders"][Role.COORDINATOR]
    admin = world["admins"]["ministry"]
    client = client_for(admin)
    page = client.get(f"/orgs/members/{coordinator.pk}/")
    assert [value for value, _label in page.context["form"].fields["roles"].choices] == [
        "org_admin",
        "case_worker",
        "supervisor",
        "analyst",
        "viewer",
    ]
    response = client.post(f"/orgs/members/{coordinator.pk}/", {"roles": [Role.ANALYST]})
    assert response.status_code == 302
    assert Membership.objects.get(pk=coordinator.pk).role_set == {Role.COORDINATOR, Role.ANALYST}


def test_the_members_page_offers_no_link_to_edit_ones_own_roles(world):
    admin = world["admins"]["shelter"]
    page = client_for(admin).get("/orgs/members/").content.decode()
    assert f'href="/orgs/members/{admin.pk}/"' not in page
    assert f'href="/orgs/members/{world["colleagues"]["shelter"].pk}/"' in page


def test_a_coordinator_role_given_before_the_rules_is_not_offered_by_the_roles_of_an_ngo(world):
    """The shelter's own choices never include the coordinator or the police roles."""
    admin = world["admins"]["shelter"]
    page = client_for(admin).get("/orgs/members/add/")
    assert [value for value, _label in page.context["form"].fields["roles"].choices] == [
        "org_admin",
        "case_worker",
        "supervisor",
        "analyst",
        "partner",
        "viewer",
    ]


def test_an_organisation_without_designation_has_no_coordinator_role_to_give(world, root, settings):
    settings.CTIP_COORDINATING_BODIES = []
    analyst = world["holders"][Role.ANALYST]
    response = _admin_change(_admin_client(root), analyst, [Role.ANALYST, Role.COORDINATOR])
    assert response.status_code == 200
    assert Membership.objects.get(pk=analyst.pk).role_set == {Role.ANALYST}
    assert Organisation.objects.filter(code="ministry").exists()
