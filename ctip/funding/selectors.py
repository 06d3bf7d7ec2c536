"""Reads of donor funding: commitments with their totals, funding by donor and the funding gaps of a program.

``funding_by_donor`` and ``funding_gaps`` run a fixed number of queries whatever the size of the plan, so the
dashboard and the national report can call them. Money in different currencies is never added up: every total is
per currency, and an action's gap counts only allocations in the action's own currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ctip.funding import access
from ctip.funding.models import Allocation, Commitment, CommitmentStatus, Disbursement
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access as plan_access
from ctip.plans.models import Action, ActionPillar, Pillar, Program

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
ACTION_FIELDS = ("id", "code", "title_ky", "title_ru", "title_en", "budget", "currency")  # what the gaps page shows


def _total(model: type[Allocation] | type[Disbursement]) -> Coalesce:
    rows = model.objects.filter(commitment=OuterRef("pk")).values("commitment").annotate(t=Sum("amount")).values("t")
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


class Totals(TypedDict):
    allocated: Decimal
    disbursed: Decimal


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CommitmentWithTotals = WithAnnotations[Commitment, Totals]


def with_totals(rows: QuerySet[Commitment]) -> QuerySet[CommitmentWithTotals]:
    """Annotate ``allocated`` and ``disbursed`` (in the commitment's currency) without multiplying rows."""
    return rows.annotate(allocated=_total(Allocation), disbursed=_total(Disbursement))


def commitments_visible_to(
    actor: Membership | None, *, program: Program | None = None
) -> QuerySet[CommitmentWithTotals]:
    rows = access.commitments.visible(actor, "view").select_related("donor", "implementer", "program")
    if program is not None:
        rows = rows.filter(program=program)
    return with_totals(rows)


def programs_visible_to(actor: Membership | None) -> QuerySet[Program]:
    return plan_access.programs.visible(actor, "view").order_by("-starts_on", "-pk")


def latest_program(actor: Membership | None) -> Program | None:
    return programs_visible_to(actor).first()


# --- Funding by donor ---------------------------------------------------------------------------------------------


@dataclass
class DonorFunding:
    donor: Organisation
    currency: str
    commitments: int = 0
    committed: Decimal = ZERO
    signed: Decimal = ZERO  # the part of ``committed`` under signed agreements (the rest is pledged)
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO


def funding_by_donor(program: Program) -> list[DonorFunding]:
    """Return one row per donor and currency, largest commitment first (one query)."""
    rows: dict[tuple[int, str], DonorFunding] = {}
    for c in with_totals(Commitment.objects.filter(program=program).select_related("donor")):
        row = rows.setdefault((c.donor_id, c.currency), DonorFunding(donor=c.donor, currency=c.currency))
        row.commitments += 1
        row.committed += c.amount
        row.signed += c.amount if c.status == CommitmentStatus.SIGNED else ZERO
        row.allocated += c.allocated
        row.disbursed += c.disbursed
    return sorted(rows.values(), key=lambda r: (r.currency, -r.committed, r.donor.code))


# --- Funding gaps -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionBudget:
    """What an action's gap is computed from: its id, pillars, planned budget and currency (plain values)."""

    action_id: int
    pillars: tuple[str, ...]
    budget: Decimal
    currency: str


@dataclass(frozen=True)
class BudgetGap:
    """An action's budget against what donors allocated to it."""

    pillars: tuple[str, ...]
    budget: Decimal
    currency: str
    allocated: Decimal  # allocations in the action's own currency
    other: dict[str, Decimal]  # allocations in other currencies, not converted and not counted in the gap

    @property
    def gap(self) -> Decimal:
        return max(self.budget - self.allocated, ZERO)

    @property
    def surplus(self) -> Decimal:
        return max(self.allocated - self.budget, ZERO)


@dataclass(frozen=True)
class ActionGap(BudgetGap):
    action: Action


@dataclass
class PillarGap:
    pillar: str
    currency: str
    actions: int = 0
    budget: Decimal = ZERO
    allocated: Decimal = ZERO
    gap: Decimal = ZERO  # the sum of the actions' gaps: one action's surplus does not fill another's gap
    other: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(Pillar(self.pillar).label)


@dataclass(frozen=True)
class FundingGaps:
    actions: list[ActionGap]
    pillars: list[PillarGap]


def funding_gaps(program: Program) -> FundingGaps:
    """Return the gap of every action of the program and of every pillar, per currency (three queries).

    An action tagged with several pillars counts in full under each of them, so pillar rows overlap and are not
    added up into a program total. Only the columns shown are read: a plan of thousands of actions stays cheap.
    """
    allocated = _allocations(program)
    pillars = _action_pillars(program)
    actions = Action.objects.filter(program=program).only(*ACTION_FIELDS).order_by("code")
    gaps = [
        ActionGap(action=a, **_split(pillars.get(a.pk, ()), a.budget, a.currency, allocated.get(a.pk, {})))
        for a in actions
    ]
    return FundingGaps(actions=gaps, pillars=_by_pillar(gaps))


def pillar_gaps(program: Program, actions: Iterable[ActionBudget] | None = None) -> list[PillarGap]:
    """Return the gap of every pillar of the program, per currency, as ``funding_gaps(program).pillars`` does.

    A caller that has already read the program's actions (the dashboard) passes their budgets, and this reads only
    the allocations (one query); without them it reads the plain values it needs (three queries).
    """
    allocated = _allocations(program)
    if actions is None:
        actions = action_budgets(program)
    return _by_pillar(
        BudgetGap(**_split(a.pillars, a.budget, a.currency, allocated.get(a.action_id, {}))) for a in actions
    )


def action_budgets(program: Program) -> list[ActionBudget]:
    """Every action's id, pillars, budget and currency as plain values, by code (two queries)."""
    pillars = _action_pillars(program)
    rows = Action.objects.filter(program=program).order_by("code").values_list("pk", "budget", "currency")
    return [ActionBudget(pk, pillars.get(pk, ()), budget, currency) for pk, budget, currency in rows]


def _allocations(program: Program) -> dict[int, dict[str, Decimal]]:
    """Each action's allocations, summed per currency of their commitment."""
    allocated: dict[int, dict[str, Decimal]] = defaultdict(dict)
    sums = (
        Allocation.objects.filter(action__program=program)
        .values("action_id", "commitment__currency")
        .annotate(total=Sum("amount"))
    )
    for row in sums:
        allocated[row["action_id"]][row["commitment__currency"]] = row["total"]
    return allocated


def _action_pillars(program: Program) -> dict[int, tuple[str, ...]]:
    """Each action's pillars, in alphabetical order of their values."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = ActionPillar.objects.filter(action__program=program).order_by("action_id", "pillar")
    for action_id, pillar in rows.values_list("action_id", "pillar"):
        found[action_id].append(pillar)
    return {k: tuple(v) for k, v in found.items()}


class _Split(TypedDict):
    pillars: tuple[str, ...]
    budget: Decimal
    currency: str
    allocated: Decimal
    other: dict[str, Decimal]


def _split(pillars: tuple[str, ...], budget: Decimal, currency: str, by_currency: dict[str, Decimal]) -> _Split:
    """The allocations in the action's own currency, and those in others (never converted)."""
    return {
        "pillars": pillars,
        "budget": budget,
        "currency": currency,
        "allocated": by_currency.get(currency, ZERO),
        "other": {c: v for c, v in sorted(by_currency.items()) if c != currency},
    }


def _by_pillar(gaps: Iterable[BudgetGap]) -> list[PillarGap]:
    rows: dict[tuple[str, str], PillarGap] = {}
    for g in gaps:
        for pillar in g.pillars:
            row = rows.get((pillar, g.currency))
            if row is None:
                row = rows[(pillar, g.currency)] = PillarGap(pillar=pillar, currency=g.currency)
            row.actions += 1
            row.budget += g.budget
            row.allocated += g.allocated
            row.gap += g.gap
            for currency, amount in g.other.items():
                row.other[currency] = row.other.get(currency, ZERO) + amount
    order = {p: i for i, p in enumerate(Pillar.values)}
    return sorted(rows.values(), key=lambda r: (order[r.pillar], r.currency))
