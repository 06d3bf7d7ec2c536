"""Transfer of a case's ownership through the pages: propose, cancel, accept, decline, and who sees the case after.

Each refusal is tried through the page a user would use, and must say what is wrong and change nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import OwnershipTransfer, Referral, VictimCase
from ctip.cases.tests.factories import NAME, make_case
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"cases:{name}", args=args)


def consent_to(case: VictimCase, actor, organisation) -> None:
    services.consent_give(
        actor=actor,
        case=case,
        purpose="referral",
        organisation=organisation,
        given_by="person",
        language="ky",
    )


def propose(client, case: VictimCase, organisation, **extra):
    return client.post(url("transfer_propose", case.pk), {"to_organisation": organisation.pk, **extra}, follow=True)


def snapshot(case: VictimCase) -> tuple:
    case.refresh_from_db()
    return (
        case.owner_id,
        case.case_worker_id,
        list(OwnershipTransfer.objects.filter(case=case).values_list("pk", "status")),
        AuditEvent.objects.filter(action__startswith="cases.transfer").count(),
    )


def test_the_owner_proposes_on_consent_and_the_receiver_accepts_then_owns_the_case_alone(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    owner = client_for(cast.case_worker_a)

    referrals_tab = owner.get(f"{url('detail', case.pk)}?tab=referrals")
    form = owner.get(url("transfer_propose", case.pk))
    proposed = propose(owner, case, net.legal)

    assert url("transfer_propose", case.pk) in referrals_tab.content.decode()
    assert form.status_code == 200
    assert "The transfer is proposed to Legal Aid NGO" in proposed.content.decode()
    transfer = OwnershipTransfer.objects.get(case=case)
    assert (transfer.status, transfer.to_organisation, transfer.consent is not None) == ("proposed", net.legal, True)
    assert AuditEvent.objects.filter(action="cases.transfer_propose", details__case=case.code).exists()

    receiver = client_for(net.legal_worker)
    waiting = receiver.get(url("transfers"))
    assert case.code in waiting.content.decode()
    assert NAME not in waiting.content.decode()
    assert url("transfer_accept", transfer.pk) in waiting.content.decode()

    accepted = receiver.post(url("transfer_accept", transfer.pk), follow=True)

    assert accepted.redirect_chain[-1][0] == url("detail", case.pk)
    assert accepted.status_code == 200
    assert "the case is now your organisation" in accepted.content.decode()
    case.refresh_from_db()
    assert (case.owner, case.case_worker) == (net.legal, net.legal_worker)
    # The former owner no longer knows the case: a 404 like a case that does not exist, and the refusal is audited.
    assert owner.get(url("detail", case.pk)).status_code == 404
    assert owner.get(url("transfer_propose", case.pk)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.case_worker_a.user).exists()
    # Both sides find the answered transfer in their list.
    assert case.code in owner.get(url("transfers")).content.decode()


def test_a_transfer_without_consent_is_refused_and_a_case_worker_cannot_give_a_legal_basis(cast, net):
    case = make_case(cast.case_worker_a)
    before = snapshot(case)
    client = client_for(cast.case_worker_a)

    no_basis = propose(client, case, net.legal)
    not_supervisor = propose(client, case, net.legal, override_reason="Court order 12/2026")

    assert no_basis.status_code == 200
    assert "has not consented to this for Legal Aid NGO" in no_basis.content.decode()
    assert "Only a supervisor can record a legal basis" in not_supervisor.content.decode()
    assert snapshot(case) == before


def test_a_supervisor_transfers_on_a_recorded_legal_basis(cast, net):
    case = make_case(cast.case_worker_a)

    response = propose(client_for(net.supervisor_a), case, net.legal, override_reason="Court order 12/2026")

    assert response.status_code == 200
    transfer = OwnershipTransfer.objects.get(case=case)
    assert (transfer.consent, transfer.override_reason, transfer.override_by) == (
        None,
        "Court order 12/2026",
        net.supervisor_a.user,
    )


def test_a_second_transfer_of_the_same_case_waits_for_the_first_answer(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    consent_to(case, cast.case_worker_a, net.body)
    client = client_for(cast.case_worker_a)
    propose(client, case, net.legal)
    before = snapshot(case)

    again = propose(client, case, net.body)

    assert "A transfer of this case is already waiting for an answer." in again.content.decode()
    assert snapshot(case) == before


def test_the_owner_cancels_and_the_receiver_can_no_longer_accept(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    owner = client_for(cast.case_worker_a)

    page = owner.get(url("transfer_propose", case.pk))
    cancelled = owner.post(url("transfer_cancel", transfer.pk), follow=True)

    assert url("transfer_cancel", transfer.pk) in page.content.decode()
    assert "Transfer cancelled." in cancelled.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == "cancelled"
    before = snapshot(case)

    late = client_for(net.legal_worker).post(url("transfer_accept", transfer.pk), follow=True)

    assert "This transfer was already answered (Cancelled)." in late.content.decode()
    assert snapshot(case) == before
    assert case.owner == cast.org_a


def test_the_receiver_declines_and_the_case_stays_with_its_owner(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)

    declined = client_for(net.legal_worker).post(url("transfer_decline", transfer.pk), follow=True)

    assert "Transfer declined" in declined.content.decode()
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert (transfer.status, case.owner) == ("declined", cast.org_a)
    assert client_for(cast.case_worker_a).get(url("detail", case.pk)).status_code == 200
    # The proposer may not answer its own transfer, nor the receiver cancel it.
    second = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    assert client_for(cast.case_worker_a).post(url("transfer_accept", second.pk)).status_code == 403
    assert client_for(net.legal_worker).post(url("transfer_cancel", second.pk)).status_code == 403
    assert client_for(cast.case_worker_b).post(url("transfer_accept", second.pk)).status_code == 404
    second.refresh_from_db()
    assert second.status == "proposed"


def test_a_referral_the_former_owner_sent_keeps_its_receiver_on_the_case(cast, net):
    """Transferring changes the owner, not the other organisations' relations: an active referral still counts."""
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.body)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    consent_to(case, cast.case_worker_a, net.legal)
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)

    client_for(net.legal_worker).post(url("transfer_accept", transfer.pk))

    assert client_for(net.body_worker).get(url("detail", case.pk)).status_code == 200
    assert client_for(net.legal_worker).get(url("detail", case.pk)).status_code == 200
    assert client_for(cast.case_worker_a).get(url("detail", case.pk)).status_code == 404
    assert Referral.objects.get(case=case).status == "sent"


