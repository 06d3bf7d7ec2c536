from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.coordination import services
from ctip.coordination.models import Decision, DecisionUpdate, Meeting, PartnerActivity
from ctip.coordination.tests.factories import (
    approved_action,
    decision_of_org_a,
    make_activity,
    make_body,
    make_decision,
    make_held_meeting,
)
from ctip.orgs.roles import Role
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.testing import member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_only_the_coordinator_creates_a_body(cast):
    with pytest.raises(PermissionDenied):
        make_body(cast.admin_a)


def test_a_body_is_audited_and_its_chair_is_a_member(cast):
    body = make_body(cast.coordinator, members=(cast.org_a,), chair=cast.org_b)
    assert set(body.members.all()) == {cast.org_a, cast.org_b}
    event = AuditEvent.objects.get(action="coordination.body.create")
    assert event.details == {"kind": "national_council", "members": 2}
    assert event.actor == cast.coordinator.user


def test_a_regional_council_needs_its_region(cast):
    with pytest.raises(ValidationError) as error:
        make_body(cast.coordinator, kind="regional_council")
    assert error.value.message_dict == {"region": ["A regional council needs its region."]}
    body = make_body(cast.coordinator, kind="regional_council", region="osh")
    assert body.region == "osh"


def test_a_national_body_keeps_no_region(cast):
    assert make_body(cast.coordinator, region="osh").region == ""


def test_a_body_that_stops_being_regional_loses_its_region_and_the_audit_lists_only_changes(cast):
    body = make_body(cast.coordinator, kind="regional_council", region="osh")
    saved = services.body_update(
        actor=cast.coordinator, body=body, kind="national_council", name_en=body.name_en, members=[]
    )
    body.refresh_from_db()
    assert (saved.region, body.region, body.kind) == ("", "", "national_council")
    event = AuditEvent.objects.get(action="coordination.body.update")
    assert event.details == {"fields": ["kind", "region"]}


def test_minutes_and_attendance_wait_until_the_meeting_is_held(cast):
    body = make_body(cast.coordinator, members=(cast.org_a,))
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=cast.coordinator, body=body, date=TODAY, status="planned", minutes="x", attended=[cast.org_a]
        )
    assert set(error.value.message_dict) == {"minutes", "attended"}
    assert Meeting.objects.count() == 0


def test_a_meeting_in_the_future_cannot_have_been_held(cast):
    body = make_body(cast.coordinator)
    with pytest.raises(ValidationError, match="cannot have been held yet"):
        make_held_meeting(cast.coordinator, body, date=TODAY + dt.timedelta(days=1))


def test_attendance_lists_only_members(cast):
    body = make_body(cast.coordinator, members=(cast.org_a,))
    with pytest.raises(ValidationError) as error:
        make_held_meeting(cast.coordinator, body, attended=[cast.org_a, cast.org_b])
    assert error.value.message_dict["attended"] == [
        "Not members of this body: police-b. Name them under others invited."
    ]


def test_decisions_are_recorded_only_for_a_held_meeting(cast):
    body = make_body(cast.coordinator)
    planned = services.meeting_create(actor=cast.coordinator, body=body, date=TODAY, status="planned")
    with pytest.raises(ValidationError, match="has been held"):
        make_decision(cast.coordinator, planned, cast.org_a)


def test_a_decision_number_is_unique_in_its_meeting(cast):
    meeting = make_held_meeting(cast.coordinator, make_body(cast.coordinator))
    make_decision(cast.coordinator, meeting, cast.org_a, number="1")
    with pytest.raises(ValidationError):
        make_decision(cast.coordinator, meeting, cast.org_b, number="1")
    assert Decision.objects.count() == 1


def test_follow_up_moves_the_status_and_closing_sets_the_date(cast):
    decision = decision_of_org_a(cast)
    services.decision_follow_up(actor=cast.admin_a, decision=decision, status="in_progress", note="Started")
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on) == ("in_progress", None)
    services.decision_follow_up(actor=cast.admin_a, decision=decision, status="done", note="Finished")
    decision.refresh_from_db()
    assert (decision.status, decision.closed_on) == ("done", TODAY)
    assert list(decision.updates.values_list("status", "organisation__code")) == [
        ("in_progress", "shelter-a"),
        ("done", "shelter-a"),
    ]
    events = AuditEvent.objects.filter(action="coordination.decision.follow_up").order_by("id")
    assert [e.details["status"] for e in events] == ["in_progress", "done"]


