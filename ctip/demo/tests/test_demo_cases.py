"""The demo's referral mechanism: loaded through `demo_load`, it must show every state of the NRM."""

from __future__ import annotations

import pytest
from django.db import transaction

from ctip.audit.models import AuditEvent
from ctip.cases.models import (
    CaseNote,
    Consent,
    IdentificationDecision,
    Person,
    Referral,
    ServiceOffer,
    ServiceRecord,
    Share,
    VictimCase,
)
from ctip.cases.vocab import CaseState, NrmStatus, ReferralStatus
from ctip.demo import data
from ctip.demo.services import demo_load


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once, inside a transaction rolled back after the last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert demo_load() is True
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_every_nrm_status_and_case_state_is_there(demo):
    assert set(VictimCase.objects.values_list("status", flat=True)) == set(NrmStatus.values)
    assert {CaseState.ACTIVE, CaseState.CLOSED, CaseState.FOLLOW_UP} <= set(
        VictimCase.objects.values_list("state", flat=True)
    )


def test_referrals_in_every_state(demo):
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(consent__isnull=True, override_by__isnull=False).count() == 1


def test_cases_are_spread_over_the_organisations_and_regions(demo):
    owners = set(VictimCase.objects.values_list("owner__code", flat=True))
    assert owners == {"akbulak", "jardam"}
    assert VictimCase.objects.values("region").distinct().count() >= 6
    receivers = set(Referral.objects.values_list("to_organisation__code", flat=True))
    assert receivers == {"ukuk", "sms", "akbulak", "iom"}


def test_the_designated_body_decided_both_ways(demo):
    decisions = IdentificationDecision.objects.all()
    assert {d.organisation.code for d in decisions} == {data.IDENTIFICATION_BODY}
    assert set(decisions.values_list("outcome", flat=True)) == {"identified", "not_identified"}


def test_a_child_case_with_the_notice_and_one_waiting_for_it(demo):
    children = VictimCase.objects.filter(is_child=True)
    assert children.filter(child_protection_notified_at__isnull=False, status=NrmStatus.PRESUMED).count() == 1
    assert children.filter(child_protection_notified_at__isnull=True).count() == 1


def test_screenings_consents_services_shares_and_the_directory(demo):
    assert VictimCase.objects.filter(screenings__isnull=False).distinct().count() >= 4
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 1
    assert Share.objects.filter(ended_at__isnull=True).count() == 1
    assert Share.objects.filter(end_reason="consent_withdrawn").count() == 1
    assert {"legal_aid", "documents", "return", "shelter"} <= set(
        ServiceRecord.objects.values_list("service", flat=True)
    )
    assert ServiceOffer.objects.filter(service="return", organisation__code="iom").exists()
    assert CaseNote.objects.filter(shared=True).count() == 1


def test_names_are_invented_kyrgyz_and_russian_and_stored_encrypted(demo):
    names = {p.name_original for p in Person.objects.all()}
    assert "Айпери Мамытова" in names
    assert "Ольга Ковалёва" in names
    assert not any(full for _local, full, _roles in data.PEOPLE if full in names)  # staff are not victims


def test_everything_went_through_the_services(demo):
    assert AuditEvent.objects.filter(action="cases.case_create").count() == VictimCase.objects.count()
    assert AuditEvent.objects.filter(action="cases.referral_send").count() == Referral.objects.count()
    assert AuditEvent.objects.filter(action="cases.identification_decision").count() == 3


def test_the_case_workers_see_deadlines(demo):
    from ctip.cases.selectors import deadlines_for_case_worker
    from ctip.orgs.models import Membership

    worker = Membership.objects.get(user__email=data.email("caseworker"), organisation__code="akbulak")
    kinds = {d.kind for d in deadlines_for_case_worker(worker)}
    assert kinds == {"reflection", "shelter"}
