"""Who sees a case, and its identity: the owner by role, the receiver of an active referral, share holders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.cases import access, selectors, services
from ctip.cases.models import Share
from ctip.cases.tests.factories import NAME, presumed_case

pytestmark = pytest.mark.django_db


def answer(actor, case, action="view") -> int:
    try:
        selectors.case_get_for_actor(actor, case.pk, action=action)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.fixture
def case(cast):
    return presumed_case(cast.case_worker_a)


def refer(case, cast, net, *, identity: bool):
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ru",
        organisation=net.legal,
        covers_identity=identity,
    )
    return services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"]
    )


# --- The owner, by role --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "view", "identity", "edit"),
    [
        ("case_worker_a", 200, 200, 200),
        ("supervisor_a", 200, 200, 200),
        ("viewer_a", 200, 403, 403),
        ("analyst_a", 200, 403, 403),
        ("admin_a", 403, 403, 403),
    ],
)
def test_the_owner_acts_by_role(cast, net, case, who, view, identity, edit):
    actor = getattr(cast, who, None) or getattr(net, who)
    assert (answer(actor, case), answer(actor, case, "identity"), answer(actor, case, "edit")) == (
        view,
        identity,
        edit,
    )


@pytest.mark.parametrize("who", ["case_worker_b", "admin_b", "coordinator"])
def test_another_organisation_gets_404_like_a_missing_case_and_the_attempt_is_audited(cast, case, who):
    assert answer(getattr(cast, who), case) == 404
    denial = AuditEvent.objects.filter(action="access.denied").last()
    assert denial.details == {"model": "cases.victimcase", "object_id": str(case.pk), "action": "view", "status": 404}
    assert answer(getattr(cast, who), case.__class__(pk=10_000)) == 404


def test_case_lists_hold_only_the_organisation_s_own_cases(cast, case):
    assert list(selectors.cases_visible_to(cast.case_worker_b)) == []
    assert [c.code for c in selectors.cases_visible_to(cast.viewer_a)] == [case.code]
    assert list(selectors.cases_of_organisation(cast.admin_a)) == []  # no reading role


# --- The receiver of a referral -----------------------------------------------------------------------------------


def test_the_receiver_of_an_active_referral_sees_the_case_but_not_the_identity_without_consent(cast, net, case):
    assert answer(net.legal_worker, case) == 404
    referral = refer(case, cast, net, identity=False)
    assert answer(net.legal_worker, case) == 200
    assert answer(net.legal_worker, case, "identity") == 403
    assert answer(net.legal_viewer, case) == 403  # the receiving organisation's viewer has no case role
    assert answer(net.legal_worker, case, "edit") == 403
    assert answer(net.legal_worker, case, "record_service") == 403  # only once accepted
    services.referral_accept(actor=net.legal_worker, referral=referral)
    assert answer(net.legal_worker, case, "record_service") == 200
    assert [c.code for c in selectors.cases_visible_to(net.legal_worker)] == [case.code]
    assert list(selectors.cases_of_organisation(net.legal_worker)) == []  # it does not own it


def test_the_receiver_sees_the_identity_when_consent_covers_it(cast, net, case):
    refer(case, cast, net, identity=True)
    person = services.identity_reveal(actor=net.legal_worker, case=case, reason="To prepare the court claim.")
    assert person.name_original == NAME


def test_the_receiver_loses_the_case_at_once_when_the_referral_is_revoked(cast, net, case):
    referral = refer(case, cast, net, identity=True)
    services.referral_accept(actor=net.legal_worker, referral=referral)
    services.referral_revoke(actor=cast.case_worker_a, referral=referral)
    assert answer(net.legal_worker, case) == 404
    with pytest.raises(PermissionDenied):
        services.service_record(
            actor=net.legal_worker, case=case, service="legal_aid", started_on=timezone.localdate(), outcome="provided"
        )
    with pytest.raises(PermissionDenied):
        services.identity_reveal(actor=net.legal_worker, case=case, reason="still curious")


def test_a_completed_referral_ends_the_receiver_s_access(cast, net, case):
    referral = refer(case, cast, net, identity=False)
    services.referral_accept(actor=net.legal_worker, referral=referral)
    services.referral_complete(actor=net.legal_worker, referral=referral)
    assert answer(net.legal_worker, case) == 404


def test_the_receiver_reads_only_notes_shared_with_it(cast, net, case):
    services.note_add(actor=cast.case_worker_a, case=case, text="Private: family situation")
    services.note_add(actor=cast.case_worker_a, case=case, text="Needs an interpreter (Uzbek)", shared=True)
    refer(case, cast, net, identity=False)
    assert [n.text for n in selectors.notes_for(net.legal_worker, case)] == ["Needs an interpreter (Uzbek)"]
    assert len(selectors.notes_for(cast.case_worker_a, case)) == 2
    assert list(selectors.notes_for(cast.viewer_a, case)) == []
    assert list(selectors.notes_for(cast.case_worker_b, case)) == []


# --- Law enforcement ----------------------------------------------------------------------------------------------


def share(case, cast, net, *, scope="case", days=30):
    return services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=net.police,
        purpose="Investigation of the recruiter",
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def test_police_lose_access_at_once_when_consent_is_withdrawn(cast, net, case):
    consent = services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="law_enforcement",
        given_by="person",
        language="ky",
        organisation=net.police,
        covers_identity=True,
    )
    share(case, cast, net, scope="case_and_identity")
    assert (answer(net.investigator, case), answer(net.investigator, case, "identity")) == (200, 200)
    assert answer(net.investigator, case, "edit") == 403
    services.consent_withdraw(actor=cast.case_worker_a, consent=consent)
    assert answer(net.investigator, case) == 404
    assert list(selectors.cases_visible_to(net.investigator)) == []


def test_a_share_without_identity_scope_shows_no_identity_and_expires(cast, net, case):
    services.consent_give(
        actor=cast.case_worker_a, case=case, purpose="law_enforcement", given_by="person", language="ky"
    )
    created = share(case, cast, net)
    assert answer(net.investigator, case, "identity") == 403
    Share.objects.filter(pk=created.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert answer(net.investigator, case) == 404


def test_the_owner_ends_a_share(cast, net, case):
    services.consent_give(
        actor=cast.case_worker_a, case=case, purpose="law_enforcement", given_by="person", language="ky"
    )
    created = share(case, cast, net)
    services.share_end(actor=cast.case_worker_a, share=created)
    assert answer(net.investigator, case) == 404
    with pytest.raises(ValidationError):
        services.share_end(actor=cast.case_worker_a, share=created)


# --- Revealing an identity ----------------------------------------------------------------------------------------


def test_revealing_an_identity_needs_a_reason_and_is_audited_without_the_name(cast, case):
    with pytest.raises(ValidationError) as error:
        services.identity_reveal(actor=cast.case_worker_a, case=case, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why you need to see who the person is."]}
    assert not AuditEvent.objects.filter(action="cases.identity_reveal").exists()
    person = services.identity_reveal(actor=cast.case_worker_a, case=case, reason="Court hearing tomorrow")
    assert person.name_original == NAME
    event = AuditEvent.objects.get(action="cases.identity_reveal")
    assert (event.reason, event.details, event.actor) == (
        "Court hearing tomorrow",
        {"case": case.code, "person": person.pk},
        cast.case_worker_a.user,
    )
    with pytest.raises(PermissionDenied):
        services.identity_reveal(actor=cast.viewer_a, case=case, reason="just looking")


def test_every_read_of_one_case_is_audited(cast, case):
    selectors.case_get_for_actor(cast.viewer_a, case.pk)
    read = AuditEvent.objects.filter(action="record.read").last()
    assert (read.object_type, read.object_id, read.actor) == ("cases.victimcase", str(case.pk), cast.viewer_a.user)


def test_anonymous_sees_nothing(case):
    assert list(access.cases.visible(None, "view")) == []
    assert access.cases.can(None, "view", case) is False
