from __future__ import annotations

import pytest

from ctip.audit import access
from ctip.audit.models import AuditEvent
from ctip.orgs.roles import Role
from ctip.testing import member

pytestmark = pytest.mark.django_db


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_a_coordinator_sees_every_event(cast, trail):
    assert _ids(access.events.visible(cast.coordinator, "view")) == sorted(e.pk for e in trail)


@pytest.mark.parametrize(("who", "org"), [("admin_a", "org_a"), ("admin_b", "org_b")])
def test_an_org_admin_sees_only_the_events_done_for_their_organisation(cast, trail, who, org):
    expected = sorted(e.pk for e in trail if e.organisation_id == getattr(cast, org).pk)
    assert len(expected) in (1, 2)
    assert _ids(access.events.visible(getattr(cast, who), "view")) == expected


@pytest.mark.parametrize("who", ["case_worker_a", "viewer_a", "case_worker_b"])
def test_other_members_see_nothing(cast, trail, who):
    assert _ids(access.events.visible(getattr(cast, who), "view")) == []


def test_nobody_acting_sees_nothing(trail):
    assert _ids(access.events.visible(None, "view")) == []


@pytest.mark.parametrize("action", ["change", "delete", "add"])
def test_nobody_may_change_the_trail_not_even_a_coordinator(cast, trail, action):
    assert _ids(access.events.visible(cast.coordinator, action)) == []
    assert [access.events.can(cast.coordinator, action, e) for e in trail] == [False] * 5
    assert [access.events.can(cast.admin_a, action, e) for e in trail] == [False] * 5


def test_can_view_follows_visible(cast, trail):
    for who in ["coordinator", "admin_a", "admin_b", "case_worker_a", "viewer_a", "case_worker_b"]:
        actor = getattr(cast, who)
        visible = set(access.events.visible(actor, "view").values_list("pk", flat=True))
        assert {e.pk for e in trail if access.events.can(actor, "view", e)} == visible, who
    assert [access.events.can(None, "view", e) for e in trail] == [False] * 5


def test_an_org_admin_cannot_view_an_event_without_an_organisation(cast, trail):
    unattached = [e for e in trail if e.organisation_id is None]
    assert len(unattached) == 2
    assert [access.events.can(cast.admin_a, "view", e) for e in unattached] == [False, False]
    assert [access.events.can(cast.coordinator, "view", e) for e in unattached] == [True, True]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", True),
        ("admin_a", True),
        ("admin_b", True),
        ("case_worker_a", False),
        ("viewer_a", False),
        ("case_worker_b", False),
    ],
)
def test_only_coordinators_and_org_admins_may_browse(cast, who, expected):
    assert access.events.can(getattr(cast, who), "list") is expected


def test_nobody_acting_may_not_browse():
    assert access.events.can(None, "list") is False


def test_a_coordinator_who_is_also_an_org_admin_sees_everything(cast, trail):
    both = member(cast.org_a, Role.ORG_ADMIN, Role.COORDINATOR)
    assert _ids(access.events.visible(both, "view")) == sorted(e.pk for e in trail)
    assert AuditEvent.objects.count() == 5