def test_a_closed_decision_takes_no_more_follow_up(cast):
    decision = decision_of_org_a(cast)
    services.decision_follow_up(actor=cast.admin_a, decision=decision, status="cancelled", note="Superseded")
    with pytest.raises(ValidationError, match="already closed"):
        services.decision_follow_up(actor=cast.admin_a, decision=decision, status="open", note="Again")
    assert DecisionUpdate.objects.count() == 1


def test_follow_up_needs_a_note(cast):
    decision = decision_of_org_a(cast)
    with pytest.raises(ValidationError) as error:
        services.decision_follow_up(actor=cast.admin_a, decision=decision, status="done", note="  ")
    assert "note" in error.value.message_dict
    decision.refresh_from_db()
    assert decision.status == "open"


@pytest.mark.parametrize("who", ["admin_b", "viewer_a", "case_worker_a"])
def test_only_the_responsible_organisation_with_a_reporting_role_follows_up(cast, who):
    decision = decision_of_org_a(cast)
    with pytest.raises(PermissionDenied):
        services.decision_follow_up(actor=getattr(cast, who), decision=decision, status="done", note="x")
    assert DecisionUpdate.objects.count() == 0


def test_the_coordinator_may_record_follow_up_for_an_agency(cast):
    decision = decision_of_org_a(cast)
    services.decision_follow_up(actor=cast.coordinator, decision=decision, status="in_progress", note="By phone")
    assert decision.updates.get().organisation.code == "ministry"


def test_an_activity_belongs_to_the_actors_organisation(cast):
    activity = make_activity(cast.admin_a, women=40, men=30, girls=20, boys=10)
    assert activity.organisation == cast.org_a
    event = AuditEvent.objects.get(action="coordination.activity.create")
    assert event.details == {"region": "osh", "pillar": "PREVENTION", "action": None}


def test_a_partner_records_activities_but_a_viewer_does_not(cast):
    partner = member(cast.org_b, Role.PARTNER)
    make_activity(partner)
    with pytest.raises(PermissionDenied):
        make_activity(cast.viewer_a)
    assert PartnerActivity.objects.count() == 1


def test_the_breakdown_cannot_exceed_the_beneficiaries(cast):
    with pytest.raises(ValidationError) as error:
        make_activity(cast.admin_a, beneficiaries=10, women=6, men=5)
    assert error.value.message_dict["beneficiaries"] == [
        "Women, men, girls and boys together cannot exceed the number of beneficiaries."
    ]


def test_an_activity_cannot_end_before_it_starts(cast):
    with pytest.raises(ValidationError) as error:
        make_activity(cast.admin_a, starts_on=dt.date(2025, 2, 1), ends_on=dt.date(2025, 1, 1))
    assert "ends_on" in error.value.message_dict


def test_an_activity_on_an_action_takes_one_of_its_pillars(cast):
    action = approved_action(cast.coordinator, cast.org_b, pillars=["PROTECTION"])
    with pytest.raises(ValidationError) as error:
        make_activity(cast.admin_a, action=action, pillar="PREVENTION")
    assert error.value.message_dict["pillar"] == ["Action 2.3.1 is not tagged with this pillar."]
    assert make_activity(cast.admin_a, action=action, pillar="PROTECTION").action == action


def test_an_activity_cannot_link_an_action_of_a_draft_program(cast):
    draft = make_action(cast.coordinator, make_objective(cast.coordinator, make_program(cast.coordinator)), cast.org_b)
    with pytest.raises(ValidationError) as error:
        make_activity(cast.admin_a, action=draft, pillar="PROTECTION")
    assert error.value.message_dict["action"] == ["There is no such plan action."]


def test_only_the_own_organisation_edits_an_activity(cast):
    activity = make_activity(cast.admin_a)
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=cast.admin_b, activity=activity, title="Taken")
    services.activity_update(actor=cast.admin_a, activity=activity, title="Renamed")
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert AuditEvent.objects.get(action="coordination.activity.update").details == {"fields": ["title"]}
