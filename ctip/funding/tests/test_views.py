from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from ctip.conftest import client_for
from ctip.coordination.tests.factories import approved_action
from ctip.funding import services
from ctip.funding.models import Allocation, Commitment, Disbursement
from ctip.funding.tests.factories import donor, make_commitment
from ctip.plans.tests.factories import make_action, make_objective, make_program

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


@pytest.fixture
def commitment(cast):
    action = approved_action(cast.coordinator, cast.org_b)
    return make_commitment(cast.coordinator, action.program, cast.org_a, amount=Decimal("1000.00"))


def test_the_coordinator_records_a_commitment_and_allocates_it_through_the_pages(cast):
    action = approved_action(cast.coordinator, cast.org_b)
    inl = donor()
    client = client_for(cast.coordinator)
    response = client.post(
        "/funding/new/",
        {
            "program": action.program_id,
            "donor": inl.pk,
            "implementer": cast.org_a.pk,
            "title": "Justice project",
            "amount": "1000000",
            "currency": "USD",
            "starts_on": "2024-01-01",
            "ends_on": "2025-12-31",
            "status": "signed",
        },
    )
    commitment = Commitment.objects.get()
    assert response["Location"] == f"/funding/{commitment.pk}/"
    response = client.post(f"/funding/{commitment.pk}/allocations/", {"action": action.pk, "amount": "250000"})
    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal("250000.00")
    page = client.get(f"/funding/{commitment.pk}/")
    assert page.context["left_to_allocate"] == Decimal("750000.00")


def test_a_disbursement_over_the_commitment_is_refused_on_the_page_with_the_reason(cast, commitment):
    client = client_for(cast.admin_a)
    assert client.post(f"/funding/{commitment.pk}/disbursements/", {"date": TODAY, "amount": "900"}).status_code == 302
    response = client.post(f"/funding/{commitment.pk}/disbursements/", {"date": TODAY, "amount": "100.01"})
    assert response.status_code == 400
    assert response.context["disbursement_form"].errors["amount"] == [
        "This would bring the total disbursed to 1,000.01 USD, more than the commitment of 1,000.00 USD; "
        "at most 100.00 USD can still be disbursed."
    ]
    assert Disbursement.objects.count() == 1


def test_every_member_reads_commitments_but_sees_no_forms(cast, commitment):
    client = client_for(cast.admin_b)
    listing = client.get("/funding/")
    assert [c.title for c in listing.context["commitments"]] == ["Project"]
    page = client.get(f"/funding/{commitment.pk}/")
    assert page.context["allocation_form"] is None
    assert page.context["disbursement_form"] is None


def test_the_implementers_admin_sees_the_disbursement_form_only(cast, commitment):
    page = client_for(cast.admin_a).get(f"/funding/{commitment.pk}/")
    assert page.context["allocation_form"] is None
    assert page.context["disbursement_form"] is not None


def test_a_draft_programs_funding_is_the_coordinators_alone(cast):
    draft = make_program(cast.coordinator)
    make_action(cast.coordinator, make_objective(cast.coordinator, draft), cast.org_a)
    commitment = make_commitment(cast.coordinator, draft, cast.org_a)
    assert client_for(cast.admin_a).get(f"/funding/{commitment.pk}/").status_code == 404
    assert client_for(cast.coordinator).get(f"/funding/{commitment.pk}/").status_code == 200


def test_the_gaps_page_shows_actions_and_pillars(cast, commitment, django_assert_max_num_queries):
    action = commitment.program.actions.get()
    services.allocation_set(actor=cast.coordinator, commitment=commitment, action=action, amount=Decimal("400"))
    client = client_for(cast.viewer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/funding/gaps/")
    assert page.status_code == 200
    [row] = page.context["gaps"].actions
    assert (row.budget, row.allocated, row.gap) == (Decimal("1000.00"), Decimal("400.00"), Decimal("600.00"))
    assert "600.00" in page.content.decode()


def test_the_pages_say_so_when_there_is_no_program(cast):
    client = client_for(cast.viewer_a)
    assert client.get("/funding/").context["program"] is None
    assert client.get("/funding/gaps/").context["gaps"] is None
