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


# --- Editing the plan ---------------------------------------------------------------------------------------------


def test_updating_an_action_records_which_fields_changed(cast, plan):
    from ctip.plans.services import action_update

    action = action_update(
        actor=cast.coordinator,
        action=plan.action,
        title_en="Train border guards",
        budget=Decimal("2500.00"),
        currency="USD",  # unchanged
        pillars=["PREVENTION", "PROTECTION"],
        partners=[plan.reporter_c.organisation],
    )
    assert action.title_en == "Train border guards"
    assert sorted(action.pillars.values_list("pillar", flat=True)) == ["PREVENTION", "PROTECTION"]
    assert list(action.partners.all()) == [plan.reporter_c.organisation]
    event = AuditEvent.objects.get(action="plans.action.update")
    assert event.details["fields"] == ["budget", "partners", "pillars", "title_en"]


def test_an_action_update_that_changes_nothing_writes_no_audit_row(cast, plan):
    from ctip.plans.services import action_update

    action_update(actor=cast.coordinator, action=plan.action, title_en="Action", pillars=["PROTECTION"])
    assert audited("plans.action.update") == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"budget": Decimal("-1")}, "budget", "greater than or equal to 0"),
        ({"deadline": __import__("datetime").date(2023, 1, 1)}, "deadline", "cannot be before the start"),
        ({"currency": "dollars"}, "currency", "three-letter"),
        ({"pillars": []}, "pillars", "at least one pillar"),
        ({"pillars": ["FUNDING"]}, "pillar", "not a valid choice"),
    ],
)
def test_bad_action_updates_are_refused_and_change_nothing(cast, plan, changes, field, message):
    from ctip.plans.models import Action
    from ctip.plans.services import action_update

    with pytest.raises(ValidationError, match=message) as refused:
        action_update(actor=cast.coordinator, action=plan.action, **changes)
    if field is not None:
        assert field in refused.value.message_dict
    fresh = Action.objects.get(pk=plan.action.pk)
    assert (fresh.budget, fresh.currency, fresh.deadline) == (plan.action.budget, "USD", plan.action.deadline)
    assert list(fresh.pillars.values_list("pillar", flat=True)) == ["PROTECTION"]
    assert audited("plans.action.update") == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"program": None}, r"cannot be changed here: \['program'\]"),
        ({"code": "2.3.9", "title_en": "x", "objective": None}, r"cannot be changed here: \['objective'\]"),
    ],
)
def test_an_action_update_of_a_field_it_does_not_take_is_a_programming_error(cast, plan, changes, message):
    from ctip.plans.models import Action
    from ctip.plans.services import action_update

    with pytest.raises(TypeError, match=message):
        action_update(actor=cast.coordinator, action=plan.action, **changes)
    fresh = Action.objects.get(pk=plan.action.pk)
    assert (fresh.code, fresh.title_en, fresh.objective_id) == (
        plan.action.code,
        plan.action.title_en,
        plan.action.objective_id,
    )
    assert audited("plans.action.update") == 0


def test_an_action_code_stays_unique_in_the_program(cast, plan):
    from ctip.plans.services import action_update
    from ctip.plans.tests.factories import make_action

    other = make_action(cast.coordinator, plan.action.objective, cast.org_a, code="2.3.2")
    with pytest.raises(ValidationError, match=r"already has an action 2\.3\.1") as refused:
        action_update(actor=cast.coordinator, action=other, code="2.3.1")
    assert "code" in refused.value.message_dict
    assert action_update(actor=cast.coordinator, action=other, code="2.3.3").code == "2.3.3"


def test_the_lead_cannot_also_be_a_co_executor(cast, plan):
    from ctip.plans.services import action_update

    with pytest.raises(ValidationError, match="lead organisation cannot also be a co-executor"):
        action_update(actor=cast.coordinator, action=plan.action, lead=cast.org_b)
    assert plan.action.co_executors.get() == cast.org_b
    assert type(plan.action).objects.get(pk=plan.action.pk).lead == cast.org_a


def test_only_the_coordinator_edits_actions_objectives_programs_and_periods(cast, plan):
    from ctip.plans.services import action_update, objective_update, period_update, program_update

    for call in (
        lambda: action_update(actor=plan.reporter_a, action=plan.action, title_en="x"),
        lambda: objective_update(actor=plan.reporter_a, objective=plan.action.objective, title_en="x"),
        lambda: program_update(actor=cast.admin_a, program=plan.program, title_en="x"),
        lambda: period_update(actor=cast.admin_a, period=plan.h1, due_on=plan.h1.due_on),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_moving_responsibility_keeps_accepted_reports_intact(cast, plan, draft):
    from ctip.plans.services import action_update

    report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=draft))
    action_update(
        actor=cast.coordinator, action=plan.action, lead=plan.reporter_c.organisation, co_executors=[cast.org_b]
    )
    kept = ProgressReport.objects.get()
    assert (kept.organisation_id, kept.status, kept.percent) == (cast.org_a.pk, ReportStatus.ACCEPTED, 40)
    with pytest.raises(Http404):  # org A no longer files on the action
        report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h2)
    assert report_save_draft(actor=plan.reporter_c, action=plan.action, period=plan.h2).status == ReportStatus.DRAFT


