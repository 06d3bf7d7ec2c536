from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, member

pytestmark = pytest.mark.django_db

URL = "/audit/"


def _shown(response) -> list[int]:
    return [event.pk for event in response.context["page"]]


def _newest_first(queryset) -> list[int]:
    return list(queryset.order_by("-id").values_list("pk", flat=True))


def _changes() -> int:
    """Count the events that are not records of access itself (logging in, the second factor)."""
    return AuditEvent.objects.exclude(action__startswith="auth.").exclude(action__startswith="mfa.").count()


# --- Access matrix --------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(trail):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/"


@pytest.mark.parametrize("who", ["viewer_a", "case_worker_a", "case_worker_b"])
def test_a_member_without_the_role_gets_403_and_nothing_changes(cast, trail, as_member, who):
    client = as_member(getattr(cast, who))
    before = _changes()
    response = client.get(URL)
    assert response.status_code == 403
    assert "page" not in response.context
    assert _changes() == before == 3


@pytest.mark.parametrize(("who", "org"), [("admin_a", "org_a"), ("admin_b", "org_b")])
def test_an_org_admin_sees_only_their_organisations_events(cast, trail, as_member, who, org):
    client = as_member(getattr(cast, who))
    response = client.get(URL)
    assert response.status_code == 200
    expected = _newest_first(AuditEvent.objects.filter(organisation=getattr(cast, org)))
    assert expected == [e.pk for e in reversed(trail) if e.organisation_id == getattr(cast, org).pk]
    assert _shown(response) == expected
    assert _changes() == 3


def test_a_coordinator_sees_every_event_newest_first(cast, trail, as_member):
    client = as_member(cast.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    shown = _shown(response)
    assert shown == _newest_first(AuditEvent.objects.all())
    assert set(shown) >= {e.pk for e in trail}  # and the coordinator's own login


def test_an_org_admins_filters_stay_inside_their_organisation(cast, trail, as_member):
    response = as_member(cast.admin_a).get(URL, {"action": "membership.set_roles"})
    assert trail[3].action == "membership.set_roles"
    assert _shown(response) == []


def test_only_get_is_answered(cast, as_member):
    assert as_member(cast.coordinator).post(URL, {}).status_code == 405


# --- What the page shows ---------------------------------------------------------------------------------------


def test_a_row_shows_time_in_the_deployment_time_zone_actor_org_action_object_reason_and_request(
    cast, as_member, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: dt.datetime(2025, 3, 1, 18, 30, 5, tzinfo=dt.UTC))
        event = audit_record(
            action="membership.set_roles",
            actor=cast.admin_a.user,
            organisation=cast.org_a,
            obj=cast.viewer_a,
            reason="wrong role",
        )
    client = as_member(cast.admin_a)
    body = client.get(URL, {"action": "membership.set_roles"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
    cells = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == [
        "2025-03-02 00:30:05",  # Asia/Bishkek is UTC+6
        "admin.a@example.org",
        "shelter-a",
        "membership.set_roles",
        f"orgs.membership #{cast.viewer_a.pk}",
        "wrong role",
        event.request_id,
    ]
    assert '<time datetime="2025-03-02T00:30:05+06:00">' in row
    assert '<th scope="col">Time (Asia/Bishkek)</th>' in body


def test_the_page_is_accessible_a_captioned_table_and_labelled_filters(cast, trail, as_member):
    body = as_member(cast.coordinator).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<caption>" in body
    assert "Events, newest first: page 1 of 1" in body
    assert body.count('<th scope="col">') == 7
    for name in ["action", "date_from", "date_to", "actor"]:
        assert f'<label for="id_{name}">' in body
        assert f'id="id_{name}"' in body
    assert 'type="date"' in body


def test_an_event_without_actor_or_organisation_shows_system_and_a_dash(cast, as_member):
    audit_record(action="system.job")
    body = as_member(cast.coordinator).get(URL, {"action": "system.job"}, HTTP_ACCEPT_LANGUAGE="en")
    row = re.search(r"<tbody>(.*?)</tbody>", body.content.decode(), re.S).group(1)
    assert "system" in row
    assert "<td>—</td>" in row


# --- Filters ----------------------------------------------------------------------------------------------------


def test_filtering_by_exact_action(cast, trail, as_member):
    response = as_member(cast.coordinator).get(URL, {"action": "auth.login"})
    assert _shown(response) == _newest_first(AuditEvent.objects.filter(action="auth.login"))
    assert trail[2].pk in _shown(response)
    assert {e.action for e in response.context["page"]} == {"auth.login"}


def test_filtering_by_action_prefix(cast, trail, as_member):
    response = as_member(cast.coordinator).get(URL, {"action": "membership.*"})
    assert _shown(response) == [trail[3].pk, trail[1].pk]


def test_filtering_by_actor_email_ignores_case(cast, trail, as_member):
    response = as_member(cast.coordinator).get(URL, {"actor": "Worker.B@Example.org"})
    assert _shown(response) == _newest_first(AuditEvent.objects.filter(actor=cast.case_worker_b.user))
    assert _shown(response) == [trail[4].pk, trail[2].pk]


def test_filtering_by_days_in_the_deployment_time_zone(cast, as_member, monkeypatch):
    times = [
        dt.datetime(2025, 3, 1, 17, 59, 59, tzinfo=dt.UTC),  # 1 March 23:59:59 in Bishkek
        dt.datetime(2025, 3, 1, 18, 0, 0, tzinfo=dt.UTC),  # 2 March 00:00:00
        dt.datetime(2025, 3, 2, 17, 59, 59, tzinfo=dt.UTC),  # 2 March 23:59:59
        dt.datetime(2025, 3, 2, 18, 0, 0, tzinfo=dt.UTC),  # 3 March 00:00:00
    ]
    events = []
    for at in times:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda at=at: at)
            events.append(audit_record(action="dated"))
    client = as_member(cast.coordinator)

    def shown(**dates: str) -> list[int]:
        return _shown(client.get(URL, {"action": "dated", **dates}))

    assert shown(date_from="2025-03-02", date_to="2025-03-02") == [events[2].pk, events[1].pk]
    assert shown(date_from="2025-03-02") == [events[3].pk, events[2].pk, events[1].pk]
    assert shown(date_to="2025-03-01") == [events[0].pk]


def test_filters_combine(cast, trail, as_member):
    response = as_member(cast.coordinator).get(URL, {"actor": "worker.b@example.org", "action": "auth.logout"})
    assert _shown(response) == [trail[4].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"actor": "not-an-email"}, "actor"),
        ({"action": "x" * 66}, "action"),
    ],
)
def test_bad_filters_show_their_error_and_no_events(cast, trail, as_member, query, field):
    response = as_member(cast.coordinator).get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert _shown(response) == []
    assert "No events match." in response.content.decode()


