"""The referral mechanism's numbers for the plan and the statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from ctip.cases import services
from ctip.cases.models import Referral, VictimCase
from ctip.cases.tests.factories import make_case
from ctip.core import metrics

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
H1 = metrics.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.fixture
def history(cast, net):
    worker = cast.case_worker_a
    presumed = [make_case(worker) for _ in range(3)]
    for case in presumed:
        services.case_mark_presumed(actor=worker, case=case, reason="grounds", on=DAY)
    late = make_case(worker, gender="Masculine")
    services.case_mark_presumed(actor=worker, case=late, reason="grounds", on=dt.date(2026, 7, 1))
    make_case(cast.case_worker_b)  # potential only
    services.consent_give(
        actor=worker, case=presumed[0], purpose="referral", given_by="person", language="ky", organisation=net.body
    )
    services.referral_send(actor=worker, case=presumed[0], to_organisation=net.body, services=["documents"])
    services.identification_decide(
        actor=net.body_worker, case=presumed[0], outcome="identified", decided_on=DAY, reasons="established"
    )
    for case, wanted in ((presumed[1], ["shelter", "medical"]), (presumed[2], ["shelter"])):
        services.consent_give(
            actor=worker, case=case, purpose="referral", given_by="person", language="ky", organisation=net.legal
        )
        services.referral_send(actor=worker, case=case, to_organisation=net.legal, services=wanted)
    Referral.objects.update(sent_at=dt.datetime(2026, 3, 11, 3, 0, tzinfo=dt.UTC))
    VictimCase.objects.update(created_at=dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC))
    return presumed


def test_the_metrics_are_registered():
    assert {"cases.victims_presumed", "cases.victims_identified", "cases.referrals", "cases.by_status"} <= set(
        metrics.names()
    )


def test_presumed_and_identified_victims_are_counted_by_period(history):
    assert metrics.value("cases.victims_presumed", H1) == 3
    assert metrics.value("cases.victims_presumed") == 4
    assert metrics.breakdown("cases.victims_presumed", "gender") == {"Feminine": 3, "Masculine": 1}
    assert metrics.value("cases.victims_identified", H1) == 1
    assert metrics.value("cases.victims_identified", metrics.Period(dt.date(2026, 4, 1))) == 0


def test_referrals_break_down_by_service_and_receiver(history):
    assert metrics.value("cases.referrals", H1) == 3
    assert metrics.breakdown("cases.referrals", "service", H1) == {"documents": 1, "medical": 1, "shelter": 2}
    assert metrics.breakdown("cases.referrals", "receiver", H1) == {"legal-aid": 2, "sms": 1}
    assert metrics.value("cases.referrals", H1, service="shelter") == 2
    assert metrics.value("cases.referrals", metrics.Period(dt.date(2026, 4, 1))) == 0


def test_cases_by_status_and_organisation(history):
    assert metrics.breakdown("cases.by_status", "status", H1) == {"identified": 1, "potential": 1, "presumed": 3}
    assert metrics.breakdown("cases.by_status", "organisation", H1) == {"police-b": 1, "shelter-a": 4}
    with pytest.raises(ValueError, match="has no dimension 'colour'"):
        metrics.breakdown("cases.by_status", "colour", H1)