def test_program_update_keeps_periods_inside_the_program(cast, plan):
    import datetime as dt

    from ctip.plans.services import program_update

    program = program_update(actor=cast.coordinator, program=plan.program, act_number="№ 123", reminder_days_before=10)
    assert (program.act_number, program.reminder_days_before) == ("№ 123", 10)
    with pytest.raises(ValidationError, match="would fall outside the program"):
        program_update(actor=cast.coordinator, program=plan.program, ends_on=dt.date(2025, 3, 31))
    with pytest.raises(ValidationError):
        program_update(actor=cast.coordinator, program=plan.program, reminder_days_before=0)
    assert type(plan.program).objects.get().ends_on == dt.date(2025, 12, 31)
    assert AuditEvent.objects.get(action="plans.program.update").details["fields"] == [
        "act_number",
        "reminder_days_before",
    ]


def test_program_life_cycle_and_publishing_rules(cast):
    from ctip.plans.models import ProgramStatus
    from ctip.plans.services import program_approve, program_close, program_publish, program_unpublish
    from ctip.plans.tests.factories import make_program

    program = make_program(cast.coordinator)
    with pytest.raises(ValidationError, match="Only an approved program can be published; this one is Draft"):
        program_publish(actor=cast.coordinator, program=program)
    with pytest.raises(ValidationError, match="Only an approved program can be closed"):
        program_close(actor=cast.coordinator, program=program)
    with pytest.raises(PermissionDenied):
        program_approve(actor=cast.admin_a, program=program)
    program = program_approve(actor=cast.coordinator, program=program)
    with pytest.raises(ValidationError, match="Only a draft program can be approved"):
        program_approve(actor=cast.coordinator, program=program)
    program = program_publish(actor=cast.coordinator, program=program)
    assert program.published
    assert program.published_at is not None
    with pytest.raises(ValidationError, match="already published"):
        program_publish(actor=cast.coordinator, program=program)
    program = program_unpublish(actor=cast.coordinator, program=program)
    assert (program.published, program.published_at) == (False, None)
    with pytest.raises(ValidationError, match="not published"):
        program_unpublish(actor=cast.coordinator, program=program)
    program_publish(actor=cast.coordinator, program=program)
    program = program_close(actor=cast.coordinator, program=program)
    assert (program.status, program.published) == (ProgramStatus.CLOSED, True)
    program = program_unpublish(actor=cast.coordinator, program=program)  # a closed program may leave the public
    with pytest.raises(ValidationError, match="Only an approved program can be published; this one is Closed"):
        program_publish(actor=cast.coordinator, program=program)
    names = ["approve", "publish", "unpublish", "close"]
    assert [audited(f"plans.program.{n}") for n in names] == [1, 2, 2, 1]


def test_a_closed_program_cannot_be_edited(cast, plan):
    from ctip.plans.services import action_update, program_close, program_update

    program_close(actor=cast.coordinator, program=plan.program)
    with pytest.raises(ValidationError, match="program is closed"):
        action_update(actor=cast.coordinator, action=plan.action, title_en="Later")
    with pytest.raises(ValidationError, match="program is closed"):
        program_update(actor=cast.coordinator, program=plan.program, title_en="Later")


def test_a_draft_program_without_periods_cannot_be_approved(cast):
    import datetime as dt

    from ctip.plans.models import Program
    from ctip.plans.services import program_approve

    program = Program.objects.create(
        title_ky="P", title_ru="P", title_en="P", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)
    )
    with pytest.raises(ValidationError, match="at least one reporting period"):
        program_approve(actor=cast.coordinator, program=program)
    assert Program.objects.get().status == "draft"


# --- Indicators and periods ---------------------------------------------------------------------------------------


def test_a_computed_indicator_must_name_a_registered_metric(cast, plan):
    from ctip.plans.models import PlanIndicator
    from ctip.plans.services import indicator_create

    texts = {"name_ky": "n", "name_ru": "n", "name_en": "n", "unit": "people"}
    with pytest.raises(ValidationError, match="no metric with this name") as refused:
        indicator_create(
            actor=cast.coordinator, action=plan.action, source="metric", metric_name="cases.unheard_of", **texts
        )
    assert "metric_name" in refused.value.message_dict
    with pytest.raises(ValidationError, match="exactly one action or one objective"):
        indicator_create(actor=cast.coordinator, action=plan.action, objective=plan.action.objective, **texts)
    assert PlanIndicator.objects.count() == 0
    made = indicator_create(
        actor=cast.coordinator,
        objective=plan.action.objective,
        source="metric",
        metric_name="screening.screenings_done",
        target=Decimal(100),
        **texts,
    )
    assert made.metric_name == "screening.screenings_done"
    assert audited("plans.indicator.create") == 1
    with pytest.raises(PermissionDenied):
        indicator_create(actor=plan.reporter_a, action=plan.action, **texts)


