"""The demo's action plan: loaded through `demo_load`, it must look like a real plan in mid-course."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.core import metrics
from ctip.demo import plan_data
from ctip.demo.plan import (
    ACCEPTED,
    AWAITING,
    DRAFT,
    MISSING,
    RESUBMITTED,
    RESUBMITTED_ACCEPTED,
    RETURNED,
    Calendar,
)
from ctip.demo.services import demo_load
from ctip.orgs.models import Membership
from ctip.orgs.roles import REPORTING_ROLES
from ctip.plans.models import (
    Action,
    ActionPillar,
    IndicatorSource,
    IndicatorValue,
    Pillar,
    PlanIndicator,
    Program,
    ProgramStatus,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportStatus,
)
from ctip.plans.periods import due_date


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module, inside a transaction rolled back after the last test (which only read)."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert demo_load() is True
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_program_is_approved_published_and_spans_past_and_future(demo):
    program = Program.objects.get()
    today = timezone.localdate()
    assert program.status == ProgramStatus.APPROVED
    assert program.published is True
    assert program.starts_on == dt.date(today.year - 2, 1, 1)
    assert program.ends_on == dt.date(today.year + 1, 12, 31)
    assert program.act_number == "118"
    assert program.act_date is not None
    assert program.act_date < program.starts_on
    assert str(program.starts_on.year) in program.title_en
    assert all((program.title_ky, program.title_ru))
    periods = list(program.periods.order_by("starts_on"))
    assert len(periods) == 8
    assert all(
        p.due_on == dt.date(p.ends_on.year + (p.ends_on.month == 12), p.ends_on.month % 12 + 1, 15) for p in periods
    )


def test_it_has_at_least_30_actions_across_the_four_pillars(demo):
    assert Action.objects.count() >= 30
    assert set(ActionPillar.objects.values_list("pillar", flat=True)) == set(Pillar.values)
    for pillar in Pillar.values:
        assert Action.objects.filter(pillars__pillar=pillar).count() >= 5, pillar


def test_every_action_serves_its_objectives_pillar(demo):
    for objective in plan_data.OBJECTIVES:
        actions = Action.objects.filter(objective__code=objective.code)
        assert actions.count() == 4
        assert not actions.exclude(pillars__pillar=objective.pillar).exists(), objective.code


def test_every_title_and_text_exists_in_the_three_languages(demo):
    for action in Action.objects.all():
        for name in ("title", "description", "expected_result"):
            ky, ru, en = (getattr(action, f"{name}_{lang}") for lang in ("ky", "ru", "en"))
            assert all((ky, ru, en)), (action.code, name)
            assert len({ky, ru, en}) == 3, (action.code, name)
        kyrgyz = action.title_ky + action.description_ky + action.expected_result_ky
        assert set(kyrgyz) & set("ңөүҢӨҮ"), action.code  # Kyrgyz, not Russian in the Kyrgyz field
    for indicator in PlanIndicator.objects.all():
        assert all((indicator.name_ky, indicator.name_ru, indicator.name_en))


def test_kyrgyz_texts_use_kyrgyz_letters_not_latin_look_alikes(demo):
    for action in Action.objects.all():
        for text in (action.title_ky, action.description_ky, action.title_ru, action.description_ru):
            letters = set(text.replace("ctip", "").replace("INL", ""))
            assert not letters & set("ABCEHKMOPTXYaceopxy"), (action.code, text)


def test_deadlines_lie_both_behind_and_ahead(demo):
    today = timezone.localdate()
    assert Action.objects.filter(deadline__lt=today).count() >= 4
    assert Action.objects.filter(deadline__gt=today).count() >= 15


def test_budgets_come_in_soms_and_dollars_with_funding_sources(demo):
    assert set(Action.objects.values_list("currency", flat=True)) == {"KGS", "USD"}
    assert not Action.objects.filter(funding_sources="").exists()
    assert Action.objects.filter(budget__gt=0).count() >= 30


def test_leads_and_co_executors_are_demo_agencies_and_partners_are_partners(demo):
    leads = set(Action.objects.values_list("lead__code", flat=True))
    assert {"mlsm", "mvd", "gpo", "sms", "mfa"} <= leads
    assert Action.objects.filter(co_executors__isnull=False).distinct().count() >= 25
    assert set(Action.objects.values_list("partners__code", flat=True)) - {None} == {"unodc", "iom"}
    assert not Action.objects.filter(co_executors=F("lead")).exists()


def test_each_responsible_organisation_has_a_member_who_may_file(demo):
    for action in Action.objects.prefetch_related("co_executors"):
        for org in [action.lead, *action.co_executors.all()]:
            filers = Membership.objects.filter(organisation=org, is_active=True, roles__role__in=REPORTING_ROLES)
            assert filers.exists(), (action.code, org.code)


def test_every_report_state_is_present(demo):
    states = set(ProgressReport.objects.values_list("status", flat=True))
    assert states == set(ReportStatus.values)
    assert (
        ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).count()
        > ProgressReport.objects.exclude(status=ReportStatus.ACCEPTED).count()
    )
    # resubmitted: returned once, then sent again (awaiting review or already accepted)
    resubmitted = ProgressReport.objects.exclude(return_comment="").exclude(status=ReportStatus.RETURNED)
    assert resubmitted.filter(status=ReportStatus.SUBMITTED).exists()
    assert resubmitted.filter(status=ReportStatus.ACCEPTED).exists()
    assert not ProgressReport.objects.filter(status=ReportStatus.RETURNED, return_comment="").exists()


def test_every_progress_status_is_reported(demo):
    assert set(ProgressReport.objects.values_list("progress", flat=True)) == set(ProgressStatus.values)


def test_the_workflow_went_through_the_services_and_is_audited(demo):
    for action, status in [
        ("plans.report.accept", ReportStatus.ACCEPTED),
        ("plans.report.submit", ReportStatus.SUBMITTED),
    ]:
        assert AuditEvent.objects.filter(action=action).count() >= ProgressReport.objects.filter(status=status).count()
    assert AuditEvent.objects.filter(action="plans.report.return").count() >= 1
    assert AuditEvent.objects.filter(action="plans.program.publish").count() == 1


def test_past_periods_are_reviewed_and_the_current_one_has_drafts(demo):
    today = timezone.localdate()
    past = ReportingPeriod.objects.filter(due_on__lt=today)
    current = ReportingPeriod.objects.get(starts_on__lte=today, ends_on__gte=today)
    assert not ProgressReport.objects.filter(period__in=past, status=ReportStatus.DRAFT).exists()
    assert ProgressReport.objects.filter(period=current).exists()
    assert set(ProgressReport.objects.filter(period=current).values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert not ProgressReport.objects.filter(period__starts_on__gt=today).exists()


def test_some_reports_due_in_the_past_are_missing(demo):
    today = timezone.localdate()
    latest = ReportingPeriod.objects.filter(due_on__lt=today).order_by("-due_on").first()
    responsible = {
        (a.pk, org.pk)
        for a in Action.objects.filter(starts_on__lte=latest.ends_on, deadline__gte=latest.starts_on)
        for org in [a.lead, *a.co_executors.all()]
    }
    filed = set(ProgressReport.objects.filter(period=latest).values_list("action_id", "organisation_id"))
    assert filed < responsible
    assert len(responsible - filed) >= 3


def test_timestamps_look_like_history_not_the_load_time(demo):
    now = timezone.now()
    accepted = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).select_related("period")
    assert all(r.submitted_at <= r.accepted_at <= now for r in accepted)
    assert all(timezone.localtime(r.submitted_at).date() > r.period.ends_on for r in accepted)
    on_time = [r for r in accepted if timezone.localtime(r.submitted_at).date() <= r.period.due_on]
    assert len(on_time) > len(accepted) / 2


def test_narratives_are_written_in_the_filing_agencys_language(demo):
    kyrgyz, russian = ("жарым жылдыгында", "Иш баштала элек"), ("полугодии", "Работа не начата")
    for report in ProgressReport.objects.select_related("organisation"):
        text = report.narrative
        language = plan_data.WORKING_LANGUAGE[report.organisation.code]
        assert any(m in text for m in (kyrgyz if language == "ky" else russian)), text
        assert not any(m in text for m in (russian if language == "ky" else kyrgyz)), text


def test_indicators_have_targets_and_some_are_computed_from_registered_metrics(demo):
    manual = PlanIndicator.objects.filter(source=IndicatorSource.MANUAL)
    assert manual.count() >= 8
    assert not manual.filter(Q(target__isnull=True) | Q(baseline__isnull=True)).exists()
    computed = PlanIndicator.objects.filter(source=IndicatorSource.METRIC)
    assert computed.count() >= 2
    assert set(computed.values_list("metric_name", flat=True)) <= set(metrics.names())
    assert IndicatorValue.objects.filter(report__status=ReportStatus.ACCEPTED).count() >= 10


REVIEWED_BEFORE_LAST = {ACCEPTED, RESUBMITTED_ACCEPTED, MISSING}
LAST_DUE = {AWAITING, RETURNED, RESUBMITTED, MISSING, ACCEPTED}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # late November: H2 2025 and H1 2026 are due, H2 2026 is under way, H1 2027 has not begun
        (dt.date(2026, 11, 29), [REVIEWED_BEFORE_LAST, LAST_DUE, {DRAFT, MISSING}, {MISSING}]),
        # 10 January: H2 2026 has ended but is not due until the 15th; H1 2027 is under way
        (dt.date(2027, 1, 10), [REVIEWED_BEFORE_LAST, LAST_DUE, {AWAITING, DRAFT, MISSING}, {DRAFT, MISSING}]),
    ],
)
def test_the_calendar_tells_each_half_year_its_story(today, expected):
    halves = [(dt.date(2025, 7, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 6, 30))]
    halves += [(dt.date(2026, 7, 1), dt.date(2026, 12, 31)), (dt.date(2027, 1, 1), dt.date(2027, 6, 30))]
    periods = [ReportingPeriod(starts_on=s, ends_on=e, due_on=due_date(e)) for s, e in halves]
    calendar = Calendar(today, periods)
    assert calendar.last_due == 1
    assert [{calendar.story(i, n) for n in range(77)} for i in range(4)] == expected
