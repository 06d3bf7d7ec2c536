"""The plan's reads: what an agency owes on a given day, who is late, the tree's order and status."""

from __future__ import annotations

import datetime as dt

import pytest

from ctip.plans import selectors, services
from ctip.plans.tests.factories import make_action, make_objective, make_program

pytestmark = pytest.mark.django_db


def _states(due: list[selectors.DuePeriod]) -> list[tuple[str, bool, dict[str, list[str]]]]:
    return [
        (str(p.period), p.overdue, {state: [i.action.code for i in items] for state, items in p.groups}) for p in due
    ]


def test_reports_due_on_a_day_across_the_year_end(plan):
    """The shared plan runs 2024–2025; its H2 2024 report is due on 15 January 2025."""
    # On 10 January 2025 H2 2024 is not yet late (due the 15th); H1 2024 is; H1 2025 is running.
    assert _states(selectors.reports_due(plan.reporter_a, dt.date(2025, 1, 10))) == [
        ("2024-01-01–2024-06-30", True, {"missing": ["2.3.1"]}),
        ("2024-07-01–2024-12-31", False, {"missing": ["2.3.1"]}),
        ("2025-01-01–2025-06-30", False, {"missing": ["2.3.1"]}),
    ]
    assert [p.overdue for p in selectors.reports_due(plan.reporter_a, dt.date(2025, 1, 16))] == [True, True, False]


def test_a_period_fully_sent_and_past_drops_off_reports_due(cast, plan):
    report = services.report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1)
    services.report_submit(actor=plan.reporter_a, report=report)
    due = selectors.reports_due(plan.reporter_a, dt.date(2025, 1, 10))
    assert [str(p.period) for p in due] == ["2024-07-01–2024-12-31", "2025-01-01–2025-06-30"]
    # Before its due date a sent period stays listed, so the agency sees it went.
    early = selectors.reports_due(plan.reporter_a, dt.date(2024, 7, 2))
    assert _states(early) == [
        ("2024-01-01–2024-06-30", False, {"submitted": ["2.3.1"]}),
        ("2024-07-01–2024-12-31", False, {"missing": ["2.3.1"]}),
    ]


def test_a_draft_program_owes_nothing_and_is_not_late(cast, plan):
    draft = make_program(cast.coordinator, title_en="Draft")
    make_action(cast.coordinator, make_objective(cast.coordinator, draft), cast.org_a, code="9.9.9")
    assert {i.action.code for p in selectors.reports_due(plan.reporter_a) for _, items in p.groups for i in items} == {
        "2.3.1"
    }
    assert [a.code for a in selectors.overdue_actions(dt.date(2030, 1, 1))] == ["2.3.1"]


def test_overdue_reports_on_a_day_count_each_responsible_agency(cast, plan):
    late = selectors.overdue_reports(dt.date(2024, 7, 16))  # only H1 2024 is past due
    assert [(a.organisation.code, [str(i.period) for i in a.items]) for a in late] == [
        ("police-b", ["2024-01-01–2024-06-30"]),
        ("shelter-a", ["2024-01-01–2024-06-30"]),
    ]
    report = services.report_save_draft(actor=plan.reporter_b, action=plan.action, period=plan.h1)
    services.report_submit(actor=plan.reporter_b, report=report)
    services.report_return(actor=cast.coordinator, report=report, comment="Redo")
    late = selectors.overdue_reports(dt.date(2024, 7, 16))
    assert [(a.organisation.code, [i.status for i in a.items]) for a in late] == [
        ("police-b", ["returned"]),  # returned is not sent: still late
        ("shelter-a", [None]),
    ]


def test_an_action_is_overdue_until_an_accepted_report_says_completed(cast, plan):
    day = dt.date(2025, 7, 1)  # the day after the deadline
    assert [a.code for a in selectors.overdue_actions(day)] == ["2.3.1"]
    report = services.report_save_draft(
        actor=plan.reporter_a, action=plan.action, period=plan.h1, progress="completed", percent=100
    )
    services.report_submit(actor=plan.reporter_a, report=report)
    assert [a.code for a in selectors.overdue_actions(day)] == ["2.3.1"]  # not accepted yet
    services.report_accept(actor=cast.coordinator, report=report)
    assert list(selectors.overdue_actions(day)) == []
    assert list(selectors.overdue_actions(dt.date(2025, 6, 30))) == []


def test_the_latest_period_speaks_for_the_status(cast, plan):
    for period, percent in ((plan.h2, 60), (plan.h1, 30)):  # filed out of order
        report = services.report_save_draft(
            actor=plan.reporter_a, action=plan.action, period=period, progress="in_progress", percent=percent
        )
        services.report_submit(actor=plan.reporter_a, report=report)
        services.report_accept(actor=cast.coordinator, report=report)
    actions = selectors.plan_actions(plan.program, None, selectors.TreeFilters())
    assert [(a.current_progress, a.current_percent) for a in actions] == [("in_progress", 60)]


def test_an_action_with_several_pillars_sits_under_the_first_in_4p_order(cast, plan):
    make_action(
        cast.coordinator, plan.action.objective, cast.org_b, code="2.3.2", pillars=["PARTNERSHIP", "PREVENTION"]
    )
    groups = selectors.group_tree(selectors.plan_actions(plan.program, None, selectors.TreeFilters()))
    assert [(g.pillar, [r.action.code for o in g.objectives for r in o.rows]) for g in groups] == [
        ("PREVENTION", ["2.3.2"]),
        ("PROTECTION", ["2.3.1"]),
    ]
    assert groups[0].objectives[0].rows[0].pillars == ["Prevention", "Partnership"]
