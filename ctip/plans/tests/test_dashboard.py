"""The plan dashboard: what it counts, whose reports it counts, who sees it, and what it costs in queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.conftest import Cast, client_for
from ctip.funding.models import Allocation, Commitment, Disbursement
from ctip.orgs.models import Membership, OrgType
from ctip.orgs.roles import Role
from ctip.plans import dashboard
from ctip.plans.figures import figures as draw_figures
from ctip.plans.models import (
    Action,
    ActionPillar,
    IndicatorValue,
    Objective,
    PlanIndicator,
    Program,
    ProgressReport,
    ReportingPeriod,
)
from ctip.plans.services import (
    indicator_create,
    program_approve,
    report_accept,
    report_return,
    report_save_draft,
    report_submit,
)
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.screening.tests.factories import make_screening
from ctip.testing import OrganisationFactory, member

pytestmark = pytest.mark.django_db

ACCEPTED_NARRATIVE = "Forty border officers trained in Osh"
DRAFT_NARRATIVE = "UNSENT DRAFT about the Naryn shelter"
WAITING_NARRATIVE = "SUBMITTED BUT NOT YET ACCEPTED"
TODAY = dt.date(2026, 11, 29)


def approved_program(cast: Cast) -> Program:
    program = make_program(cast.coordinator)
    make_action(cast.coordinator, make_objective(cast.coordinator, program), cast.org_a)
    return program_approve(actor=cast.coordinator, program=program)


# The lead merges these into ctip/plans/tests/routes.py (ROUTES) for the access matrix.
@dataclass
class Scene:
    program: Program
    a1: Action  # 2.3.1, PROTECTION, led by org A with org B co-executing; deadline mid-2025
    a2: Action  # 1.1.1, PREVENTION and PARTNERSHIP, led by org B; deadline March 2024
    a3: Action  # 3.1.1, PROSECUTION, led by org A; deadline end of 2025
    h1_2024: ReportingPeriod
    last: ReportingPeriod
    indicator: PlanIndicator
    reporter_a: Membership
    reporter_b: Membership


def make_scene(cast: Cast) -> Scene:
    """A small approved plan with reports in several states for the first half of 2024."""
    coordinator = cast.coordinator
    program = make_program(coordinator, title_ru="Госпрограмма", title_en="State Program")
    objective = make_objective(coordinator, program)
    a1 = make_action(coordinator, objective, cast.org_a, co_executors=(cast.org_b,), title_en="Train border officers")
    a2 = make_action(
        coordinator,
        objective,
        cast.org_b,
        code="1.1.1",
        pillars=["PREVENTION", "PARTNERSHIP"],
        deadline=dt.date(2024, 3, 31),
    )
    a3 = make_action(
        coordinator, objective, cast.org_a, code="3.1.1", pillars=["PROSECUTION"], deadline=dt.date(2025, 12, 31)
    )
    indicator = indicator_create(
        actor=coordinator,
        action=a1,
        name_ky="Окутулган кызматкерлер",
        name_ru="Обученные сотрудники",
        name_en="Officers trained",
        unit="people",
        baseline=Decimal(0),
        target=Decimal(100),
    )
    program_approve(actor=coordinator, program=program)
    periods = list(program.periods.order_by("starts_on"))
    h1 = periods[0]
    reporter_a, reporter_b = member(cast.org_a, Role.ANALYST), member(cast.org_b, Role.ANALYST)
    accepted = report_save_draft(
        actor=reporter_a,
        action=a1,
        period=h1,
        progress="in_progress",
        percent=40,
        narrative=ACCEPTED_NARRATIVE,
        values={indicator: Decimal(40)},
    )
    report_accept(actor=coordinator, report=report_submit(actor=reporter_a, report=accepted))
    report_save_draft(actor=reporter_b, action=a1, period=h1, progress="delayed", narrative=DRAFT_NARRATIVE)
    done = report_save_draft(actor=reporter_b, action=a2, period=h1, progress="completed", percent=100)
    report_accept(actor=coordinator, report=report_submit(actor=reporter_b, report=done))
    waiting = report_save_draft(
        actor=reporter_a, action=a3, period=h1, progress="in_progress", percent=10, narrative=WAITING_NARRATIVE
    )
    report_submit(actor=reporter_a, report=waiting)
    # Org B sent its report on 1.1.1 before the due date (15 July 2024); the others were sent only now, late.
    ProgressReport.objects.filter(pk=done.pk).update(submitted_at=dt.datetime(2024, 7, 10, 6, 0, tzinfo=dt.UTC))
    return Scene(program, a1, a2, a3, h1, periods[-1], indicator, reporter_a, reporter_b)


def english(membership: Membership) -> Client:
    client = client_for(membership)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def counts(rows: list[dashboard.PillarRow]) -> dict[str, dict[str, int]]:
    return {r.pillar: {k: v for k, v in r.counts.items() if v} for r in rows}


# --- What it counts -----------------------------------------------------------------------------------------------


def test_implementation_by_pillar_counts_accepted_reports_only(cast):
    scene = make_scene(cast)
    data = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=TODAY)
    assert counts(data.pillars) == {
        "PREVENTION": {"completed": 1},
        "PROTECTION": {"in_progress": 1},  # org B's draft saying "delayed" does not count
        "PROSECUTION": {"none": 1},  # submitted, not yet accepted
        "PARTNERSHIP": {"completed": 1},
    }
    assert [(r.action.code, r.status, r.percent) for r in data.actions] == [
        ("1.1.1", "completed", 100),
        ("2.3.1", "in_progress", 40),
        ("3.1.1", "none", None),
    ]


def test_a_later_period_carries_the_latest_accepted_status_and_counts_overdue_actions(cast):
    scene = make_scene(cast)
    data = dashboard.build(cast.viewer_a, scene.program, scene.last, today=TODAY)
    assert data.as_of == dt.date(2025, 12, 31)
    assert [(r.action.code, r.status, r.overdue) for r in data.actions] == [
        ("1.1.1", "completed", False),
        ("2.3.1", "in_progress", True),  # deadline June 2025 passed, not completed
        ("3.1.1", "none", False),  # deadline is the period's last day
    ]
    assert data.overdue_actions == 1
    earlier = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=TODAY)
    assert earlier.overdue_actions == 0


def test_by_agency_reports_are_on_time_late_or_missing_as_far_as_the_viewer_sees_them(cast):
    scene = make_scene(cast)

    def table(actor: Membership) -> dict[str, tuple[int, dict[str, int], int, dict[str, int]]]:
        data = dashboard.build(actor, scene.program, scene.h1_2024, today=TODAY)
        return {
            a.organisation.code: (
                a.led,
                {k: v for k, v in a.statuses.items() if v},
                a.overdue,
                {k: v for k, v in a.reports.items() if v},
            )
            for a in data.agencies
        }

    # Org A sees its own submitted report on 3.1.1 and every accepted one; org B's draft is nobody's business.
    assert table(cast.viewer_a) == {
        "police-b": (1, {"completed": 1}, 0, {"on_time": 1, "missing": 1}),
        "shelter-a": (2, {"in_progress": 1, "none": 1}, 0, {"late": 2}),
    }
    # Org B does not see org A's report that is still waiting for review.
    assert table(cast.admin_b)["shelter-a"][3] == {"late": 1, "missing": 1}
    # Before the due date nothing is missing yet.
    early = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=dt.date(2024, 7, 1))
    assert {a.organisation.code: a.reports["not_due"] for a in early.agencies} == {"police-b": 1, "shelter-a": 0}
    # A report returned for correction is owed again.
    report_return(actor=cast.coordinator, report=scene.a3.reports.get(), comment="Add the numbers.")
    assert table(cast.viewer_a)["shelter-a"][3] == {"late": 1, "missing": 1}


def test_indicators_take_the_latest_accepted_value_or_the_metric(cast):
    scene = make_scene(cast)
    indicator_create(
        actor=cast.coordinator,
        objective=scene.a1.objective,
        name_ky="n",
        name_ru="n",
        name_en="Screenings done",
        unit="screenings",
        baseline=Decimal(10),
        target=Decimal(2),
        direction="decrease",
        source="metric",
        metric_name="screening.screenings_done",
    )
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2024, 3, 1))
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2024, 5, 1))
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2024, 8, 1))
    data = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=TODAY)
    rows = {r.name: (r.current, r.ratio, r.computed) for r in data.indicators}
    assert rows == {
        "Officers trained": (Decimal(40), pytest.approx(0.4), False),
        "Screenings done": (Decimal(2), pytest.approx(1.0), True),
    }


def test_a_draft_value_does_not_move_an_indicator(cast):
    scene = make_scene(cast)
    report_save_draft(actor=scene.reporter_a, action=scene.a1, period=scene.last, values={scene.indicator: 99})
    data = dashboard.build(cast.viewer_a, scene.program, scene.last, today=TODAY)
    assert [r.current for r in data.indicators] == [Decimal(40)]


def test_the_latest_accepted_report_wins_within_a_period_and_later_periods_do_not_reach_back(cast):
    scene = make_scene(cast)
    # Org B's draft on 2.3.1 for the first half of 2024 is accepted after org A's: it is now the latest.
    draft = scene.a1.reports.get(organisation=scene.reporter_b.organisation)
    report_accept(actor=cast.coordinator, report=report_submit(actor=scene.reporter_b, report=draft))
    later = report_save_draft(
        actor=scene.reporter_a,
        action=scene.a1,
        period=scene.last,
        progress="completed",
        percent=100,
        values={scene.indicator: Decimal(70)},
    )
    report_accept(actor=cast.coordinator, report=report_submit(actor=scene.reporter_a, report=later))

    def status_and_value(period: ReportingPeriod) -> tuple[str, int | None, Decimal | None]:
        data = dashboard.build(cast.viewer_a, scene.program, period, today=TODAY)
        row = next(r for r in data.actions if r.action.code == "2.3.1")
        return row.status, row.percent, data.indicators[0].current

    assert status_and_value(scene.h1_2024) == ("delayed", 0, Decimal(40))  # org B's report carries no value
    assert status_and_value(scene.last) == ("completed", 100, Decimal(70))


@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        (dt.datetime(2024, 7, 15, 17, 59, 59, tzinfo=dt.UTC), "on_time"),  # 23:59:59 on the due date in Bishkek
        (dt.datetime(2024, 7, 15, 18, 0, tzinfo=dt.UTC), "late"),  # midnight in Bishkek: the next day
    ],
)
def test_a_report_is_on_time_until_midnight_of_the_due_date_in_bishkek(cast, sent_at, expected):
    scene = make_scene(cast)
    assert scene.h1_2024.due_on == dt.date(2024, 7, 15)
    ProgressReport.objects.filter(action=scene.a2).update(submitted_at=sent_at)
    data = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=TODAY)
    police_b = next(a for a in data.agencies if a.organisation.code == "police-b")
    assert {k: v for k, v in police_b.reports.items() if v} == {expected: 1, "missing": 1}


def add_funding(cast: Cast, scene: Scene) -> None:
    """A signed US$1,000,000 INL commitment implemented by UNODC, and a small pledge in som."""
    inl = OrganisationFactory(code="inl", name_en="INL", org_type=OrgType.DONOR)
    embassy = OrganisationFactory(code="embassy", name_en="Embassy", org_type=OrgType.DONOR)
    unodc = OrganisationFactory(code="unodc", name_en="UNODC", org_type=OrgType.INTERNATIONAL)
    dates = {"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2025, 12, 31)}
    usd = Commitment.objects.create(
        program=scene.program,
        donor=inl,
        implementer=unodc,
        title="UNODC project",
        amount=Decimal(1_000_000),
        currency="USD",
        status="signed",
        **dates,
    )
    Allocation.objects.create(commitment=usd, action=scene.a1, amount=Decimal(600))
    Disbursement.objects.create(commitment=usd, date=dt.date(2024, 3, 1), amount=Decimal(250_000))
    som = Commitment.objects.create(
        program=scene.program,
        donor=embassy,
        implementer=unodc,
        title="Pledge",
        amount=Decimal(50_000),
        currency="KGS",
        **dates,
    )
    Allocation.objects.create(commitment=som, action=scene.a2, amount=Decimal(50_000))


def test_funding_by_donor_and_gaps_by_pillar_per_currency(cast):
    scene = make_scene(cast)
    add_funding(cast, scene)
    data = dashboard.build(cast.viewer_a, scene.program, scene.h1_2024, today=TODAY)
    figures = {f.key: f for f in draw_figures(data)}
    assert figures["donors"].rows == [
        ["Embassy", "KGS", Decimal(50_000), Decimal(0), Decimal(50_000), Decimal(0)],
        ["INL", "USD", Decimal(1_000_000), Decimal(1_000_000), Decimal(600), Decimal(250_000)],
    ]
    # Make_action plans US$1,000 for each action; som allocated to a dollar budget do not close its gap.
    assert figures["gaps"].rows == [
        ["Prevention", "USD", 1, Decimal(1000), Decimal(0), Decimal(1000), "KGS 50,000"],
        ["Protection", "USD", 1, Decimal(1000), Decimal(600), Decimal(400), ""],
        ["Prosecution", "USD", 1, Decimal(1000), Decimal(0), Decimal(1000), ""],
        ["Partnership", "USD", 1, Decimal(1000), Decimal(0), Decimal(1000), "KGS 50,000"],
    ]
    assert "1,000,000" in str(figures["donors"].svg)


# --- The page -----------------------------------------------------------------------------------------------------


def test_the_page_shows_the_charts_inline_with_their_tables(cast):
    scene = make_scene(cast)
    response = english(cast.viewer_a).get(reverse("plans:dashboard", args=[scene.program.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == len(response.context["figures"]) >= 4
    assert "Implementation by pillar" in html
    assert "Indicators against their targets" in html
    assert "Officers trained" in html
    assert DRAFT_NARRATIVE not in html
    body = html.split("</head>")[1]
    # The strict CSP allows no inline script or style.
    assert "<script" not in body
    assert "<style" not in body
    assert "style=" not in body
    assert "national-report" not in html  # a viewer may not generate the report


def test_a_hostile_action_title_is_escaped_in_the_charts(cast):
    scene = make_scene(cast)
    Action.objects.filter(pk=scene.a1.pk).update(title_en='<img src=x onerror="alert(1)">')
    Objective.objects.filter(pk=scene.a1.objective_id).update(title_en="<b>objective</b>")
    from ctip.orgs.models import Organisation

    Organisation.objects.filter(pk=cast.org_a.pk).update(name_en="<script>x</script>")
    html = english(cast.viewer_a).get(reverse("plans:dashboard", args=[scene.program.pk])).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_period_filter_chooses_the_period_and_refuses_a_foreign_one(cast):
    scene = make_scene(cast)
    url = reverse("plans:dashboard", args=[scene.program.pk])
    client = english(cast.viewer_a)
    chosen = client.get(url, {"period": scene.h1_2024.pk})
    assert chosen.context["data"].period == scene.h1_2024
    other = make_program(cast.coordinator).periods.first()
    refused = client.get(url, {"period": other.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["period"]
    assert "not one of them" in refused.content.decode()
    assert refused.context["data"].period == dashboard.default_period(scene.program.periods.all())


def test_the_coordinator_gets_the_report_form(cast):
    scene = make_scene(cast)
    html = client_for(cast.coordinator).get(reverse("plans:dashboard", args=[scene.program.pk])).content.decode()
    assert reverse("plans:national_report", args=[scene.program.pk]) in html
    assert html.count('id="id_period"') == 1  # the two forms' fields keep distinct ids
    assert html.count('id="report-period"') == 1


def test_the_link_to_every_overdue_action_is_shown_only_to_those_who_may_open_it(cast, monkeypatch):
    monkeypatch.setattr("ctip.plans.views.dashboard.OVERDUE_ROWS", 0)  # so the one overdue action is "one more"
    scene = make_scene(cast)
    url = reverse("plans:dashboard", args=[scene.program.pk])
    overdue = f'href="{reverse("plans:overdue")}"'

    def page(who: Membership) -> str:
        return english(who).get(url, {"period": scene.last.pk}).content.decode()

    assert [overdue in page(who) for who in (cast.coordinator, scene.reporter_a, cast.viewer_a)] == [True, True, False]
    assert "And 1 more overdue action." in page(cast.viewer_a)
    assert client_for(cast.viewer_a).get(reverse("plans:overdue")).status_code == 403


def test_a_draft_program_has_no_dashboard_outside_the_coordinators(cast):
    program = make_program(cast.coordinator)
    url = reverse("plans:dashboard", args=[program.pk])
    assert client_for(cast.viewer_a).get(url).status_code == 404
    denial = AuditEvent.objects.get(action="access.denied")
    assert (denial.details["object_id"], denial.details["status"]) == (str(program.pk), 404)
    assert client_for(cast.coordinator).get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(cast):
    program = approved_program(cast)
    response = Client().get(reverse("plans:dashboard", args=[program.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_member_of_every_organisation_sees_an_approved_programs_dashboard(cast):
    program = approved_program(cast)
    for who in (cast.admin_b, cast.case_worker_a, cast.viewer_a, cast.coordinator):
        assert client_for(who).get(reverse("plans:dashboard", args=[program.pk])).status_code == 200


# --- Cost -----------------------------------------------------------------------------------------------------------


def bulk_plan(cast: Cast, size: int) -> Program:
    """An approved program with ``size`` actions with pillars, co-executors, reports, indicators and funding.

    Built with bulk inserts: this is data for measuring reads, not a test of the services.
    """
    program = make_program(cast.coordinator, title_en=f"Plan of {size}")
    objective = make_objective(cast.coordinator, program)
    program_approve(actor=cast.coordinator, program=program)
    orgs = [OrganisationFactory() for _ in range(3)]
    actions = Action.objects.bulk_create(
        Action(
            program=program,
            objective=objective,
            code=f"9.{n}",
            title_ky="a",
            title_ru="a",
            title_en=f"Action {n}",
            lead=orgs[n % 3],
            starts_on=dt.date(2024, 1, 1),
            deadline=dt.date(2024, 12, 31) if n % 2 else dt.date(2025, 12, 31),
        )
        for n in range(size)
    )
    ActionPillar.objects.bulk_create(
        ActionPillar(action=a, pillar=("PREVENTION", "PROTECTION")[n % 2]) for n, a in enumerate(actions)
    )
    Action.co_executors.through.objects.bulk_create(
        Action.co_executors.through(action_id=a.pk, organisation_id=orgs[(n + 1) % 3].pk) for n, a in enumerate(actions)
    )
    periods = list(program.periods.order_by("starts_on"))
    now = timezone.now()
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            action=a,
            organisation_id=a.lead_id,
            period=period,
            status="accepted",
            progress=("in_progress", "completed", "delayed")[n % 3],
            percent=n % 100,
            narrative=f"narrative {n}",
            submitted_at=now,
            accepted_at=now,
        )
        for n, a in enumerate(actions)
        for period in periods[:2]
    )
    indicators = PlanIndicator.objects.bulk_create(
        PlanIndicator(action=a, name_ky="i", name_ru="i", name_en=f"Indicator {n}", unit="u", target=Decimal(10))
        for n, a in enumerate(actions)
    )
    by_action = {i.action_id: i for i in indicators}
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=r, indicator=by_action[r.action_id], value=Decimal(3)) for r in reports
    )
    PlanIndicator.objects.bulk_create(
        PlanIndicator(
            objective=objective,
            name_ky="m",
            name_ru="m",
            name_en=f"Metric {n}",
            unit="u",
            source="metric",
            metric_name="screening.screenings_done",
        )
        for n in range(3)
    )
    commitment = Commitment.objects.create(
        program=program,
        donor=orgs[0],
        implementer=orgs[1],
        title="Project",
        amount=Decimal(10**6),
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    Allocation.objects.bulk_create(Allocation(commitment=commitment, action=a, amount=Decimal(100)) for a in actions)
    Disbursement.objects.create(commitment=commitment, date=dt.date(2024, 2, 1), amount=Decimal(5000))
    return program


def test_the_dashboard_costs_the_same_number_of_queries_for_5_and_60_actions(cast):
    small, large = bulk_plan(cast, 5), bulk_plan(cast, 60)
    client = client_for(cast.coordinator)
    client.get(reverse("plans:dashboard", args=[small.pk]))  # warm the session and caches alike

    def cost(program: Program) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("plans:dashboard", args=[program.pk]))
        assert response.status_code == 200
        assert len(response.context["data"].actions) in (5, 60)
        return len(queries)

    assert cost(small) == cost(large)


def test_the_indicator_chart_draws_at_most_25_and_the_report_table_lists_all(cast):
    program = bulk_plan(cast, 30)
    data = dashboard.build(cast.coordinator, program, dashboard.default_period(program.periods.all()), today=TODAY)
    page = next(f for f in draw_figures(data) if f.key == "indicators")
    report = next(f for f in draw_figures(data, complete_tables=True) if f.key == "indicators")
    assert len(data.indicators) == 33  # 30 reported, 3 computed without a target
    assert len(page.rows) == 25
    assert str(page.svg).count("<g><title>") == 25
    assert [row[-1] for row in page.rows] == [30] * 25  # 3 of 10 reported; those without a target come last
    assert page.note == (
        "The chart shows the 25 of 33 indicators furthest from their targets. The national report lists them all."
    )
    assert len(report.rows) == 33
