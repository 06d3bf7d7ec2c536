"""The demo's funding part: the US$1,000,000 INL-funded project implemented by UNODC, and a smaller IOM grant.

Both support the latest program (the one the demo plan loader made); actions are picked by pillar, not by code.
Without a program there is nothing to fund, and nothing is loaded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ctip.funding import services
from ctip.funding.models import CommitmentStatus
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role
from ctip.plans.models import Action, Pillar, Program


def _coordinator(org: Organisation) -> Membership | None:
    return (
        Membership.objects.filter(organisation=org, is_active=True, roles__role=Role.COORDINATOR)
        .select_related("user", "organisation")
        .prefetch_related("roles")
        .first()
    )


def _actions(program: Program, pillar: str, count: int) -> list[Action]:
    """The first actions of a pillar, those budgeted in US dollars first (their gap is then comparable)."""
    rows = list(Action.objects.filter(program=program, pillars__pillar=pillar).order_by("code"))
    return sorted(rows, key=lambda a: (a.currency != "USD", a.code))[:count]


def _share(action: Action, share: Decimal) -> Decimal:
    """Most of a dollar-budgeted action's budget (leaving a gap to show); the share as such for other currencies."""
    if action.currency == "USD" and action.budget > 0:
        return min(share, (action.budget * Decimal("0.8")).quantize(Decimal("1.00")))
    return share


def load(orgs: dict[str, Organisation]) -> None:
    """Load this part of the demo; `orgs` maps the demo organisations' codes to them."""
    coordinator = _coordinator(orgs["mlsm"])
    program = Program.objects.order_by("-starts_on", "-pk").first()
    if coordinator is None or program is None:
        return
    today = timezone.localdate()
    inl = services.commitment_create(
        actor=coordinator,
        program=program,
        donor=orgs["inl"],
        implementer=orgs["unodc"],
        title="Strengthening the criminal justice response to trafficking in persons in the Kyrgyz Republic",
        amount=Decimal("1000000.00"),
        currency="USD",
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        status=CommitmentStatus.SIGNED,
    )
    shares = [Decimal("250000.00"), Decimal("200000.00"), Decimal("150000.00")]
    for action, share in zip(_actions(program, Pillar.PROSECUTION, 3), shares, strict=False):
        services.allocation_set(actor=coordinator, commitment=inl, action=action, amount=_share(action, share))
    for action, share in zip(_actions(program, Pillar.PROTECTION, 2), shares[1:], strict=False):
        services.allocation_set(actor=coordinator, commitment=inl, action=action, amount=_share(action, share))
    if program.starts_on <= today:
        for days, amount in ((300, Decimal("350000.00")), (60, Decimal("250000.00"))):
            paid_on = max(program.starts_on, today - dt.timedelta(days=days))
            services.disbursement_create(actor=coordinator, commitment=inl, date=paid_on, amount=amount, note="Tranche")
    iom = services.commitment_create(
        actor=coordinator,
        program=program,
        donor=orgs["iom"],
        implementer=orgs["akbulak"],
        title="Shelter and reintegration support for returning victims",
        amount=Decimal("80000.00"),
        currency="USD",
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        status=CommitmentStatus.PLEDGED,
    )
    # A protection action the INL project does not fund (when the program has one).
    for action in _actions(program, Pillar.PROTECTION, 3)[2:]:
        services.allocation_set(
            actor=coordinator, commitment=iom, action=action, amount=_share(action, Decimal("60000"))
        )
