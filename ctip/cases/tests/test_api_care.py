"""Notes, documents, shelter stays and transfers of ownership over the API, through its URLs.

The API calls the same services as the pages: each refusal answers in the house error format, naming the field,
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.cases import conf, services
from ctip.cases.models import CaseDocument, CaseNote, OwnershipTransfer, ShelterStay, VictimCase
from ctip.cases.tests.factories import NAME, child_case, make_case

pytestmark = pytest.mark.django_db


def api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def fields(response) -> dict:
    body = response.json()["error"]
    assert body["status"] == response.status_code
    return body.get("fields", {})


def consent_to(case: VictimCase, actor, organisation) -> None:
    services.consent_give(
        actor=actor, case=case, purpose="referral", organisation=organisation, given_by="person", language="ky"
    )


# --- Notes ----------------------------------------------------------------------------------------------------------


def test_the_owner_writes_notes_and_a_receiver_reads_only_the_shared_ones(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"])
    owner = api(cast.case_worker_a)
    notes = f"/api/v1/cases/{case.pk}/notes/"

    private = post(owner, notes, {"text": "Asked for a female interpreter."})
    shared = post(owner, notes, {"text": "Court hearing on 12 May.", "shared": True})

    assert (private.status_code, shared.status_code) == (201, 201)
    assert shared.json()["shared"] is True
    assert shared.json()["organisation"] == cast.org_a.code
    assert [n["text"] for n in owner.get(notes).json()] == [
        "Asked for a female interpreter.",
        "Court hearing on 12 May.",
    ]
    assert [n["text"] for n in api(net.legal_worker).get(notes).json()] == ["Court hearing on 12 May."]
    assert AuditEvent.objects.filter(action="cases.note_add", details__case=case.code).count() == 2


def test_notes_are_refused_to_a_viewer_an_outsider_and_an_empty_text(cast):
    case = make_case(cast.case_worker_a)
    services.note_add(actor=cast.case_worker_a, case=case, text="First call.")
    notes = f"/api/v1/cases/{case.pk}/notes/"

    empty = post(api(cast.case_worker_a), notes, {"text": "   "})
    viewer = api(cast.viewer_a).get(notes)
    outsider = api(cast.case_worker_b).get(notes)

    assert empty.status_code == 400
    assert "text" in fields(empty)
    assert (viewer.status_code, outsider.status_code) == (403, 404)
    assert "First call." not in viewer.content.decode() + outsider.content.decode()
    assert CaseNote.objects.filter(case=case).count() == 1


def test_a_childs_case_takes_no_note_before_the_child_protection_notice(cast):
    case = child_case(cast.case_worker_a)

    response = post(api(cast.case_worker_a), f"/api/v1/cases/{case.pk}/notes/", {"text": "Met the child."})

    assert response.status_code == 400
    assert "child_protection_notified_at" in fields(response)
    assert not CaseNote.objects.filter(case=case).exists()


# --- Documents ------------------------------------------------------------------------------------------------------


def test_a_document_is_uploaded_listed_and_downloaded_by_the_owner(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    upload = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 the statement", content_type="application/pdf")

    created = client.post(f"/api/v1/cases/{case.pk}/documents/", {"title": f"Statement of {NAME}", "file": upload})
    listed = client.get(f"/api/v1/cases/{case.pk}/documents/")
    document = CaseDocument.objects.get(case=case)
    download = client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/")

    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("content_type", "size")} == {"content_type": "application/pdf", "size": 22}
    assert [row["id"] for row in listed.json()] == [document.pk]
    assert "%PDF" not in listed.content.decode()
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 the statement"
    assert download["Content-Disposition"] == f'attachment; filename="{case.code}-{document.pk}.pdf"'
    assert AuditEvent.objects.filter(action="cases.document_read", details__case=case.code).count() == 1


def test_a_document_of_an_unsafe_type_is_served_as_bytes_and_an_empty_file_is_refused(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    html = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    # HTML uploads are refused now (test_documents_content.py); rows stored before may still carry such a type.
    document = services.document_add(
        actor=cast.case_worker_a, case=case, title="Page", content=b"<script>", content_type="", file_name="p.txt"
    )
    CaseDocument.objects.filter(pk=document.pk).update(content_type="text/html")

    html_refused = client.post(f"/api/v1/cases/{case.pk}/documents/", {"title": "Page", "file": html})
    refused = client.post(f"/api/v1/cases/{case.pk}/documents/", {"title": "Nothing", "file": empty})
    download = client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/")

    assert download["Content-Type"] == "application/octet-stream"
    assert (html_refused.status_code, refused.status_code) == (400, 400)
    assert "file" in fields(refused)
    assert CaseDocument.objects.filter(case=case).count() == 1


def test_documents_are_the_owners_and_a_document_of_another_case_is_not_found(cast, net):
    case = make_case(cast.case_worker_a)
    other = make_case(cast.case_worker_a)
    document = services.document_add(
        actor=cast.case_worker_a,
        case=other,
        title="Contract",
        content=b"contract",
        content_type="text/plain",
        file_name="contract.txt",
    )
    consent_to(case, cast.case_worker_a, net.legal)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"])

    wrong_case = api(cast.case_worker_a).get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/")
    receiver = api(net.legal_worker).get(f"/api/v1/cases/{case.pk}/documents/")
    viewer = api(cast.viewer_a).get(f"/api/v1/cases/{other.pk}/documents/{document.pk}/")

    assert (wrong_case.status_code, receiver.status_code, viewer.status_code) == (404, 403, 403)
    assert not AuditEvent.objects.filter(action="cases.document_read").exists()


# --- Shelter stays --------------------------------------------------------------------------------------------------


def test_a_shelter_stay_starts_for_the_configured_days_and_is_extended_with_a_reason(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    today = timezone.localdate()

    started = post(client, f"/api/v1/cases/{case.pk}/shelter-stays/", {"started_on": today.isoformat()})
    stay = ShelterStay.objects.get(case=case)
    later = stay.ends_on + dt.timedelta(days=20)
    extended = post(
        client,
        f"/api/v1/cases/{case.pk}/shelter-stays/{stay.pk}/extend/",
        {"until": later.isoformat(), "reason": "The trial is in May."},
    )
    listed = api(cast.viewer_a).get(f"/api/v1/cases/{case.pk}/shelter-stays/")

    assert started.status_code == 201
    assert started.json()["ends_on"] == (today + dt.timedelta(days=conf.shelter_days())).isoformat()
    assert started.json()["shelter"] == cast.org_a.code
    assert extended.status_code == 200
    assert extended.json()["ends_on"] == later.isoformat()
    assert listed.status_code == 200
    assert listed.json()[0]["extensions"][0]["new_end"] == later.isoformat()
    assert "reason" not in listed.json()[0]["extensions"][0]


def test_shelter_refusals_name_the_field_and_change_nothing(cast):
    case = make_case(cast.case_worker_a)
    stay = services.shelter_stay_start(actor=cast.case_worker_a, case=case, started_on=timezone.localdate())
    client = api(cast.case_worker_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    extend = f"/api/v1/cases/{case.pk}/shelter-stays/{stay.pk}/extend/"

    future = post(client, f"/api/v1/cases/{case.pk}/shelter-stays/", {"started_on": tomorrow.isoformat()})
    earlier = post(client, extend, {"until": stay.ends_on.isoformat(), "reason": "More days."})
    no_reason = post(client, extend, {"until": (stay.ends_on + dt.timedelta(days=5)).isoformat(), "reason": ""})
    missing = post(client, f"/api/v1/cases/{case.pk}/shelter-stays/987654/extend/", {"until": "2030-01-01"})
    viewer = post(api(cast.viewer_a), f"/api/v1/cases/{case.pk}/shelter-stays/", {"started_on": "2026-01-01"})

    assert (future.status_code, "started_on" in fields(future)) == (400, True)
    assert (earlier.status_code, "until" in fields(earlier)) == (400, True)
    assert (no_reason.status_code, "reason" in fields(no_reason)) == (400, True)
    assert (missing.status_code, "stay" in fields(missing)) == (400, True)
    assert viewer.status_code == 403
    before = stay.ends_on
    stay.refresh_from_db()
    assert (ShelterStay.objects.filter(case=case).count(), stay.ends_on) == (1, before)


# --- Transfers of ownership -----------------------------------------------------------------------------------------


def test_a_transfer_is_proposed_listed_and_accepted_and_the_former_owner_loses_the_case(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    owner, receiver = api(cast.case_worker_a), api(net.legal_worker)

    proposed = post(owner, f"/api/v1/cases/{case.pk}/transfers/", {"to_organisation": "legal-aid"})
    transfer_id = proposed.json()["id"]
    of_case = owner.get(f"/api/v1/cases/{case.pk}/transfers/")
    waiting = receiver.get("/api/v1/transfers/", {"box": "inbox", "status": "proposed"})
    outbox = owner.get("/api/v1/transfers/", {"box": "outbox"})
    accepted = post(receiver, f"/api/v1/transfers/{transfer_id}/accept/")

    assert proposed.status_code == 201
    assert {
        k: proposed.json()[k] for k in ("case", "from_organisation", "to_organisation", "status", "on_consent")
    } == {
        "case": case.code,
        "from_organisation": cast.org_a.code,
        "to_organisation": "legal-aid",
        "status": "proposed",
        "on_consent": True,
    }
    assert [row["id"] for row in of_case.json()] == [transfer_id]
    assert [row["id"] for row in waiting.json()["results"]] == [transfer_id]
    assert [row["id"] for row in outbox.json()["results"]] == [transfer_id]
    assert NAME not in waiting.content.decode()
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert receiver.get(f"/api/v1/cases/{case.pk}/").json()["owner"] == "legal-aid"
    assert owner.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert owner.get(f"/api/v1/transfers/{transfer_id}/").json()["status"] == "accepted"

    again = post(receiver, f"/api/v1/transfers/{transfer_id}/accept/")

    assert again.status_code == 400
    assert "status" in fields(again)


def test_a_transfer_needs_consent_or_a_supervisors_legal_basis(cast, net):
    case = make_case(cast.case_worker_a)
    transfers = f"/api/v1/cases/{case.pk}/transfers/"

    no_basis = post(api(cast.case_worker_a), transfers, {"to_organisation": "legal-aid"})
    not_supervisor = post(
        api(cast.case_worker_a), transfers, {"to_organisation": "legal-aid", "override_reason": "Court order 7"}
    )
    to_itself = post(api(cast.case_worker_a), transfers, {"to_organisation": cast.org_a.code})
    unknown = post(api(cast.case_worker_a), transfers, {"to_organisation": "no-such-org"})
    wrong_consent = post(api(cast.case_worker_a), transfers, {"to_organisation": "legal-aid", "consent": 987654})

    assert (no_basis.status_code, "consent" in fields(no_basis)) == (400, True)
    assert not_supervisor.status_code == 403
    assert "Only a supervisor" in not_supervisor.json()["error"]["message"]
    assert (to_itself.status_code, "to_organisation" in fields(to_itself)) == (400, True)
    assert (unknown.status_code, "to_organisation" in fields(unknown)) == (400, True)
    assert (wrong_consent.status_code, "consent" in fields(wrong_consent)) == (400, True)
    assert not OwnershipTransfer.objects.filter(case=case).exists()

    supervised = post(api(net.supervisor_a), transfers, {"to_organisation": "legal-aid", "override_reason": "Order 7"})

    assert (supervised.status_code, supervised.json()["on_consent"]) == (201, False)


def test_a_transfer_is_cancelled_by_the_proposer_and_declined_by_the_receiver_only(cast, net):
    case = make_case(cast.case_worker_a)
    consent_to(case, cast.case_worker_a, net.legal)
    first = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)

    receiver_cancels = post(api(net.legal_worker), f"/api/v1/transfers/{first.pk}/cancel/")
    proposer_accepts = post(api(cast.case_worker_a), f"/api/v1/transfers/{first.pk}/accept/")
    outsider = post(api(cast.case_worker_b), f"/api/v1/transfers/{first.pk}/decline/")
    cancelled = post(api(cast.case_worker_a), f"/api/v1/transfers/{first.pk}/cancel/")

    assert (receiver_cancels.status_code, proposer_accepts.status_code, outsider.status_code) == (403, 403, 404)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")

    second = services.transfer_propose(actor=cast.case_worker_a, case=case, to_organisation=net.legal)
    declined = post(api(net.legal_worker), f"/api/v1/transfers/{second.pk}/decline/")

    assert (declined.status_code, declined.json()["status"]) == (200, "declined")
    case.refresh_from_db()
    assert case.owner == cast.org_a


def test_the_transfer_list_is_for_case_roles_and_checks_its_filters(cast, net):
    viewer = api(cast.viewer_a).get("/api/v1/transfers/")
    bad_box = api(cast.case_worker_a).get("/api/v1/transfers/", {"box": "sideways"})
    bad_status = api(cast.case_worker_a).get("/api/v1/transfers/", {"status": "maybe"})

    assert viewer.status_code == 403
    assert (bad_box.status_code, "box" in fields(bad_box)) == (400, True)
    assert (bad_status.status_code, "status" in fields(bad_status)) == (400, True)