def test_a_referral_to_the_new_owner_ends_when_it_accepts(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"])
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)

    client_for(net.legal_worker).post(url("transfer_accept", transfer.pk))

    referral = Referral.objects.get(case=case)
    assert (referral.status, referral.end_reason) == ("revoked", "ownership_transferred")


def test_a_closed_case_is_not_transferred(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    services.case_close(actor=cast.case_worker_a, case=case, reason="LostContact")
    before = snapshot(case)

    response = propose(client_for(cast.case_worker_a), case, net.legal)

    assert f"Case {case.code} is closed." in response.content.decode()
    assert "A closed case cannot be transferred." in response.content.decode()
    assert snapshot(case) == before


def test_the_transfer_list_is_for_case_workers_and_shows_only_the_organisations_transfers(cast, net):
    mine = make_case(cast.case_worker_a)
    consent_to(mine, cast.case_worker_a, net.legal)
    services.transfer_propose(actor=cast.case_worker_a, case=mine, to_organisation=net.legal)
    theirs = make_case(cast.case_worker_b)
    consent_to(theirs, cast.case_worker_b, net.legal)
    services.transfer_propose(actor=cast.case_worker_b, case=theirs, to_organisation=net.legal)

    page = client_for(cast.case_worker_a).get(url("transfers")).content.decode()
    receiver = client_for(net.legal_worker).get(url("transfers")).content.decode()

    assert client_for(cast.viewer_a).get(url("transfers")).status_code == 403
    assert mine.code in page
    assert theirs.code not in page
    assert mine.code in receiver
    assert theirs.code in receiver


def test_an_organisation_not_in_the_list_is_refused_by_the_form(cast, net):
    case = make_case(cast.case_worker_a)
    before = snapshot(case)

    response = propose(client_for(cast.case_worker_a), case, cast.org_a)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot(case) == before