def test_an_indicator_with_reported_values_keeps_its_meaning(cast, plan):
    from ctip.plans.services import indicator_create, indicator_update

    indicator = indicator_create(
        actor=cast.coordinator, action=plan.action, name_ky="n", name_ru="n", name_en="n", unit="people"
    )
    indicator = indicator_update(actor=cast.coordinator, indicator=indicator, unit="officials", target=Decimal(50))
    assert (indicator.unit, indicator.target) == ("officials", Decimal(50))
    report = report_save_draft(
        actor=plan.reporter_a, action=plan.action, period=plan.h1, values={indicator: Decimal(7)}
    )
    report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=report))
    with pytest.raises(ValidationError, match="unit, source and metric cannot change"):
        indicator_update(actor=cast.coordinator, indicator=indicator, unit="trainings")
    with pytest.raises(ValidationError, match="unit, source and metric cannot change"):
        indicator_update(
            actor=cast.coordinator, indicator=indicator, source="metric", metric_name="screening.screenings_done"
        )
    indicator = indicator_update(actor=cast.coordinator, indicator=indicator, name_en="Officials trained")
    assert indicator.unit == "officials"
    assert ProgressReport.objects.get().values.get().value == Decimal(7)


def test_a_new_period_is_due_the_15th_of_the_next_month_even_across_the_year_end(cast):
    import datetime as dt

    from ctip.plans.models import Program
    from ctip.plans.services import period_create

    program = Program.objects.create(
        title_ky="P", title_ru="P", title_en="P", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)
    )
    period = period_create(
        actor=cast.coordinator, program=program, starts_on=dt.date(2024, 10, 1), ends_on=dt.date(2024, 12, 31)
    )
    assert period.due_on == dt.date(2025, 1, 15)
    assert audited("plans.period.create") == 1


@pytest.mark.parametrize(
    ("start", "end", "due", "message"),
    [
        ((2024, 6, 1), (2024, 9, 30), None, "overlaps the reporting period 2024-01-01–2024-06-30"),
        ((2023, 12, 1), (2023, 12, 31), None, "must lie within the program"),
        ((2026, 1, 1), (2026, 3, 31), None, "must lie within the program"),
        ((2024, 3, 1), (2024, 2, 1), None, "cannot end before it starts"),
        ((2026, 1, 1), (2026, 3, 31), (2026, 3, 1), "cannot be due before the period ends"),
    ],
)
def test_bad_periods_are_refused(cast, plan, start, end, due, message):
    import datetime as dt

    from ctip.plans.models import ReportingPeriod
    from ctip.plans.services import period_create

    before = ReportingPeriod.objects.count()
    with pytest.raises(ValidationError, match=message):
        period_create(
            actor=cast.coordinator,
            program=plan.program,
            starts_on=dt.date(*start),
            ends_on=dt.date(*end),
            due_on=dt.date(*due) if due else None,
        )
    assert ReportingPeriod.objects.count() == before


def test_a_period_with_reports_only_changes_its_due_date(cast, plan, draft):
    import datetime as dt

    from ctip.plans.services import period_update

    period = period_update(actor=cast.coordinator, period=plan.h1, due_on=dt.date(2024, 7, 31))
    assert period.due_on == dt.date(2024, 7, 31)
    with pytest.raises(ValidationError, match="only its due date can change"):
        period_update(actor=cast.coordinator, period=plan.h1, ends_on=dt.date(2024, 5, 31))
    with pytest.raises(ValidationError, match="overlaps"):
        period_update(actor=cast.coordinator, period=plan.h2, starts_on=dt.date(2024, 6, 1))
    assert AuditEvent.objects.get(action="plans.period.update").details["fields"] == ["due_on"]


def test_objective_update_changes_titles_and_refuses_a_taken_code(cast, plan):
    from ctip.plans.models import Objective
    from ctip.plans.services import objective_update
    from ctip.plans.tests.factories import make_objective

    other = make_objective(cast.coordinator, plan.program, code="3")
    objective = objective_update(actor=cast.coordinator, objective=other, title_en="Protection of victims")
    assert objective.title_en == "Protection of victims"
    with pytest.raises(ValidationError, match="already has an objective 2"):
        objective_update(actor=cast.coordinator, objective=other, code="2")
    assert Objective.objects.get(pk=other.pk).code == "3"
    assert AuditEvent.objects.get(action="plans.objective.update").details["fields"] == ["title_en"]
