from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ctip.plans.models import Action, PlanIndicator, ProgressReport
from ctip.plans.tests.factories import make_action

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_deadline_before_the_start(cast, plan):
    with pytest.raises(ValidationError, match="deadline"):
        make_action(cast.coordinator, plan.action.objective, cast.org_a, code="9.9", deadline=dt.date(2023, 12, 31))
    assert Action.objects.count() == 1


def test_the_database_refuses_a_deadline_before_the_start(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=plan.action.pk).update(deadline=dt.date(2023, 1, 1))


def test_the_service_refuses_a_negative_budget_and_a_bad_currency(cast, plan):
    with pytest.raises(ValidationError, match="budget"):
        make_action(cast.coordinator, plan.action.objective, cast.org_a, code="9.9", budget=Decimal(-1))
    with pytest.raises(ValidationError, match="currency"):
        make_action(cast.coordinator, plan.action.objective, cast.org_a, code="9.9", currency="usd")


def test_the_database_refuses_a_negative_budget(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=plan.action.pk).update(budget=Decimal(-5))


def test_an_action_code_is_unique_in_its_program_and_needs_a_pillar(cast, plan):
    with pytest.raises(ValidationError, match="code"):
        make_action(cast.coordinator, plan.action.objective, cast.org_a)
    with pytest.raises(ValidationError, match="pillar"):
        make_action(cast.coordinator, plan.action.objective, cast.org_a, code="9.9", pillars=[])


def test_an_indicator_belongs_to_exactly_one_of_action_or_objective(plan):
    names = {"name_ky": "n", "name_ru": "n", "name_en": "n", "unit": "u"}
    both = PlanIndicator(action=plan.action, objective=plan.action.objective, **names)
    with pytest.raises(ValidationError, match="exactly one"):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanIndicator.objects.create(**names)


def test_a_computed_indicator_names_a_registered_metric(plan):
    names = {"name_ky": "n", "name_ru": "n", "name_en": "n", "unit": "u", "action": plan.action}
    with pytest.raises(ValidationError, match="no metric"):
        PlanIndicator(source="metric", metric_name="nope.nothing", **names).full_clean()
    PlanIndicator(source="metric", metric_name="screening.screenings_done", **names).full_clean()
    with pytest.raises(ValidationError, match="Only a computed"):
        PlanIndicator(metric_name="screening.screenings_done", **names).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanIndicator.objects.create(source="metric", **names)


def test_percent_is_at_most_100(plan):
    from ctip.plans.services import report_save_draft

    with pytest.raises(ValidationError):
        report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=101)
    assert ProgressReport.objects.count() == 0


def test_the_database_keeps_a_draft_program_off_the_public_pages(plan):
    from ctip.plans.models import Program

    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=plan.program.pk).update(
            status="draft", published=True, published_at=dt.datetime.now(dt.UTC)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=plan.program.pk).update(published=True)  # published needs its time
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=plan.program.pk).update(reminder_days_before=0)


def test_the_database_logs_each_reminder_once(plan):
    from ctip.plans.models import ReportReminder

    ReportReminder.objects.create(organisation=plan.action.lead, period=plan.h1, kind="before")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportReminder.objects.create(organisation=plan.action.lead, period=plan.h1, kind="before")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportReminder.objects.create(organisation=plan.action.lead, period=plan.h1, kind="someday")
    ReportReminder.objects.create(organisation=plan.action.lead, period=plan.h1, kind="overdue")


@pytest.mark.parametrize(
    ("size", "content_type"), [(0, "application/pdf"), (10 * 1024 * 1024 + 1, "application/pdf"), (5, "text/html")]
)
def test_the_database_refuses_evidence_too_big_empty_or_of_another_type(plan, size, content_type):
    from ctip.plans.models import ReportEvidence
    from ctip.plans.services import report_save_draft

    report = report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportEvidence.objects.create(
            report=report,
            file="plans/evidence/x",
            original_name="a.pdf",
            content_type=content_type,
            size=size,
            sha256="0" * 64,
            uploaded_by=plan.reporter_a.user,
        )
