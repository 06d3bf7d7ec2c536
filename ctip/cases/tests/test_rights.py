"""A person's rights: export everything held about them, and erase their identity everywhere.

The erasure test is the proof that the audit trail never needs rewriting: a person with distinctive strings goes
through every case service, and afterwards no text column of any table, no encrypted value and no file holds them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import CaseDocument, CaseNote, Person, Referral, Share, VictimCase
from ctip.cases.services import rights
from ctip.cases.services.cases import ChildSafeguards
from ctip.cases.tests.factories import make_case
from ctip.crypto.fields import encrypted_fields
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db

SURNAME = "Зарылбекова"
LATIN = "Zarylbekova"
DOCUMENT = "XQ7788123"
PHONE = "+996 700 44 55 66"
NEEDLES = [SURNAME, SURNAME.casefold(), LATIN, LATIN.casefold(), DOCUMENT, "700 44 55 66", "700445566"]


def _distinctive_case(actor):
    return make_case(
        actor,
        name_original=f"Бермет {SURNAME}",
        name_latin=f"Bermet {LATIN}",
        document_number=DOCUMENT,
        phone=PHONE,
        address=f"Бишкек, {SURNAME} үйү",
    )


def _raw_hits() -> list[str]:
    """Every (table, column) whose stored text contains a needle, as the database holds it."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (names from the database's own catalogue)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    hits += [f"{table}.{column}" for needle in NEEDLES if needle in text]
    return hits


def _decrypted_hits() -> list[str]:
    """Every encrypted column of every model whose decrypted value contains a needle."""
    hits = []
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        for name in [f.name for f in fields]:
            for value in model._default_manager.values_list(name, flat=True):
                text = str(value)
                hits += [f"{model._meta.label}.{name}" for needle in NEEDLES if needle in text]
    return hits


def _file_hits(root: Path) -> list[str]:
    if not root.exists():
        return []
    return [str(p) for p in root.rglob("*") if p.is_file() and any(n.encode() in p.read_bytes() for n in NEEDLES)]


def _every_service(cast, net, ilo, django_capture_on_commit_callbacks) -> VictimCase:
    """Run every case service on one case, putting the distinctive strings wherever people type free text."""
    worker, sup = cast.case_worker_a, net.supervisor_a
    case = _distinctive_case(worker)
    quote = f"Бермет {SURNAME} ({DOCUMENT}, {PHONE}) said so."
    screening = make_screening(worker, notes={"al.dr.wages": quote})
    services.case_link_screening(actor=worker, case=case, screening=screening)
    case = services.case_update(
        actor=worker,
        case=case,
        changes={"exploitation": ["ForcedLabour"], "countries_of_exploitation": ["RU"], "guardian": quote},
    )
    services.case_assign(actor=worker, case=case, case_worker=sup)
    case = services.case_mark_presumed(actor=worker, case=case, reason=quote)
    to_legal = services.consent_give(
        actor=worker,
        case=case,
        purpose="referral",
        given_by="person",
        language="ky",
        organisation=net.legal,
        covers_identity=True,
    )
    services.consent_give(
        actor=worker, case=case, purpose="referral", given_by="person", language="ky", organisation=net.body
    )
    police = services.consent_give(
        actor=worker,
        case=case,
        purpose="law_enforcement",
        given_by="person",
        language="ru",
        organisation=net.police,
        covers_identity=True,
    )
    legal = services.referral_send(actor=worker, case=case, to_organisation=net.legal, services=["legal_aid"])
    services.referral_accept(actor=net.legal_worker, referral=legal)
    services.service_record(
        actor=net.legal_worker, case=case, service="legal_aid", started_on=timezone.localdate(), outcome="provided"
    )
    services.referral_complete(actor=net.legal_worker, referral=legal)
    body = services.referral_send(actor=worker, case=case, to_organisation=net.body, services=["documents"])
    decision = services.identification_decide(
        actor=net.body_worker, case=case, outcome="identified", decided_on=timezone.localdate(), reasons=quote
    )
    services.decision_appeal_note(actor=worker, decision=decision, lodged_on=timezone.localdate(), note=quote)
    services.referral_revoke(actor=worker, referral=body)
    other = services.referral_send(
        actor=sup, case=case, to_organisation=cast.org_b, services=["shelter"], override_reason=quote
    )
    services.referral_reject(actor=cast.case_worker_b, referral=other, reason=quote)
    share = services.share_create(
        actor=worker,
        case=case,
        organisation=net.police,
        purpose=quote,
        scope="case_and_identity",
        expires_at=timezone.now() + dt.timedelta(days=30),
        consent=police,
    )
    services.share_end(actor=worker, share=share)
    services.share_create(
        actor=sup,
        case=case,
        organisation=net.police,
        purpose=quote,
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
        override_reason=quote,
    )
    stay = services.shelter_stay_start(actor=worker, case=case, started_on=timezone.localdate())
    services.shelter_stay_extend(actor=worker, stay=stay, until=stay.ends_on + dt.timedelta(days=5), reason=quote)
    transfer = services.transfer_propose(actor=worker, case=case, to_organisation=net.legal, consent=to_legal)
    services.transfer_decline(actor=net.legal_worker, transfer=transfer)
    services.transfer_propose(actor=sup, case=case, to_organisation=cast.org_b, override_reason=quote)
    services.note_add(actor=worker, case=case, text=quote, shared=True)
    document = services.document_add(
        actor=worker, case=case, title=quote, content=quote.encode(), content_type="text/plain", file_name="a.txt"
    )
    services.document_read(actor=worker, document=document)
    services.identity_reveal(actor=worker, case=case, reason="Preparing the court hearing of 14 May.")
    services.consent_withdraw(actor=worker, consent=police)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    return services.case_close(actor=worker, case=case, reason="ServicesCompleted", note=quote)


