from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctip.conftest import client_for
from ctip.coordination import services
from ctip.coordination.models import CoordinationBody, Decision, DecisionUpdate, Meeting, PartnerActivity
from ctip.coordination.tests.factories import (
    decision_of_org_a,
    make_activity,
    make_body,
    make_decision,
    make_held_meeting,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_coordinator_runs_a_body_a_meeting_and_a_decision_through_the_pages(cast):
    client = client_for(cast.coordinator)
    response = client.post(
        "/coordination/bodies/new/",
        {
            "name_ky": "Кеңеш",
            "name_ru": "Совет",
            "name_en": "Osh council",
            "kind": "regional_council",
            "region": "osh",
            "members": [cast.org_a.pk, cast.org_b.pk],
            "is_active": "on",
        },
    )
    body = CoordinationBody.objects.get()
    assert response["Location"] == f"/coordination/bodies/{body.pk}/"
    response = client.post(
        f"/coordination/bodies/{body.pk}/meetings/new/",
        {
            "date": (TODAY - dt.timedelta(days=2)).isoformat(),
            "status": "held",
            "attended": [cast.org_a.pk],
            "others_invited": "OSCE",
            "minutes": "Agreed.",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/coordination/meetings/{meeting.pk}/"
    response = client.post(
        f"/coordination/meetings/{meeting.pk}/decisions/new/",
        {"number": "1", "text": "Open a hotline", "responsible": cast.org_b.pk, "deadline": TODAY.isoformat()},
    )
    assert response.status_code == 302
    page = client.get(f"/coordination/meetings/{meeting.pk}/")
    content = page.content.decode()
    assert "Open a hotline" in content
    assert "OSCE" in content
    assert "Agreed." in content
    assert [o.code for o in page.context["attended"]] == ["shelter-a"]
    assert [o.code for o in page.context["absent"]] == ["police-b"]


def test_a_bad_meeting_says_what_is_wrong_and_saves_nothing(cast):
    body = make_body(cast.coordinator)
    response = client_for(cast.coordinator).post(
        f"/coordination/bodies/{body.pk}/meetings/new/",
        {"date": TODAY.isoformat(), "status": "planned", "minutes": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["minutes"] == ["Minutes are recorded once the meeting has been held."]
    assert Meeting.objects.count() == 0


def test_every_member_reads_the_bodies_and_only_the_coordinator_sees_the_new_button(cast):
    make_body(cast.coordinator)
    page = client_for(cast.admin_b).get("/coordination/")
    assert page.status_code == 200
    assert not page.context["can_create"]
    assert "National council" in page.content.decode()
    assert client_for(cast.admin_b).get("/coordination/bodies/new/").status_code == 403


def test_the_open_decisions_highlight_the_overdue_and_filter_my_organisation(cast):
    meeting = make_held_meeting(cast.coordinator, make_body(cast.coordinator))
    make_decision(cast.coordinator, meeting, cast.org_a, "1", text="Late one", deadline=TODAY - dt.timedelta(days=1))
    make_decision(cast.coordinator, meeting, cast.org_b, "2", text="B's one", deadline=TODAY + dt.timedelta(days=9))
    client = client_for(cast.viewer_a)
    page = client.get("/coordination/decisions/")
    content = page.content.decode()
    assert content.count('class="overdue"') == 1
    mine = client.get("/coordination/decisions/?mine=1")
    assert [d.text for d in mine.context["decisions"]] == ["Late one"]
    theirs = client.get(f"/coordination/decisions/?responsible={cast.org_b.pk}")
    assert [d.text for d in theirs.context["decisions"]] == ["B's one"]


def test_the_open_decisions_page_has_a_constant_query_count(cast, django_assert_max_num_queries):
    meeting = make_held_meeting(cast.coordinator, make_body(cast.coordinator))
    client = client_for(cast.viewer_a)
    make_decision(cast.coordinator, meeting, cast.org_a, "1")
    with django_assert_max_num_queries(30) as few:
        client.get("/coordination/decisions/")
    for n in range(2, 12):
        make_decision(cast.coordinator, meeting, cast.org_b, str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/coordination/decisions/")


def test_the_responsible_organisation_posts_follow_up_from_the_decision_page(cast):
    decision = decision_of_org_a(cast)
    client = client_for(cast.admin_a)
    assert client.get(f"/coordination/decisions/{decision.pk}/").context["form"] is not None
    response = client.post(
        f"/coordination/decisions/{decision.pk}/follow-up/", {"status": "done", "note": "Trained 20 officers"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"
    assert decision.closed_on == TODAY
    page = client.get(f"/coordination/decisions/{decision.pk}/")
    assert page.context["form"] is None  # closed: no more follow-up
    assert "Trained 20 officers" in page.content.decode()


def test_another_organisation_sees_the_decision_but_no_follow_up_form_and_gets_404_posting(cast):
    decision = decision_of_org_a(cast)
    client = client_for(cast.admin_b)
    assert client.get(f"/coordination/decisions/{decision.pk}/").context["form"] is None
    response = client.post(f"/coordination/decisions/{decision.pk}/follow-up/", {"status": "done", "note": "x"})
    assert response.status_code == 404
    assert DecisionUpdate.objects.count() == 0
    assert Decision.objects.get().status == "open"


def test_an_invalid_follow_up_is_shown_back_with_its_error(cast):
    decision = decision_of_org_a(cast)
    response = client_for(cast.admin_a).post(
        f"/coordination/decisions/{decision.pk}/follow-up/", {"status": "done", "note": ""}
    )
    assert response.status_code == 400
    assert "note" in response.context["form"].errors


def test_a_partner_records_an_activity_through_the_page(cast):
    response = client_for(cast.admin_a).post(
        "/coordination/activities/new/",
        {
            "title": "Shelter",
            "region": "bishkek",
            "pillar": "PROTECTION",
            "starts_on": "2025-01-01",
            "ends_on": "2025-12-31",
            "beneficiaries": "10",
            "women": "8",
            "girls": "4",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["beneficiaries"] == [
        "Women, men, girls and boys together cannot exceed the number of beneficiaries."
    ]
    assert PartnerActivity.objects.count() == 0


def test_the_activities_list_shows_everyone_or_mine(cast):
    make_activity(cast.admin_a, title="Ours")
    make_activity(cast.admin_b, title="Theirs")
    client = client_for(cast.admin_a)
    everyone = client.get("/coordination/activities/").context["page"].object_list
    assert {a.title for a in everyone} == {"Ours", "Theirs"}
    assert [a.title for a in client.get("/coordination/activities/?mine=1").context["page"].object_list] == ["Ours"]


def test_the_activities_list_pages_through_every_activity_and_says_how_many_there_are(cast, monkeypatch):
    monkeypatch.setattr("ctip.coordination.views.ACTIVITIES_PAGE_SIZE", 2)
    for month in (3, 2, 1):  # the list is newest first
        make_activity(cast.admin_a, title=f"Ours {month}", starts_on=dt.date(2025, month, 1))
    make_activity(cast.admin_b, title="Theirs")
    client = client_for(cast.admin_a)

    first = client.get("/coordination/activities/?mine=1").content.decode()
    second = client.get("/coordination/activities/?mine=1&page=2").content.decode()

    assert [f"Ours {m}" in first for m in (3, 2, 1)] == [True, True, False]
    assert [f"Ours {m}" in second for m in (3, 2, 1)] == [False, False, True]
    assert "Theirs" not in first + second
    for body in (first, second):
        assert "3 activities" in body
    assert "Page 1 of 2" in first
    assert 'href="?mine=1&amp;page=2" rel="next"' in first
    assert "Page 2 of 2" in second


def test_coverage_is_the_coordinators(cast):
    make_activity(cast.admin_a)
    make_activity(cast.admin_b)
    assert client_for(cast.admin_a).get("/coordination/coverage/").status_code == 403
    page = client_for(cast.coordinator).get("/coordination/coverage/")
    assert page.status_code == 200
    assert len(page.context["overlaps"]) == 1
    assert page.context["coverage"].counts == {("osh", "PREVENTION"): 2}
    assert page.content.decode().count("<tr>") == 1 + 10 + 1 + 1  # header, one row per region, header, one pair


def test_the_coordinator_records_that_a_planned_meeting_was_held(cast):
    body = make_body(cast.coordinator, members=(cast.org_a, cast.org_b))
    meeting = services.meeting_create(actor=cast.coordinator, body=body, date=TODAY, status="planned", agenda="1.")
    client = client_for(cast.coordinator)
    form = client.get(f"/coordination/meetings/{meeting.pk}/edit/").context["form"]
    assert form.initial["status"] == "planned"
    response = client.post(
        f"/coordination/meetings/{meeting.pk}/edit/",
        {"date": TODAY.isoformat(), "status": "held", "attended": [cast.org_b.pk], "minutes": "Quorum."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "Quorum.")
    assert list(meeting.attended.values_list("code", flat=True)) == ["police-b"]


def test_the_coordinator_moves_a_decisions_deadline(cast):
    decision = decision_of_org_a(cast)
    client = client_for(cast.coordinator)
    assert client.get(f"/coordination/decisions/{decision.pk}/edit/").context["form"].initial["number"] == "1"
    later = (TODAY + dt.timedelta(days=30)).isoformat()
    response = client.post(
        f"/coordination/decisions/{decision.pk}/edit/",
        {"number": "1", "text": decision.text, "responsible": cast.org_a.pk, "deadline": later},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.deadline.isoformat() == later


def test_the_body_page_lists_members_and_meetings(cast):
    body = make_body(cast.coordinator, members=(cast.org_a,))
    meeting = make_held_meeting(cast.coordinator, body)
    make_decision(cast.coordinator, meeting, cast.org_a)
    page = client_for(cast.viewer_a).get(f"/coordination/bodies/{body.pk}/")
    assert [o.code for o in page.context["members"]] == ["shelter-a"]
    [row] = page.context["meetings"]
    assert (row.decision_count, row.open_count) == (1, 1)
    assert not page.context["can_edit"]
