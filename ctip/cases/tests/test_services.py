"""The case services: what they write, what they audit, and what they refuse without changing anything."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import (
    CaseCounter,
    CaseDocument,
    Consent,
    IdentificationDecision,
    OwnershipTransfer,
    Referral,
    ServiceRecord,
    Share,
    StatusChange,
    VictimCase,
)
from ctip.cases.tests.factories import child_case, make_case, person_data, presumed_case
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    """Row counts of everything a refused write might have touched."""
    models = (VictimCase, StatusChange, Consent, Referral, Share, ServiceRecord, IdentificationDecision, AuditEvent)
    return tuple(m.objects.count() for m in models)


def case_state(case: VictimCase) -> tuple[object, ...]:
    fresh = VictimCase.objects.get(pk=case.pk)
    return fresh.status, fresh.state, fresh.owner_id, fresh.reflection_ends_on


def refused(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


def consent_to(case, actor, org, *, identity=False, purpose="referral"):
    return services.consent_give(
        actor=actor,
        case=case,
        purpose=purpose,
        given_by="person",
        language="ky",
        organisation=org,
        covers_identity=identity,
    )


# --- Case codes -------------------------------------------------------------------------------------------------


def test_case_codes_count_up_per_year_with_the_country_prefix(cast, settings):
    first, second = make_case(cast.case_worker_a), make_case(cast.case_worker_a)
    year = timezone.localdate().year
    assert (first.code, second.code) == (f"KG-{year}-00001", f"KG-{year}-00002")
    CaseCounter.objects.filter(year=year).update(last=99999)
    settings.CTIP_CASE_CODE_PREFIX = "TJ"
    assert make_case(cast.case_worker_a).code == f"TJ-{year}-100000"


def test_next_case_code_starts_a_new_counter_each_year(db):
    assert services.next_case_code(dt.date(2025, 12, 31)) == "KG-2025-00001"
    assert services.next_case_code(dt.date(2026, 1, 1)) == "KG-2026-00001"
    assert services.next_case_code(dt.date(2025, 6, 1)) == "KG-2025-00002"
    assert dict(CaseCounter.objects.values_list("year", "last")) == {2025: 2, 2026: 1}


def test_case_create_opens_a_potential_case_and_audits_by_code_only(cast):
    case = make_case(cast.case_worker_a)
    assert re.fullmatch(r"KG-\d{4}-\d{5}", case.code)
    assert (case.status, case.state, case.owner, case.case_worker) == (
        "potential",
        "Active",
        cast.org_a,
        cast.case_worker_a,
    )
    assert list(case.status_history.values_list("from_status", "to_status")) == [("", "potential")]
    event = AuditEvent.objects.get(action="cases.case_create")
    assert event.details["case"] == case.code
    assert "Айгүл" not in str(event.details)
    assert "1234567" not in str(event.details)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_original": "  "}, "name_original"),
        ({"gender": "female"}, "gender"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date"),
        ({"citizenships": ["KGZ"]}, "citizenships"),
        ({"document_type": ""}, "document_type"),
        ({"languages": ["Kyrgyz"]}, "languages"),
        ({"marital_status": "married"}, "marital_status"),
    ],
)
def test_case_create_refuses_bad_identity_data_and_writes_nothing(cast, overrides, field):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        make_case(cast.case_worker_a, **overrides)
    assert field in error.value.message_dict
    assert snapshot() == before


def test_case_create_needs_a_case_role(cast):
    with pytest.raises(PermissionDenied):
        make_case(cast.viewer_a)
    assert not VictimCase.objects.exists()


def test_a_screening_of_another_organisation_cannot_be_linked(cast, ilo):
    theirs = make_screening(cast.case_worker_b)
    case = make_case(cast.case_worker_a)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.case_link_screening(actor=cast.case_worker_a, case=case, screening=theirs)
    assert refused(error, "screening") == "There is no such screening."
    assert snapshot() == before
    ours = make_screening(cast.case_worker_a)
    services.case_link_screening(actor=cast.case_worker_a, case=case, screening=ours)
    assert list(case.screenings.all()) == [ours]
    assert VictimCase.objects.get(pk=case.pk).status == "potential"  # a screening never decides


# --- Child safeguards --------------------------------------------------------------------------------------------


def test_a_child_case_refuses_every_other_write_until_child_protection_is_notified(cast, net):
    case = child_case(cast.case_worker_a)
    assert case.is_child
    assert case.awaits_child_notice
    before = snapshot()
    attempts = [
        lambda: services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="grounds"),
        lambda: consent_to(case, cast.case_worker_a, net.legal),
        lambda: services.referral_send(
            actor=net.supervisor_a, case=case, to_organisation=net.legal, services=["shelter"], override_reason="law"
        ),
        lambda: services.note_add(actor=cast.case_worker_a, case=case, text="called the school"),
        lambda: services.case_update(actor=cast.case_worker_a, case=case, changes={"sectors": ["F_Construction"]}),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "child-protection body was notified before anything else" in refused(
            error, "child_protection_notified_at"
        )
    assert snapshot() == before
    services.case_child_notice_record(
        actor=cast.case_worker_a, case=case, notified_at=timezone.now(), body="Osh child-protection department"
    )
    assert services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="grounds").status == "presumed"


def test_a_person_under_18_is_a_child_even_when_not_marked(cast):
    young = make_case(cast.case_worker_a, birth_date=timezone.localdate() - dt.timedelta(days=365 * 16))
    assert young.is_child
    assert young.awaits_child_notice
    adult_recruited_young = make_case(cast.case_worker_a, child=services.ChildSafeguards(age_at_recruitment=17))
    assert adult_recruited_young.is_child


def test_a_child_case_with_the_notice_given_at_intake_can_proceed(cast):
    case = child_case(cast.case_worker_a, notified=True)
    assert not case.awaits_child_notice
    services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="grounds")


# --- Status, reflection period, decisions -------------------------------------------------------------------------


def test_presumed_starts_the_reflection_period_from_the_setting(cast, settings):
    settings.CTIP_REFLECTION_DAYS = 45
    case = make_case(cast.case_worker_a)
    day = timezone.localdate() - dt.timedelta(days=2)
    case = services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="grounds", on=day)
    assert (case.status, case.presumed_on, case.reflection_ends_on) == ("presumed", day, day + dt.timedelta(days=45))
    change = case.status_history.last()
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        "potential",
        "presumed",
        cast.case_worker_a.user,
        "grounds",
    )
    with pytest.raises(ValidationError) as error:
        services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="again")
    assert "Only a potential victim can become presumed" in refused(error, "status")


def test_an_organisation_not_authorised_cannot_record_an_identification_decision(cast, net):
    case = presumed_case(cast.case_worker_a)
    before, state = snapshot(), case_state(case)
    with pytest.raises(ValidationError) as error:
        services.identification_decide(
            actor=cast.case_worker_a,
            case=case,
            outcome="identified",
            decided_on=timezone.localdate(),
            reasons="clear indicators",
        )
    assert refused(error, "organisation") == (
        "Shelter A is not authorised to record identification decisions in this deployment."
    )
    assert (snapshot(), case_state(case)) == (before, state)


def test_the_designated_body_records_the_decision_on_a_case_referred_to_it(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.body)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    decision = services.identification_decide(
        actor=net.body_worker,
        case=case,
        outcome="identified",
        decided_on=timezone.localdate(),
        reasons="Deceptive recruitment and debt bondage established.",
    )
    case.refresh_from_db()
    assert (case.status, case.identified_on, decision.organisation) == ("identified", timezone.localdate(), net.body)
    assert case.status_history.last().to_status == "identified"
    with pytest.raises(ValidationError) as error:
        services.identification_decide(
            actor=net.body_worker, case=case, outcome="not_identified", decided_on=timezone.localdate(), reasons="x"
        )
    assert "already has a decision" in refused(error, "status")
    services.decision_appeal_note(
        actor=cast.case_worker_a, decision=decision, lodged_on=timezone.localdate(), note="Appealed to the court."
    )
    decision.refresh_from_db()
    assert decision.appeal_lodged_on == timezone.localdate()


def test_the_designated_body_cannot_decide_on_a_case_it_does_not_know(cast, net):
    case = presumed_case(cast.case_worker_a)
    with pytest.raises(PermissionDenied):
        services.identification_decide(
            actor=net.body_worker, case=case, outcome="identified", decided_on=timezone.localdate(), reasons="x"
        )
    assert not IdentificationDecision.objects.exists()


# --- Referrals ------------------------------------------------------------------------------------------------------


def test_a_referral_without_consent_or_legal_basis_is_refused_and_nothing_is_sent(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.police, purpose="referral")  # consent to someone else
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"])
    assert refused(error, "consent") == (
        "The person has not consented to this for Legal Aid NGO. Record their consent, or a supervisor records the "
        "legal basis."
    )
    assert snapshot() == before


def test_only_a_supervisor_records_a_legal_basis_instead_of_consent(cast, net):
    case = presumed_case(cast.case_worker_a)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.referral_send(
            actor=cast.case_worker_a,
            case=case,
            to_organisation=net.legal,
            services=["legal_aid"],
            override_reason="Child protection law art. 27",
        )
    assert snapshot() == before
    referral = services.referral_send(
        actor=net.supervisor_a,
        case=case,
        to_organisation=net.legal,
        services=["legal_aid"],
        override_reason="Child protection law art. 27",
    )
    assert (referral.consent, referral.override_by, referral.override_reason) == (
        None,
        net.supervisor_a.user,
        "Child protection law art. 27",
    )
    event = AuditEvent.objects.get(action="cases.referral_send")
    assert event.details["legal_basis_override"] is True


def test_a_referral_with_consent_goes_through_its_states(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent = consent_to(case, cast.case_worker_a, net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid", "documents"]
    )
    assert (referral.status, referral.consent) == ("sent", consent)
    assert sorted(referral.services.values_list("service", flat=True)) == ["documents", "legal_aid"]
    services.referral_accept(actor=net.legal_worker, referral=referral)
    record = services.service_record(
        actor=net.legal_worker, case=case, service="legal_aid", started_on=timezone.localdate(), outcome="provided"
    )
    assert (record.provider, record.referral) == (net.legal, referral)
    done = services.referral_complete(actor=net.legal_worker, referral=referral)
    assert done.status == "done"
    assert done.done_at is not None
    actions = list(AuditEvent.objects.filter(action__startswith="cases.referral").values_list("action", flat=True))
    assert actions == ["cases.referral_send", "cases.referral_accept", "cases.referral_complete"]


def test_accepting_a_referral_twice_is_refused_without_change(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    services.referral_accept(actor=net.legal_worker, referral=referral)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.referral_accept(actor=net.legal_worker, referral=referral)
    assert refused(error, "status") == "The referral cannot be accepted: This referral has already been accepted."
    assert snapshot() == before


@pytest.mark.parametrize("act", ["accept", "reject", "complete"])
def test_acting_on_a_revoked_referral_is_refused_without_change(cast, net, act):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    services.referral_revoke(actor=cast.case_worker_a, referral=referral)
    before = snapshot()
    call = {
        "accept": lambda: services.referral_accept(actor=net.legal_worker, referral=referral),
        "reject": lambda: services.referral_reject(actor=net.legal_worker, referral=referral, reason="full"),
        "complete": lambda: services.referral_complete(actor=net.legal_worker, referral=referral),
    }[act]
    with pytest.raises(ValidationError) as error:
        call()
    assert "This referral was revoked; nothing more can be done with it." in refused(error, "status")
    assert snapshot() == before
    assert Referral.objects.get(pk=referral.pk).status == "revoked"


def test_only_the_receiver_answers_and_only_the_sender_revokes(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    for actor, call in [
        (cast.case_worker_a, services.referral_accept),
        (cast.case_worker_b, services.referral_accept),
        (net.legal_viewer, services.referral_accept),
        (net.legal_worker, services.referral_revoke),
    ]:
        with pytest.raises(PermissionDenied):
            call(actor=actor, referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_a_rejection_needs_a_reason(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    with pytest.raises(ValidationError):
        services.referral_reject(actor=net.legal_worker, referral=referral, reason=" ")
    rejected = services.referral_reject(actor=net.legal_worker, referral=referral, reason="No places left.")
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "No places left.")


def test_a_referral_asks_for_known_services_only(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    before = snapshot()
    for bad in ([], ["massage"]):
        with pytest.raises(ValidationError) as error:
            services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=bad)
        assert "services" in error.value.message_dict
    assert snapshot() == before


# --- Consent withdrawal -------------------------------------------------------------------------------------------


def test_withdrawing_consent_ends_the_referrals_and_shares_resting_on_it_at_once(cast, net):
    case = presumed_case(cast.case_worker_a)
    to_legal = consent_to(case, cast.case_worker_a, net.legal)
    to_police = consent_to(case, cast.case_worker_a, None, purpose="law_enforcement")
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    share = services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=net.police,
        purpose="Investigation of the recruiter",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    services.consent_withdraw(actor=cast.case_worker_a, consent=to_police)
    share.refresh_from_db()
    referral.refresh_from_db()
    assert (share.ended_at is not None, share.end_reason) == (True, "consent_withdrawn")
    assert referral.status == "sent"  # it rests on another consent
    event = AuditEvent.objects.get(action="cases.consent_withdraw")
    assert (event.details["shares_ended"], event.details["referrals_ended"]) == ([share.pk], [])
    services.consent_withdraw(actor=cast.case_worker_a, consent=to_legal)
    referral.refresh_from_db()
    assert (referral.status, referral.end_reason) == ("revoked", "consent_withdrawn")
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=cast.case_worker_a, consent=to_legal)


def test_a_share_goes_only_to_law_enforcement_and_identity_only_with_consent_to_it(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, None, purpose="law_enforcement")
    expires = timezone.now() + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        services.share_create(
            actor=cast.case_worker_a, case=case, organisation=net.legal, purpose="x", scope="case", expires_at=expires
        )
    assert refused(error, "organisation") == "A share goes to a law-enforcement organisation."
    with pytest.raises(ValidationError) as error:
        services.share_create(
            actor=cast.case_worker_a,
            case=case,
            organisation=net.police,
            purpose="x",
            scope="case_and_identity",
            expires_at=expires,
        )
    assert refused(error, "scope") == "The person's consent does not cover sharing their identity."
    assert not Share.objects.exists()


# --- Shelter, transfer, notes, documents, closure -----------------------------------------------------------------


def test_a_shelter_stay_lasts_the_configured_days_and_extends_with_a_reason(cast, settings):
    settings.CTIP_SHELTER_DAYS = 10
    case = presumed_case(cast.case_worker_a)
    start = timezone.localdate()
    stay = services.shelter_stay_start(actor=cast.case_worker_a, case=case, started_on=start)
    assert stay.ends_on == start + dt.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.shelter_stay_extend(
            actor=cast.case_worker_a, stay=stay, until=start + dt.timedelta(days=20), reason=""
        )
    with pytest.raises(ValidationError):
        services.shelter_stay_extend(actor=cast.case_worker_a, stay=stay, until=stay.ends_on, reason="trial")
    longer = services.shelter_stay_extend(
        actor=cast.case_worker_a, stay=stay, until=start + dt.timedelta(days=40), reason="The trial is in May."
    )
    assert longer.ends_on == start + dt.timedelta(days=40)
    assert longer.extensions.get().previous_end == start + dt.timedelta(days=10)


def test_ownership_changes_only_when_the_receiver_accepts(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    transfer = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    assert VictimCase.objects.get(pk=case.pk).owner == cast.org_a
    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=cast.case_worker_a, transfer=transfer)
    services.transfer_accept(actor=net.legal_worker, transfer=transfer)
    case.refresh_from_db()
    assert (case.owner, case.case_worker) == (net.legal, net.legal_worker)
    with pytest.raises(ValidationError):
        services.transfer_accept(actor=net.legal_worker, transfer=OwnershipTransfer.objects.get(pk=transfer.pk))


def test_documents_are_stored_encrypted_under_a_random_name(cast, settings):
    case = presumed_case(cast.case_worker_a)
    content = "Паспорт AC1234567 Айгүл".encode()
    document = services.document_add(
        actor=cast.case_worker_a,
        case=case,
        title="Passport copy",
        content=content,
        content_type="text/plain",
        file_name="passport.txt",
    )
    stored = (services.document_dir() / document.storage_name).read_text()
    assert stored.startswith("ctip1$")
    assert "AC1234567" not in stored
    assert case.code not in document.storage_name
    assert services.document_read(actor=cast.case_worker_a, document=document) == content
    with pytest.raises(PermissionDenied):
        services.document_read(actor=cast.viewer_a, document=document)
    assert CaseDocument.objects.count() == 1


def test_closing_a_case_records_the_reason_and_stops_further_work(cast):
    case = presumed_case(cast.case_worker_a)
    closed = services.case_close(actor=cast.case_worker_a, case=case, reason="ServicesCompleted", note="Home safe.")
    assert (closed.state, closed.closure_reason, closed.closed_at is not None) == ("Closed", "ServicesCompleted", True)
    with pytest.raises(ValidationError) as error:
        services.note_add(actor=cast.case_worker_a, case=case, text="late note")
    assert refused(error, "state") == f"Case {case.code} is closed."
    with pytest.raises(ValidationError):
        services.case_close(actor=cast.case_worker_a, case=presumed_case(cast.case_worker_a), reason="Bored")


def test_case_update_checks_each_picklist_and_country(cast):
    case = presumed_case(cast.case_worker_a)
    updated = services.case_update(
        actor=cast.case_worker_a,
        case=case,
        changes={
            "exploitation": ["ForcedLabour", "ForcedCriminality"],
            "sectors": ["F_Construction"],
            "means_of_control": ["WithholdsDocuments", "DebtBondage"],
            "recruitment_methods": ["ThroughOnlineSocialNetworks"],
            "country_of_origin": "kg",
            "countries_of_transit": ["KZ"],
            "countries_of_exploitation": ["RU"],
            "relationship_to_recruiter": "Acquainted",
        },
    )
    assert (updated.country_of_origin, updated.internal_trafficking) == ("KG", False)
    assert sorted(updated.exploitations.values_list("type", flat=True)) == ["ForcedCriminality", "ForcedLabour"]
    for bad in (
        {"countries_of_exploitation": ["XX"]},
        {"exploitation": ["Slavery"]},
        {"means_of_control": ["Threats"]},
        {"owner": 3},
    ):
        with pytest.raises(ValidationError) as error:
            services.case_update(actor=cast.case_worker_a, case=case, changes=bad)
        assert list(error.value.message_dict) == list(bad)
    internal = services.case_update(actor=cast.case_worker_a, case=case, changes={"countries_of_exploitation": ["KG"]})
    assert internal.internal_trafficking is True


def test_person_data_defaults_round_trip(cast):
    case = make_case(cast.case_worker_a, **{"children": 2, "education": "UpperSecondaryEducation"})
    person = case.person
    person.refresh_from_db()
    assert (person.name_original, person.citizenships, person.children, person.education) == (
        person_data().name_original,
        ["KG"],
        "2",
        "UpperSecondaryEducation",
    )


# --- More refusals --------------------------------------------------------------------------------------------------


def test_consent_to_a_referral_names_the_organisation(cast, net):
    case = presumed_case(cast.case_worker_a)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        consent_to(case, cast.case_worker_a, None)
    assert refused(error, "organisation") == "Consent to a referral names the organisation it allows."
    with pytest.raises(ValidationError) as error:
        services.consent_give(
            actor=cast.case_worker_a, case=case, purpose="marketing", given_by="person", language="ky"
        )
    assert list(error.value.message_dict) == ["purpose"]
    assert snapshot() == before


def test_a_second_active_referral_to_the_same_organisation_is_refused(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"])
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["medical"])
    assert refused(error, "to_organisation") == "An active referral of this case to Legal Aid NGO exists."
    assert snapshot() == before


def test_a_withdrawn_consent_named_explicitly_does_not_allow_a_referral(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent = consent_to(case, cast.case_worker_a, net.legal)
    services.consent_withdraw(actor=cast.case_worker_a, consent=consent)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.referral_send(
            actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"], consent=consent
        )
    assert "consent" in error.value.message_dict
    assert snapshot() == before


def test_a_declined_transfer_leaves_the_owner_and_the_sender_may_cancel_another(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    first = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    with pytest.raises(ValidationError):
        services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    services.transfer_decline(actor=net.legal_worker, transfer=first)
    second = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    with pytest.raises(PermissionDenied):
        services.transfer_cancel(actor=net.legal_worker, transfer=second)
    services.transfer_cancel(actor=cast.case_worker_a, transfer=second)
    assert VictimCase.objects.get(pk=case.pk).owner == cast.org_a
    assert list(OwnershipTransfer.objects.order_by("pk").values_list("status", flat=True)) == ["declined", "cancelled"]


def test_the_service_directory_is_kept_by_the_organisation_s_administrators_or_the_coordinator(cast, net):
    offer = services.service_offer_add(actor=cast.admin_a, organisation=cast.org_a, service="shelter", region="osh")
    assert (offer.organisation, offer.service, offer.region) == (cast.org_a, "shelter", "osh")
    services.service_offer_add(actor=cast.coordinator, organisation=net.legal, service="legal_aid", region="bishkek")
    with pytest.raises(PermissionDenied):
        services.service_offer_add(actor=cast.admin_a, organisation=net.legal, service="shelter", region="osh")
    with pytest.raises(ValidationError):
        services.service_offer_add(actor=cast.admin_a, organisation=cast.org_a, service="spa", region="osh")
