"""The plan's policies: the plan is read by every member, reports follow their organisation and status."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ctip.core.access import get_for_actor
from ctip.plans import access
from ctip.plans.services import report_accept, report_save_draft, report_submit
from ctip.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(plan):
    return report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1)


def test_every_member_reads_the_plan_and_only_the_coordinator_edits_it(cast, plan):
    partner = member(cast.org_b, "partner")
    for actor in (partner, cast.viewer_a, plan.reporter_c, cast.coordinator):
        assert get_for_actor(access.programs, actor, plan.program.pk) == plan.program
        assert get_for_actor(access.actions, actor, plan.action.pk) == plan.action
    assert get_for_actor(access.programs, cast.coordinator, plan.program.pk, "edit") == plan.program
    assert access.actions.can(cast.coordinator, "edit", plan.action)
    with pytest.raises(PermissionDenied):
        get_for_actor(access.actions, cast.admin_a, plan.action.pk, "edit")
    with pytest.raises(PermissionDenied):
        get_for_actor(access.programs, partner, plan.program.pk, "edit")
    with pytest.raises(Http404):
        get_for_actor(access.programs, None, plan.program.pk)
    assert not access.programs.can_create(cast.admin_a)
    assert access.programs.can_create(cast.coordinator)
    assert not access.actions.visible(None, "view").exists()


def test_an_outsider_gets_404_for_filing_on_an_action(plan):
    with pytest.raises(Http404):
        get_for_actor(access.reporting, plan.reporter_c, plan.action.pk, "report")
    assert not access.reporting.visible(None, "report").exists()


def test_a_member_without_a_reporting_role_gets_403(cast, plan):
    with pytest.raises(PermissionDenied):
        get_for_actor(access.reporting, cast.viewer_a, plan.action.pk, "report")
    with pytest.raises(PermissionDenied):
        get_for_actor(access.reporting, cast.case_worker_b, plan.action.pk, "report")


def test_the_lead_and_the_co_executor_may_file(plan):
    assert get_for_actor(access.reporting, plan.reporter_a, plan.action.pk, "report") == plan.action
    assert get_for_actor(access.reporting, plan.reporter_b, plan.action.pk, "report") == plan.action


def test_a_draft_is_visible_only_to_its_organisation(cast, plan, draft):
    assert get_for_actor(access.reports, cast.viewer_a, draft.pk) == draft
    for outsider in (plan.reporter_b, plan.reporter_c, cast.coordinator):
        with pytest.raises(Http404):
            get_for_actor(access.reports, outsider, draft.pk)
    assert not access.reports.can(None, "view", draft)
    assert not access.reports.visible(None, "view").exists()


def test_a_submitted_report_is_seen_by_the_coordinator_and_an_accepted_one_by_everyone(cast, plan, draft):
    report = report_submit(actor=plan.reporter_a, report=draft)
    assert get_for_actor(access.reports, cast.coordinator, report.pk, "review") == report
    with pytest.raises(Http404):
        get_for_actor(access.reports, plan.reporter_c, report.pk)
    report = report_accept(actor=cast.coordinator, report=report)
    assert get_for_actor(access.reports, plan.reporter_c, report.pk) == report
    assert access.reports.can(cast.coordinator, "view", report)


def test_only_reporters_of_the_organisation_edit_and_submit(cast, plan, draft):
    assert access.reports.can(plan.reporter_a, "edit", draft)
    assert not access.reports.can(cast.viewer_a, "submit", draft)
    assert not access.reports.can(plan.reporter_b, "submit", draft)
    assert not access.reports.can(plan.reporter_a, "review", draft)
    assert not access.reports.can(plan.reporter_a, "delete", draft)