def test_the_end_date_before_the_start_date_is_explained(cast, as_member):
    response = as_member(cast.coordinator).get(
        URL, {"date_from": "2025-03-02", "date_to": "2025-03-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.context["form"].errors == {"date_to": ["The end date is before the start date."]}


# --- Pagination and queries -------------------------------------------------------------------------------------


def test_fifty_events_a_page_and_the_links_keep_the_filters(cast, as_member):
    for n in range(120):
        audit_record(action="bulk.test", details={"n": n})
    client = as_member(cast.coordinator)
    all_ids = _newest_first(AuditEvent.objects.filter(action="bulk.test"))
    first = client.get(URL, {"action": "bulk.test"}, HTTP_ACCEPT_LANGUAGE="en")
    assert _shown(first) == all_ids[:50]
    body = first.content.decode()
    assert 'href="?action=bulk.test&amp;page=2" rel="next"' in body
    assert 'rel="prev"' not in body
    assert "page 1 of 3 (120 in all)" in body
    second = client.get(URL, {"action": "bulk.test", "page": "2"})
    assert _shown(second) == all_ids[50:100]
    assert 'href="?action=bulk.test&amp;page=1" rel="prev"' in second.content.decode()
    assert _shown(client.get(URL, {"action": "bulk.test", "page": "3"})) == all_ids[100:]
    assert _shown(client.get(URL, {"action": "bulk.test", "page": "99"})) == all_ids[100:]
    assert _shown(client.get(URL, {"action": "bulk.test", "page": "x"})) == all_ids[:50]


def test_the_query_count_does_not_grow_with_the_rows(cast, as_member):
    client = as_member(cast.coordinator)
    audit_record(action="q.test", actor=cast.admin_a.user, organisation=cast.org_a)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert len(_shown(client.get(URL, {"action": "q.test"}))) == 1
    for n in range(30):
        org = OrganisationFactory()
        someone = member(org, Role.VIEWER)
        audit_record(action="q.test", actor=someone.user, organisation=org, obj=someone, details={"n": n})
    with CaptureQueriesContext(connection) as many:
        assert len(_shown(client.get(URL, {"action": "q.test"}))) == 31
    assert len(many) == len(few)


# --- Navigation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [("coordinator", True), ("admin_a", True), ("viewer_a", False), ("case_worker_a", False)],
)
def test_the_audit_trail_is_in_the_menu_of_coordinators_and_org_admins_only(cast, as_member, who, listed):
    response = as_member(getattr(cast, who)).get("/")
    assert ("audit.events" in [m.key for m in response.context["nav_modules"]]) is listed
    assert ('href="/audit/"' in response.content.decode()) is listed
