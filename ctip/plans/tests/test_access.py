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
    assert not access.programs.can(cast.admin_a, "create")
    assert access.programs.can(cast.coordinator, "create")
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


def test_a_draft_program_is_known_only_to_coordinators(cast):
    from ctip.plans.tests.factories import make_action, make_objective, make_program

    program = make_program(cast.coordinator)
    action = make_action(cast.coordinator, make_objective(cast.coordinator, program), cast.org_a)
    assert get_for_actor(access.programs, cast.coordinator, program.pk, "edit") == program
    assert get_for_actor(access.actions, cast.coordinator, action.pk) == action
    for member_ in (cast.admin_a, cast.viewer_a, member(cast.org_b, "partner")):
        with pytest.raises(Http404):
            get_for_actor(access.programs, member_, program.pk)
        with pytest.raises(Http404):
            get_for_actor(access.actions, member_, action.pk)
        assert not access.programs.can(member_, "view", program)
    # Even the lead organisation does not file on a plan that is not yet approved.
    with pytest.raises(Http404):
        report_save_draft(actor=cast.admin_a, action=action, period=program.periods.first())


def test_partners_read_the_approved_plan_and_accepted_progress_but_not_drafts(cast, plan, draft):
    partner = member(cast.org_b, "partner")
    assert get_for_actor(access.programs, partner, plan.program.pk) == plan.program
    with pytest.raises(Http404):
        get_for_actor(access.reports, partner, draft.pk)
    report = report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=draft))
    assert get_for_actor(access.reports, partner, report.pk) == report
    with pytest.raises(PermissionDenied):
        get_for_actor(
            access.reporting, partner, plan.action.pk, "report"
        )  # org B co-executes, partner role doesn't file


def test_the_public_sees_published_programs_and_their_accepted_reports_only(cast, plan, draft):
    from ctip.plans.services import program_publish

    other = report_save_draft(actor=plan.reporter_b, action=plan.action, period=plan.h1)
    accepted = report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=draft))
    report_submit(actor=plan.reporter_b, report=other)
    assert not access.public_programs().exists()
    assert not access.public_reports().exists()
    program_publish(actor=cast.coordinator, program=plan.program)
    assert list(access.public_programs()) == [plan.program]
    assert list(access.public_reports()) == [accepted]


def test_evidence_follows_its_report(cast, plan, draft, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ctip.plans.services import evidence_add

    settings.MEDIA_ROOT = tmp_path
    evidence = evidence_add(
        actor=plan.reporter_a, report=draft, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")
    )
    assert get_for_actor(access.evidence, cast.viewer_a, evidence.pk) == evidence
    assert access.evidence.can(plan.reporter_a, "remove", evidence)
    with pytest.raises(PermissionDenied):
        get_for_actor(access.evidence, cast.viewer_a, evidence.pk, "remove")
    for outsider in (plan.reporter_b, cast.coordinator, None):
        with pytest.raises(Http404):
            get_for_actor(access.evidence, outsider, evidence.pk)
    report = report_submit(actor=plan.reporter_a, report=draft)
    assert get_for_actor(access.evidence, cast.coordinator, evidence.pk) == evidence
    assert not access.evidence.can(cast.coordinator, "remove", evidence)
    report_accept(actor=cast.coordinator, report=report)
    assert get_for_actor(access.evidence, plan.reporter_c, evidence.pk) == evidence


def test_without_a_membership_nothing_is_allowed(plan):
    assert not access.programs.can(None, "view", plan.program)
    assert not access.actions.can(None, "view", plan.action)
    assert not access.reporting.can(None, "report", plan.action)
    assert not access.programs.can(None, "create")
    assert not access.actions.can(None, "overdue")
    assert not access.reports.can(None, "review")


def test_model_level_actions_follow_the_roles(cast, plan):
    assert [access.programs.can(m, "import") for m in (cast.coordinator, cast.admin_a)] == [True, False]
    assert [access.reports.can(m, "review") for m in (cast.coordinator, cast.admin_a)] == [True, False]
    assert access.actions.can(cast.coordinator, "overdue")
    assert not access.actions.can(cast.viewer_a, "overdue")
    assert not access.evidence.can(cast.coordinator, "view")
    assert not access.national_report.can(cast.coordinator, "export")


def test_the_admin_shows_the_plan_read_only(rf, plan):
    from django.contrib import admin

    from ctip.accounts.models import User
    from ctip.plans.models import Action, Program, ProgressReport, ReportEvidence

    request = rf.get("/")
    request.user = User(is_staff=True, is_superuser=True)
    for model in (Program, Action):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, None)
        assert not model_admin.has_delete_permission(request, None)
    assert ProgressReport not in admin.site._registry
    assert ReportEvidence not in admin.site._registry
    inline = admin.site._registry[Program].get_inline_instances(request, plan.program)
    assert inline == [] or not inline[0].has_add_permission(request, plan.program)
