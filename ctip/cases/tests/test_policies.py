"""The referral and transfer policies, and the inbox and outbox they scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctip.cases import access, selectors, services
from ctip.cases.tests.factories import presumed_case
from ctip.orgs.roles import Role
from ctip.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(cast, net):
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ky",
        organisation=net.legal,
    )
    return services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"])


def test_a_referral_is_in_the_sender_s_outbox_and_the_receiver_s_inbox_only(cast, net, referral):
    assert list(selectors.referral_outbox(cast.case_worker_a)) == [referral]
    assert list(selectors.referral_inbox(cast.case_worker_a)) == []
    assert list(selectors.referral_inbox(net.legal_worker, active_only=True)) == [referral]
    assert list(selectors.referral_inbox(cast.case_worker_b)) == []
    assert list(access.referrals.visible(None, "view")) == []
    services.referral_revoke(actor=cast.case_worker_a, referral=referral)
    assert list(selectors.referral_inbox(net.legal_worker, active_only=True)) == []
    assert list(selectors.referral_inbox(net.legal_worker)) == [referral]  # its history stays


def test_the_referral_policy_by_side_role_and_action(cast, net, referral):
    can = access.referrals.can
    assert (can(cast.case_worker_a, "view", referral), can(net.legal_worker, "view", referral)) == (True, True)
    assert can(cast.case_worker_b, "view", referral) is False
    assert can(net.legal_viewer, "view", referral) is False
    assert can(net.legal_worker, "forward", referral) is False
    assert can(None, "view", referral) is False


def test_a_waiting_transfer_is_seen_by_both_sides_and_answered_by_the_receiver(cast, net, referral):
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=referral.case, to_organisation=net.legal)
    assert list(selectors.transfers_waiting(net.legal_worker)) == [transfer]
    assert list(selectors.transfers_waiting(cast.case_worker_a)) == []
    assert list(access.transfers.visible(None, "view")) == []
    can = access.transfers.can
    assert (can(cast.case_worker_a, "view", transfer), can(net.legal_worker, "view", transfer)) == (True, True)
    assert (can(cast.case_worker_b, "view", transfer), can(net.legal_viewer, "accept", transfer)) == (False, False)
    services.transfer_accept(actor=net.legal_worker, transfer=transfer)
    referral.refresh_from_db()
    assert (referral.status, referral.end_reason) == ("revoked", "ownership_transferred")
    assert selectors.case_get_for_actor(net.legal_worker, referral.case_id).owner == net.legal


def test_a_police_member_without_an_investigating_role_does_not_see_a_shared_case(cast, net):
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a, case=case, purpose="law_enforcement", given_by="person", language="ky"
    )
    services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=net.police,
        purpose="Investigation",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=5),
    )
    clerk = member(net.police, Role.VIEWER)
    assert access.cases.can(clerk, "view", case) is False
    assert access.cases.can(net.investigator, "view", case) is True
    assert access.cases.can(net.investigator, "record_service", case) is False