def _child_case(worker):
    child = make_case(
        worker,
        child=ChildSafeguards(is_child=True, age_at_recruitment=15, guardian=f"Мамасы {SURNAME}"),
        name_original=f"Айбек {SURNAME}",
        birth_date=dt.date(2012, 1, 1),
    )
    return services.case_child_notice_record(
        actor=worker, case=child, notified_at=timezone.now(), body="Bishkek child-protection department"
    )


def test_erasure_leaves_no_trace_of_the_identity_in_any_table_or_file(
    cast, net, ilo, settings, django_capture_on_commit_callbacks
):
    case = _every_service(cast, net, ilo, django_capture_on_commit_callbacks)
    child = _child_case(cast.case_worker_a)
    services.case_close(actor=cast.case_worker_a, case=child, reason="Returned")
    media = Path(settings.MEDIA_ROOT)
    person = rights.person_of_case(case)
    rights.person_export(actor=net.supervisor_a, person=person, reason="Written request of 2 May, letter 17")

    # Before: at rest everything identifying is encrypted, and the scan does find it once decrypted.
    assert _raw_hits() == []
    assert _file_hits(media) == []
    assert {
        "cases.Person.name_original",
        "cases.CaseNote.text",
        "cases.StatusChange.reason",
        "screening.ScreeningAnswer.note",
    } <= set(_decrypted_hits())
    assert list(media.rglob("*"))

    with django_capture_on_commit_callbacks(execute=True):
        rights.person_erase(actor=net.supervisor_a, person=person, reason="Erasure requested in writing, letter 18")
        rights.person_erase(
            actor=net.supervisor_a, person=rights.person_of_case(child), reason="Erasure requested, letter 19"
        )

    assert _raw_hits() == []
    assert _decrypted_hits() == []
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert Person.objects.filter(document_bidx__isnull=False).count() == 0
    assert Person.objects.filter(phone_bidx__isnull=False).count() == 0


def test_erasure_keeps_the_pseudonymous_statistics_rows(cast, net, ilo, django_capture_on_commit_callbacks):
    case = _every_service(cast, net, ilo, django_capture_on_commit_callbacks)
    person = rights.person_of_case(case)
    result = rights.person_erase(actor=net.supervisor_a, person=person, reason="Erasure requested, letter 18")

    case.refresh_from_db()
    person.refresh_from_db()
    assert rights.is_erased(person)
    assert person.gender == "Feminine"
    assert (case.code, case.status, case.region, case.closure_reason) == (
        case.code,
        "identified",
        "osh",
        "ServicesCompleted",
    )
    assert list(case.exploitations.values_list("type", flat=True)) == ["ForcedLabour"]
    assert list(case.status_history.values_list("to_status", flat=True)) == ["potential", "presumed", "identified"]
    assert sorted(case.referrals.values_list("status", flat=True)) == ["done", "rejected", "revoked"]
    assert case.services_given.count() == 1
    assert case.decisions.get().outcome == "identified"
    assert CaseNote.objects.filter(case=case).count() == 0
    assert CaseDocument.objects.filter(case=case).count() == 0
    assert (result.notes_deleted, result.documents_deleted) == (1, 1)
    # Withdrawing the police's consent ended both shares before; nothing was left open for erasure to end.
    assert Share.objects.filter(case=case, ended_at__isnull=True).count() == 0
    assert (result.referrals_ended, result.shares_ended) == ([], [])
    event = AuditEvent.objects.filter(action="cases.person_erase").get()
    assert event.details["cases"] == [case.code]
    assert event.actor == net.supervisor_a.user


