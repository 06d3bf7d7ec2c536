from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.coordination.tests.factories import approved_action
from ctip.funding import services
from ctip.funding.models import Allocation, Commitment, Disbursement
from ctip.funding.tests.factories import make_commitment
from ctip.plans.tests.factories import make_action, make_objective, make_program

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
M = Decimal


@pytest.fixture
def commitment(cast):
    action = approved_action(cast.coordinator, cast.org_b)
    return make_commitment(cast.coordinator, action.program, cast.org_a, amount=M("1000.00"))


def test_only_the_coordinator_records_a_commitment(cast):
    program = make_program(cast.coordinator)
    with pytest.raises(PermissionDenied):
        make_commitment(cast.admin_a, program, cast.org_a)
    assert Commitment.objects.count() == 0


def test_a_commitment_is_audited_with_its_amount_and_currency(cast, commitment):
    event = AuditEvent.objects.get(action="funding.commitment.create")
    assert event.details == {
        "donor": commitment.donor.code,
        "implementer": "shelter-a",
        "amount": "1000.00",
        "currency": "USD",
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": M("0")}, "amount"),
        ({"currency": "dollars"}, "currency"),
        ({"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2024, 1, 1)}, "ends_on"),
    ],
)
def test_a_bad_commitment_names_the_field_and_saves_nothing(cast, fields, field):
    with pytest.raises(ValidationError) as error:
        make_commitment(cast.coordinator, make_program(cast.coordinator), cast.org_a, **fields)
    assert field in error.value.message_dict
    assert Commitment.objects.count() == 0


def test_disbursements_cannot_exceed_the_commitment(cast, commitment):
    services.disbursement_create(actor=cast.admin_a, commitment=commitment, date=TODAY, amount=M("600.00"))
    with pytest.raises(ValidationError) as error:
        services.disbursement_create(actor=cast.admin_a, commitment=commitment, date=TODAY, amount=M("400.01"))
    assert error.value.message_dict["amount"] == [
        "This would bring the total disbursed to 1,000.01 USD, more than the commitment of 1,000.00 USD; "
        "at most 400.00 USD can still be disbursed."
    ]
    services.disbursement_create(actor=cast.admin_a, commitment=commitment, date=TODAY, amount=M("400.00"))
    assert sorted(Disbursement.objects.values_list("amount", flat=True)) == [M("400.00"), M("600.00")]
    last = AuditEvent.objects.filter(action="funding.disbursement.create").latest("id")
    assert last.details["total"] == "1000.00"


def test_a_disbursement_is_recorded_once_made(cast, commitment):
    with pytest.raises(ValidationError) as error:
        services.disbursement_create(
            actor=cast.admin_a, commitment=commitment, date=TODAY + dt.timedelta(days=1), amount=M("1")
        )
    assert "date" in error.value.message_dict


@pytest.mark.parametrize("who", ["viewer_a", "admin_b", "case_worker_a"])
def test_only_the_implementers_admin_or_the_coordinator_disburses(cast, commitment, who):
    with pytest.raises(PermissionDenied):
        services.disbursement_create(actor=getattr(cast, who), commitment=commitment, date=TODAY, amount=M("1"))
    services.disbursement_create(actor=cast.coordinator, commitment=commitment, date=TODAY, amount=M("1"))
    assert Disbursement.objects.count() == 1


def test_allocations_cannot_exceed_the_commitment_and_replace_each_other(cast, commitment):
    first = commitment.program.actions.get()
    second = make_action(cast.coordinator, first.objective, cast.org_a, code="2.3.2")
    services.allocation_set(actor=cast.coordinator, commitment=commitment, action=first, amount=M("700"))
    with pytest.raises(ValidationError) as error:
        services.allocation_set(actor=cast.coordinator, commitment=commitment, action=second, amount=M("301"))
    assert error.value.message_dict["amount"] == [
        "Allocations would total 1,001.00 USD, more than the commitment of 1,000.00 USD (300.00 USD left to allocate)."
    ]
    services.allocation_set(actor=cast.coordinator, commitment=commitment, action=first, amount=M("500"))
    services.allocation_set(actor=cast.coordinator, commitment=commitment, action=second, amount=M("500"))
    assert sorted(Allocation.objects.values_list("amount", flat=True)) == [M("500"), M("500")]


def test_an_allocation_is_to_an_action_of_the_commitments_program(cast, commitment):
    elsewhere = make_action(
        cast.coordinator, make_objective(cast.coordinator, make_program(cast.coordinator)), cast.org_a
    )
    with pytest.raises(ValidationError) as error:
        services.allocation_set(actor=cast.coordinator, commitment=commitment, action=elsewhere, amount=M("1"))
    assert error.value.message_dict["action"] == ["Action 2.3.1 is not in this commitment's program."]


def test_an_allocation_can_be_removed_with_an_audit_row(cast, commitment):
    action = commitment.program.actions.get()
    allocation = services.allocation_set(actor=cast.coordinator, commitment=commitment, action=action, amount=M("5"))
    services.allocation_remove(actor=cast.coordinator, allocation=allocation)
    assert Allocation.objects.count() == 0
    assert AuditEvent.objects.get(action="funding.allocation.remove").details["amount"] == "5.00"


def test_the_amount_cannot_fall_below_what_is_disbursed_nor_the_currency_change(cast, commitment):
    services.disbursement_create(actor=cast.admin_a, commitment=commitment, date=TODAY, amount=M("800"))
    with pytest.raises(ValidationError) as error:
        services.commitment_update(actor=cast.coordinator, commitment=commitment, amount=M("700"), currency="EUR")
    assert set(error.value.message_dict) == {"amount", "currency"}
    commitment.refresh_from_db()
    assert (commitment.amount, commitment.currency) == (M("1000.00"), "USD")
    services.commitment_update(actor=cast.coordinator, commitment=commitment, amount=M("800"), status="signed")
    commitment.refresh_from_db()
    assert commitment.amount == M("800.00")
    # The commitment was already signed: the audit row lists only what changed.
    assert AuditEvent.objects.get(action="funding.commitment.update").details == {
        "fields": ["amount"],
        "amount": "800.00",
    }
