"""Writes of donor funding, each audited in its own transaction; totals are checked under a row lock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.core.services import model_update
from ctip.funding import access
from ctip.funding.models import Allocation, Commitment, Disbursement
from ctip.orgs.models import Membership, Organisation
from ctip.plans.models import Action, Program

COMMITMENT_FIELDS = ("program", "donor", "implementer", "title", "amount", "currency", "starts_on", "ends_on", "status")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class CommitmentFields(TypedDict, total=False):
    program: Program
    donor: Organisation
    implementer: Organisation
    title: str
    amount: Decimal
    currency: str
    starts_on: dt.date
    ends_on: dt.date
    status: str


def _audit(actor: Membership, event: str, obj: Any, **details: Any) -> None:
    audit_record(action=event, actor=actor.user, organisation=actor.organisation, obj=obj, details=details)


def _require_coordinator(actor: Membership) -> None:
    if not access.commitments.can(actor, "create"):
        raise PermissionDenied


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def allocated_total(commitment: Commitment) -> Decimal:
    return commitment.allocations.aggregate(total=Sum("amount"))["total"] or ZERO


def disbursed_total(commitment: Commitment) -> Decimal:
    return commitment.disbursements.aggregate(total=Sum("amount"))["total"] or ZERO


def _cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT)


def _check_commitment(commitment: Commitment) -> None:
    if commitment.amount is not None:
        commitment.amount = _cents(commitment.amount)
    if commitment.currency:
        commitment.currency = commitment.currency.strip().upper()
    if commitment.starts_on and commitment.ends_on and commitment.ends_on < commitment.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    commitment.full_clean()


def _normalised(fields: CommitmentFields) -> dict[str, Any]:
    """Return the changes as they are stored: the amount in cents, the currency code in capitals."""
    data: dict[str, Any] = dict(fields)
    if data.get("amount") is not None:
        data["amount"] = _cents(data["amount"])
    if data.get("currency"):
        data["currency"] = data["currency"].strip().upper()
    return data


def commitment_create(*, actor: Membership, **fields: Unpack[CommitmentFields]) -> Commitment:
    _require_coordinator(actor)
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    commitment = Commitment(**fields)
    _check_commitment(commitment)
    with transaction.atomic():
        commitment.save()
        _audit(
            actor,
            "funding.commitment.create",
            commitment,
            donor=commitment.donor.code,
            implementer=commitment.implementer.code,
            amount=str(commitment.amount),
            currency=commitment.currency,
        )
    return commitment


def commitment_update(*, actor: Membership, commitment: Commitment, **fields: Unpack[CommitmentFields]) -> Commitment:
    """Change a commitment; its amount cannot fall below what is allocated or disbursed, nor its currency change
    once money is allocated or disbursed in it."""
    _require_coordinator(actor)
    with transaction.atomic():
        before = Commitment.objects.select_for_update().get(pk=commitment.pk)
        currency, program_id = before.currency, before.program_id
        allocated, disbursed = allocated_total(before), disbursed_total(before)
        locked, changed = model_update(instance=before, fields=COMMITMENT_FIELDS, data=_normalised(fields), clean=False)
        _check_commitment(locked)  # after the save, in the transaction: a refusal rolls it back
        errors = {}
        if (allocated or disbursed) and locked.currency != currency:
            errors["currency"] = _("Money is already allocated or disbursed in %(currency)s; the currency stays.") % {
                "currency": currency
            }
        if allocated and locked.program_id != program_id:
            errors["program"] = _("Remove the allocations to actions before moving the commitment to another program.")
        floor = max(allocated, disbursed)
        if locked.amount < floor:
            errors["amount"] = _("The amount cannot be less than %(floor)s already allocated or disbursed.") % {
                "floor": _money(floor, currency)
            }
        if errors:
            raise ValidationError(errors)
        _audit(actor, "funding.commitment.update", locked, fields=changed, amount=str(locked.amount))
    return locked


def allocation_set(*, actor: Membership, commitment: Commitment, action: Action, amount: Decimal) -> Allocation:
    """Allocate ``amount`` of the commitment to an action of its program (replacing an earlier allocation)."""
    _require_coordinator(actor)
    if action.program_id != commitment.program_id:
        raise ValidationError(
            {"action": _("Action %(code)s is not in this commitment's program.") % {"code": action.code}}
        )
    amount = _cents(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Allocate an amount above zero (remove the allocation instead).")})
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        others = locked.allocations.exclude(action=action).aggregate(total=Sum("amount"))["total"] or ZERO
        if others + amount > locked.amount:
            raise ValidationError(
                {
                    "amount": _(
                        "Allocations would total %(total)s, more than the commitment of %(amount)s "
                        "(%(left)s left to allocate)."
                    )
                    % {
                        "total": _money(others + amount, locked.currency),
                        "amount": _money(locked.amount, locked.currency),
                        "left": _money(locked.amount - others, locked.currency),
                    }
                }
            )
        allocation, _created = Allocation.objects.update_or_create(
            commitment=locked, action=action, defaults={"amount": amount}
        )
        _audit(actor, "funding.allocation.set", allocation, commitment=locked.pk, action=action.pk, amount=str(amount))
    return allocation


def allocation_remove(*, actor: Membership, allocation: Allocation) -> None:
    _require_coordinator(actor)
    with transaction.atomic():
        _audit(
            actor,
            "funding.allocation.remove",
            allocation,
            commitment=allocation.commitment_id,
            action=allocation.action_id,
            amount=str(allocation.amount),
        )
        allocation.delete()


def disbursement_create(
    *, actor: Membership, commitment: Commitment, date: dt.date, amount: Decimal, note: str = ""
) -> Disbursement:
    """Record money paid out under a commitment; the total disbursed can never exceed the commitment."""
    if not access.disbursing.can(actor, "disburse", commitment):
        raise PermissionDenied
    amount = _cents(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("A disbursement is an amount above zero.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A disbursement is recorded once it is made, not in advance.")})
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        before = disbursed_total(locked)
        if before + amount > locked.amount:
            raise ValidationError(
                {
                    "amount": _(
                        "This would bring the total disbursed to %(total)s, more than the commitment of %(amount)s; "
                        "at most %(left)s can still be disbursed."
                    )
                    % {
                        "total": _money(before + amount, locked.currency),
                        "amount": _money(locked.amount, locked.currency),
                        "left": _money(locked.amount - before, locked.currency),
                    }
                }
            )
        disbursement = Disbursement(commitment=locked, date=date, amount=amount, note=note)
        disbursement.full_clean()
        disbursement.save()
        _audit(
            actor,
            "funding.disbursement.create",
            disbursement,
            commitment=locked.pk,
            amount=str(amount),
            total=str(before + amount),
        )
    return disbursement
