"""The reporting workflow: every transition allowed and refused, each step audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ctip.audit.models import AuditEvent
from ctip.plans.models import ActionPillar, ProgressReport, ReportStatus
from ctip.plans.services import report_accept, report_return, report_save_draft, report_submit

pytestmark = pytest.mark.django_db


def audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def draft(plan):
    return report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=40, narrative="Done")


def test_creating_the_plan_writes_periods_pillars_and_audit_rows(plan):
    assert plan.program.periods.count() == 4
    assert list(ActionPillar.objects.filter(action=plan.action).values_list("pillar", flat=True)) == ["PROTECTION"]
    assert plan.action.program_id == plan.program.pk
    assert (audited("plans.program.create"), audited("plans.objective.create"), audited("plans.action.create")) == (
        1,
        1,
        1,
    )


def test_only_the_coordinator_edits_the_plan(cast, plan):
    from ctip.plans.tests.factories import make_program

    with pytest.raises(PermissionDenied):
        make_program(cast.admin_a)


def test_the_lead_and_the_co_executor_each_file_their_own_report(plan, draft):
    other = report_save_draft(actor=plan.reporter_b, action=plan.action, period=plan.h1)
    assert (draft.organisation_id, other.organisation_id) == (
        plan.reporter_a.organisation_id,
        plan.reporter_b.organisation_id,
    )
    assert (draft.status, draft.percent, draft.narrative) == (ReportStatus.DRAFT, 40, "Done")
    assert audited("plans.report.save") == 2


def test_saving_again_changes_the_same_draft(plan, draft):
    again = report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=60)
    assert again.pk == draft.pk
    assert ProgressReport.objects.get().percent == 60


def test_an_agency_not_responsible_cannot_file(plan):
    with pytest.raises(Http404):
        report_save_draft(actor=plan.reporter_c, action=plan.action, period=plan.h1)
    assert ProgressReport.objects.count() == 0
    assert audited("access.denied") == 1


def test_a_member_without_a_reporting_role_cannot_file(cast, plan):
    with pytest.raises(PermissionDenied):
        report_save_draft(actor=cast.viewer_a, action=plan.action, period=plan.h1)
    assert ProgressReport.objects.count() == 0


def test_full_cycle_submit_return_resubmit_accept(cast, plan, draft):
    report = report_submit(actor=plan.reporter_a, report=draft)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None
    report = report_return(actor=cast.coordinator, report=report, comment="Add the numbers")
    assert (report.status, report.return_comment) == (ReportStatus.RETURNED, "Add the numbers")
    report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=50)
    report = report_submit(actor=plan.reporter_a, report=report)
    report = report_accept(actor=cast.coordinator, report=report)
    assert report.status == ReportStatus.ACCEPTED
    assert report.accepted_at is not None
    assert [audited(a) for a in ("plans.report.submit", "plans.report.return", "plans.report.accept")] == [2, 1, 1]


def test_an_accepted_report_is_locked(cast, plan, draft):
    report = report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=draft))
    with pytest.raises(ValidationError, match=r"accepted on .* and is locked"):
        report_submit(actor=plan.reporter_a, report=report)
    with pytest.raises(ValidationError, match="locked"):
        report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=90)
    with pytest.raises(ValidationError, match="locked"):
        report_return(actor=cast.coordinator, report=report, comment="Again")
    with pytest.raises(ValidationError, match="locked"):
        report_accept(actor=cast.coordinator, report=report)
    assert ProgressReport.objects.get().percent == 40


def test_a_submitted_report_cannot_be_submitted_or_changed_again(plan, draft):
    report_submit(actor=plan.reporter_a, report=draft)
    with pytest.raises(ValidationError, match="awaits the coordinator"):
        report_submit(actor=plan.reporter_a, report=draft)
    with pytest.raises(ValidationError, match="awaits the coordinator"):
        report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1)


def test_a_draft_cannot_be_reviewed_and_is_invisible_to_the_coordinator(cast, draft):
    with pytest.raises(Http404):
        report_accept(actor=cast.coordinator, report=draft)
    with pytest.raises(Http404):
        report_return(actor=cast.coordinator, report=draft, comment="No")


def test_a_returned_report_cannot_be_accepted_until_resubmitted(cast, plan, draft):
    report = report_return(
        actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=draft), comment="x"
    )
    with pytest.raises(ValidationError, match="Only a submitted report"):
        report_accept(actor=cast.coordinator, report=report)


def test_returning_requires_a_comment(cast, plan, draft):
    report = report_submit(actor=plan.reporter_a, report=draft)
    with pytest.raises(ValidationError):
        report_return(actor=cast.coordinator, report=report, comment="  ")
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


def test_only_the_coordinator_reviews(plan, draft):
    report = report_submit(actor=plan.reporter_a, report=draft)
    with pytest.raises(PermissionDenied):
        report_accept(actor=plan.reporter_a, report=report)
    with pytest.raises(Http404):
        report_accept(actor=plan.reporter_b, report=report)
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


def test_another_organisation_cannot_submit_a_report(plan, draft):
    with pytest.raises(Http404):
        report_submit(actor=plan.reporter_b, report=draft)


def test_indicator_values_must_be_the_actions_and_reported(cast, plan):
    from ctip.plans.models import PlanIndicator

    own = PlanIndicator.objects.create(action=plan.action, name_ky="n", name_ru="n", name_en="n", unit="people")
    report = report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, values={own: Decimal(7)})
    assert report.values.get().value == Decimal(7)
    computed = PlanIndicator.objects.create(
        action=plan.action,
        name_ky="m",
        name_ru="m",
        name_en="m",
        unit="x",
        source="metric",
        metric_name="screening.screenings_done",
    )
    with pytest.raises(ValidationError, match="computed"):
        report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, values={computed: Decimal(1)})
