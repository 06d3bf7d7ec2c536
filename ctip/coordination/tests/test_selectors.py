from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctip.coordination import selectors, services
from ctip.coordination.tests.factories import (
    approved_action,
    make_activity,
    make_body,
    make_decision,
    make_held_meeting,
)
from ctip.orgs.roles import Role
from ctip.plans.tests.factories import make_action
from ctip.testing import OrganisationFactory, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = dt.date


def test_open_decisions_leave_out_closed_ones_and_filter_by_organisation(cast):
    meeting = make_held_meeting(cast.coordinator, make_body(cast.coordinator))
    late = make_decision(cast.coordinator, meeting, cast.org_a, "1", deadline=TODAY - dt.timedelta(days=3))
    soon = make_decision(cast.coordinator, meeting, cast.org_b, "2", deadline=TODAY + dt.timedelta(days=3))
    done = make_decision(cast.coordinator, meeting, cast.org_a, "3")
    services.decision_follow_up(actor=cast.admin_a, decision=done, status="done", note="ok")
    assert list(selectors.open_decisions(cast.viewer_a)) == [late, soon]
    assert list(selectors.open_decisions(cast.viewer_a, responsible_id=cast.org_b.pk)) == [soon]
    assert late.is_overdue(TODAY)
    assert not soon.is_overdue(TODAY)


def test_open_decisions_and_nothing_for_nobody(cast):
    assert list(selectors.open_decisions(None)) == []


def test_coverage_counts_activities_and_organisations_by_region_and_pillar(cast):
    partner_b = member(cast.org_b, Role.PARTNER)
    make_activity(cast.admin_a, region="osh", pillar="PREVENTION")
    make_activity(cast.admin_a, region="osh", pillar="PREVENTION")
    make_activity(partner_b, region="osh", pillar="PREVENTION")
    make_activity(partner_b, region="naryn", pillar="PROTECTION")
    table = selectors.coverage(cast.coordinator)
    assert table.counts == {("osh", "PREVENTION"): 3, ("naryn", "PROTECTION"): 1}
    assert table.organisations[("osh", "PREVENTION")] == 2
    osh = next(cells for label, cells, total in table.rows() if label == "Osh oblast")
    assert osh == [(3, 2), (0, 0), (0, 0), (0, 0)]
    assert table.pillar_totals() == [3, 1, 0, 0]


def test_coverage_on_a_day_counts_only_running_activities(cast):
    make_activity(cast.admin_a, starts_on=D(2025, 1, 1), ends_on=D(2025, 1, 31))
    make_activity(cast.admin_a, starts_on=D(2025, 3, 1), ends_on=D(2025, 3, 31))
    assert selectors.coverage(cast.coordinator, on=D(2025, 3, 15)).counts == {("osh", "PREVENTION"): 1}


def test_coverage_runs_one_query(cast, django_assert_num_queries):
    make_activity(cast.admin_a)
    with django_assert_num_queries(1):
        selectors.coverage(cast.coordinator)


@pytest.fixture
def partner_b(cast):
    return member(cast.org_b, Role.PARTNER)


def test_overlapping_activities_of_two_organisations_on_a_pillar_are_flagged(cast, partner_b):
    a = make_activity(cast.admin_a, starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30))
    b = make_activity(partner_b, starts_on=D(2025, 6, 1), ends_on=D(2025, 12, 31))
    [overlap] = selectors.duplications(cast.coordinator)
    assert (overlap.first, overlap.second, overlap.same_action) == (a, b, False)
    assert (overlap.starts_on, overlap.ends_on) == (D(2025, 6, 1), D(2025, 6, 30))


@pytest.mark.parametrize(
    "other",
    [
        {"region": "naryn"},  # another region
        {"pillar": "PROTECTION"},  # another pillar
        {"starts_on": D(2025, 7, 1), "ends_on": D(2025, 8, 1)},  # after the first ends
    ],
)
def test_activities_apart_in_place_pillar_or_time_are_not_flagged(cast, partner_b, other):
    make_activity(cast.admin_a, starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30))
    make_activity(partner_b, **{"starts_on": D(2025, 2, 1), "ends_on": D(2025, 3, 1), **other})
    assert selectors.duplications(cast.coordinator) == []


def test_one_organisations_own_activities_never_duplicate_each_other(cast):
    make_activity(cast.admin_a)
    make_activity(cast.admin_a)
    assert selectors.duplications(cast.coordinator) == []


def test_activities_on_different_actions_are_not_duplicates_but_on_the_same_action_are(cast, partner_b):
    first = approved_action(cast.coordinator, cast.org_a, pillars=["PREVENTION"])
    objective = first.objective
    second = make_action(cast.coordinator, objective, cast.org_a, code="2.3.2", pillars=["PREVENTION"])
    make_activity(cast.admin_a, action=first)
    make_activity(partner_b, action=second)
    assert selectors.duplications(cast.coordinator) == []
    third_org = member(OrganisationFactory(), Role.PARTNER)
    make_activity(third_org, action=first, region="osh")
    [overlap] = selectors.duplications(cast.coordinator)
    assert overlap.same_action
    assert {overlap.first.organisation, overlap.second.organisation} == {
        cast.org_a,
        third_org.organisation,
    }


def test_duplications_run_one_query(cast, partner_b, django_assert_num_queries):
    for _ in range(3):
        make_activity(cast.admin_a)
        make_activity(partner_b)
    with django_assert_num_queries(1):
        assert len(selectors.duplications(cast.coordinator)) == 9