def test_export_holds_everything_about_the_person(cast, net, ilo, django_capture_on_commit_callbacks):
    case = _every_service(cast, net, ilo, django_capture_on_commit_callbacks)
    data = rights.person_export(actor=net.supervisor_a, person=rights.person_of_case(case), reason="Letter 17")

    assert data["identity"]["name_latin"] == f"Bermet {LATIN}"
    assert data["identity"]["document_number"] == DOCUMENT
    exported = data["cases"][0]
    assert exported["code"] == case.code
    assert [h["to"] for h in exported["status_history"]] == ["potential", "presumed", "identified"]
    assert len(exported["consents"]) == 3
    assert sorted(r["status"] for r in exported["referrals"]) == ["done", "rejected", "revoked"]
    assert exported["services_given"][0]["service"] == "legal_aid"
    assert exported["notes"][0]["text"].startswith("Бермет")
    assert exported["documents"][0]["size"] == len(exported["documents"][0]["title"].encode())
    assert exported["decisions"][0]["outcome"] == "identified"
    assert exported["screenings"][0]["reference"].startswith("SCR-")
    event = AuditEvent.objects.filter(action="cases.person_export").get()
    assert event.details == {"person": case.person_id, "cases": [case.code], "format": "json"}
    assert event.reason == "Letter 17"


def test_pdf_export_is_a_pdf_in_the_current_language(cast, net):
    from django.utils import translation

    case = make_case(cast.case_worker_a)
    with translation.override("ru"):
        pdf = rights.person_export_pdf(actor=net.supervisor_a, person=rights.person_of_case(case), reason="Letter 3")
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="cases.person_export", details__format="pdf").count() == 1


@pytest.mark.parametrize("who", ["case_worker_a", "viewer_a", "admin_a", "case_worker_b"])
def test_only_a_supervisor_of_the_owner_may_export_or_erase(cast, net, who):
    case = make_case(cast.case_worker_a)
    person = rights.person_of_case(case)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        rights.person_export(actor=getattr(cast, who), person=person, reason="Letter 1")
    with pytest.raises(PermissionDenied):
        rights.person_erase(actor=getattr(cast, who), person=person, reason="Letter 1")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("reason", ["", "  ", "Asked by Токтогулова herself", "passport AC1234567", "call 555123456"])
def test_a_reason_is_required_and_may_not_quote_the_identity(cast, net, reason):
    case = make_case(cast.case_worker_a)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        rights.person_export(actor=net.supervisor_a, person=rights.person_of_case(case), reason=reason)
    assert "reason" in refused.value.message_dict
    assert AuditEvent.objects.count() == before


def test_erasure_refuses_an_open_case_and_changes_nothing(cast, net):
    case = make_case(cast.case_worker_a)
    with pytest.raises(ValidationError) as refused:
        rights.person_erase(actor=net.supervisor_a, person=rights.person_of_case(case), reason="Letter 1")
    assert refused.value.message_dict["case"] == [f"Close case {case.code} before erasing the identity."]
    assert rights.person_of_case(case).name_original == "Айгүл Токтогулова"
    assert not AuditEvent.objects.filter(action="cases.person_erase").exists()


def test_erasure_ends_an_active_referral_so_the_receiver_loses_the_case(cast, net):
    case = make_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ky",
        organisation=net.legal,
    )
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"]
    )
    services.case_close(actor=cast.case_worker_a, case=case, reason="LostContact")
    rights.person_erase(actor=net.supervisor_a, person=rights.person_of_case(case), reason="Letter 1")
    referral.refresh_from_db()
    assert referral.status == "revoked"
    assert (
        not VictimCase.objects.filter(pk=case.pk)
        .filter(
            pk__in=Referral.objects.filter(to_organisation=net.legal, status__in=["sent", "accepted"]).values("case_id")
        )
        .exists()
    )
