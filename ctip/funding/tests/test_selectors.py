from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from ctip.coordination.tests.factories import approved_action
from ctip.funding import services
from ctip.funding.selectors import action_budgets, funding_by_donor, funding_gaps, pillar_gaps
from ctip.funding.tests.factories import donor, make_commitment
from ctip.plans.tests.factories import make_action

pytestmark = pytest.mark.django_db
M = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def plan(cast):
    """Three actions: 2.3.1 PROTECTION (1000 USD), 2.3.2 PROTECTION+PROSECUTION (500 USD), 2.3.3 PROSECUTION (KGS)."""
    first = approved_action(cast.coordinator, cast.org_a, pillars=["PROTECTION"], budget=M("1000"), currency="USD")
    objective = first.objective
    second = make_action(
        cast.coordinator, objective, cast.org_a, code="2.3.2", pillars=["PROTECTION", "PROSECUTION"], budget=M("500")
    )
    third = make_action(
        cast.coordinator,
        objective,
        cast.org_b,
        code="2.3.3",
        pillars=["PROSECUTION"],
        budget=M("90000"),
        currency="KGS",
    )
    return first.program, first, second, third


def _allocate(cast, commitment, action, amount):
    services.allocation_set(actor=cast.coordinator, commitment=commitment, action=action, amount=M(amount))


def test_the_gap_counts_only_allocations_in_the_actions_currency(cast, plan):
    program, first, second, third = plan
    usd = make_commitment(cast.coordinator, program, cast.org_a, amount=M("5000"))
    eur = make_commitment(cast.coordinator, program, cast.org_a, amount=M("5000"), currency="EUR")
    _allocate(cast, usd, first, "300")
    _allocate(cast, eur, first, "200")  # not converted: shown apart, the gap stays
    _allocate(cast, usd, second, "800")  # more than the budget
    _allocate(cast, usd, third, "100")  # USD against a KGS budget
    gaps = {g.action.code: g for g in funding_gaps(program).actions}
    assert (gaps["2.3.1"].allocated, gaps["2.3.1"].gap, gaps["2.3.1"].other) == (M("300"), M("700"), {"EUR": M("200")})
    assert (gaps["2.3.2"].gap, gaps["2.3.2"].surplus) == (M("0"), M("300"))
    assert (gaps["2.3.3"].allocated, gaps["2.3.3"].gap, gaps["2.3.3"].other) == (M("0"), M("90000"), {"USD": M("100")})


def test_an_action_with_two_pillars_counts_in_full_under_each_and_surplus_fills_no_other_gap(cast, plan):
    program, first, second, _third = plan
    usd = make_commitment(cast.coordinator, program, cast.org_a, amount=M("5000"))
    _allocate(cast, usd, first, "300")
    _allocate(cast, usd, second, "800")
    rows = {(p.pillar, p.currency): p for p in funding_gaps(program).pillars}
    assert list(rows) == [("PROTECTION", "USD"), ("PROSECUTION", "KGS"), ("PROSECUTION", "USD")]
    protection = rows[("PROTECTION", "USD")]
    assert (protection.actions, protection.budget, protection.allocated, protection.gap) == (
        2,
        M("1500"),
        M("1100"),
        M("700"),  # 700 on 2.3.1; 2.3.2's surplus of 300 does not reduce it
    )
    prosecution_usd = rows[("PROSECUTION", "USD")]
    assert (prosecution_usd.actions, prosecution_usd.budget, prosecution_usd.gap) == (1, M("500"), M("0"))
    assert rows[("PROSECUTION", "KGS")].gap == M("90000")


def test_funding_gaps_run_three_queries_whatever_the_plan_size(cast, plan, django_assert_num_queries):
    program, first, *_ = plan
    commitment = make_commitment(cast.coordinator, program, cast.org_a, amount=M("100000"))
    for n in range(4, 14):
        action = make_action(cast.coordinator, first.objective, cast.org_a, code=f"2.3.{n}", pillars=["PREVENTION"])
        _allocate(cast, commitment, action, "10")
    with django_assert_num_queries(3):
        gaps = funding_gaps(program)
    assert len(gaps.actions) == 13


def test_pillar_gaps_from_budgets_already_read_match_the_full_reading(cast, plan, django_assert_num_queries):
    program, first, second, third = plan
    usd = make_commitment(cast.coordinator, program, cast.org_a, amount=M("5000"))
    eur = make_commitment(cast.coordinator, program, cast.org_a, amount=M("5000"), currency="EUR")
    _allocate(cast, usd, first, "300")
    _allocate(cast, eur, first, "200")
    _allocate(cast, usd, second, "800")
    _allocate(cast, usd, third, "100")
    budgets = action_budgets(program)
    assert [(b.action_id, b.pillars, b.budget, b.currency) for b in budgets] == [
        (first.pk, ("PROTECTION",), M("1000"), "USD"),
        (second.pk, ("PROSECUTION", "PROTECTION"), M("500"), "USD"),
        (third.pk, ("PROSECUTION",), M("90000"), "KGS"),
    ]
    with django_assert_num_queries(1):  # only the allocations: the caller has the actions
        given = pillar_gaps(program, budgets)
    with django_assert_num_queries(3):
        read = pillar_gaps(program)
    assert given == read == funding_gaps(program).pillars
    assert [(p.pillar, p.currency, p.gap, p.other) for p in given] == [
        ("PROTECTION", "USD", M("700"), {"EUR": M("200")}),
        ("PROSECUTION", "KGS", M("90000"), {"USD": M("100")}),
        ("PROSECUTION", "USD", M("0"), {}),
    ]


def test_funding_by_donor_sums_per_donor_and_currency(cast, plan, django_assert_num_queries):
    program, first, second, _ = plan
    inl = donor()
    big = make_commitment(cast.coordinator, program, cast.org_a, donor=inl, amount=M("1000"))
    make_commitment(cast.coordinator, program, cast.org_b, donor=inl, amount=M("500"), status="pledged")
    make_commitment(cast.coordinator, program, cast.org_b, donor=inl, amount=M("70"), currency="EUR")
    _allocate(cast, big, first, "400")
    _allocate(cast, big, second, "100")
    services.disbursement_create(actor=cast.coordinator, commitment=big, date=TODAY, amount=M("250"))
    services.disbursement_create(actor=cast.coordinator, commitment=big, date=TODAY, amount=M("50"))
    with django_assert_num_queries(1):
        rows = funding_by_donor(program)
    summary = [(r.currency, r.commitments, r.committed, r.signed, r.allocated, r.disbursed) for r in rows]
    assert summary == [
        ("EUR", 1, M("70"), M("70"), M("0"), M("0")),
        ("USD", 2, M("1500"), M("1000"), M("500"), M("300")),
    ]
