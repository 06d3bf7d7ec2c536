"""The referral mechanism through its pages: open, describe, presume, consent, refer, answer, share, decide, close.

Each refusal of issue #6 is tried through the page a user would use, and must say what is wrong and change nothing.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from ctip.accounts.middleware import MFA_AT
from ctip.audit.models import AuditEvent
from ctip.cases import conf, services
from ctip.cases.models import CaseDocument, Consent, Referral, ServiceRecord, Share, VictimCase
from ctip.cases.services import document_dir
from ctip.cases.tests.factories import NAME, child_case, make_case, presumed_case
from ctip.conftest import client_for
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def browser_for(membership):
    """A logged-in client that reads the pages in English (messages are compared in English)."""
    browser = client_for(membership)
    browser.cookies["ctip_language"] = "en"
    return browser


def url(name: str, *args: object) -> str:
    return reverse(f"cases:{name}", args=args)


def tab(case: VictimCase, name: str) -> str:
    return f"{url('detail', case.pk)}?tab={name}"


def give_consent(case: VictimCase, actor, purpose: str, organisation=None, *, identity: bool = False) -> Consent:
    return services.consent_give(
        actor=actor,
        case=case,
        purpose=purpose,
        organisation=organisation,
        covers_identity=identity,
        given_by="person",
        language="ky",
    )


NEW_CASE = {
    "name_original": NAME,
    "name_latin": "Aigul Toktogulova",
    "gender": "Feminine",
    "birth_date": "1998-04-02",
    "citizenships": "KG, RU",
    "document_type": "passport",
    "document_number": "AC 1234567",
    "phone": "+996 555 123456",
    "languages": "ky, ru",
    "intake_channel": "hotline",
    "region": "osh",
    "unaccompanied": "unknown",
}


# --- Opening a case -----------------------------------------------------------------------------------------------


def test_a_case_opens_from_a_screening_and_the_page_never_shows_the_name(cast):
    screening = make_screening(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    form = client.get(url("new"), {"screening": screening.pk}, headers=EN)
    assert screening.reference in form.content.decode()
    response = client.post(url("new"), {**NEW_CASE, "screening": screening.pk}, follow=True, headers=EN)
    case = VictimCase.objects.get()
    body = response.content.decode()
    assert (case.status, list(case.screenings.all()), case.person.citizenships) == (
        "potential",
        [screening],
        ["KG", "RU"],
    )
    assert f"Case {case.code} opened." in body
    assert NAME not in body
    assert "Toktogulova" not in body


def test_opening_a_case_without_a_name_or_with_a_bad_country_says_so_and_opens_nothing(cast):
    client = browser_for(cast.case_worker_a)
    no_name = client.post(url("new"), {**NEW_CASE, "name_original": ""}, headers=EN)
    bad_country = client.post(url("new"), {**NEW_CASE, "citizenships": "KG, Kyrgyzstan"}, headers=EN)
    assert no_name.status_code == 200
    assert "This field is required." in no_name.content.decode()
    assert "Kyrgyzstan is not an ISO 3166 country code" in bad_country.content.decode()
    assert VictimCase.objects.count() == 0


def test_only_case_workers_open_cases_and_outsiders_cannot_use_a_screening(cast):
    assert browser_for(cast.viewer_a).get(url("new")).status_code == 403
    theirs = make_screening(cast.case_worker_b)
    assert browser_for(cast.case_worker_a).get(url("new"), {"screening": theirs.pk}).status_code == 404


def test_a_child_case_asks_for_the_child_protection_notice_before_anything_else(cast):
    client = browser_for(cast.case_worker_a)
    client.post(url("new"), {**NEW_CASE, "is_child": "on", "birth_date": "2012-01-01"})
    case = VictimCase.objects.get()
    page = client.get(url("detail", case.pk), headers=EN).content.decode()
    assert "This is a child" in page
    assert url("child_notice", case.pk) in page
    refused = client.post(url("presume", case.pk), {"reason": "Indicators", "on": "2026-01-05"}, headers=EN)
    assert "record when the child-protection body was notified before anything else" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "potential"
    notified = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url("child_notice", case.pk), {"notified_at": notified, "body": "Osh child protection"})
    client.post(url("presume", case.pk), {"reason": "Indicators", "on": timezone.localdate().isoformat()})
    case.refresh_from_db()
    assert (case.awaits_child_notice, case.status) == (False, "presumed")


def test_a_child_notice_in_the_future_is_refused(cast):
    case = child_case(cast.case_worker_a)
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = browser_for(cast.case_worker_a).post(url("child_notice", case.pk), {"notified_at": later, "body": "X"})
    assert "cannot be in the future" in page.content.decode()
    case.refresh_from_db()
    assert case.child_protection_notified_at is None


# --- Summary, description, status ---------------------------------------------------------------------------------


def test_presuming_starts_the_reflection_period_shown_on_the_summary(cast):
    case = make_case(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    on = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(url("presume", case.pk), {"reason": "Indicators", "on": on.isoformat()}, follow=True)
    body = response.content.decode()
    assert (on + dt.timedelta(days=30)).isoformat() in body
    again = client.post(url("presume", case.pk), {"reason": "Again", "on": on.isoformat()}, headers=EN)
    assert "Only a potential victim can become presumed" in again.content.decode()
    assert case.status_history.count() == 2


def test_the_description_is_saved_and_a_bad_country_is_refused_without_change(cast):
    case = make_case(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    data = {
        "exploitation": ["ForcedLabour"],
        "country_of_origin": "kg",
        "countries_of_exploitation": "RU",
        "region": "osh",
    }
    client.post(url("profile", case.pk), data)
    bad = client.post(
        url("profile", case.pk), {**data, "exploitation": ["Other"], "countries_of_exploitation": "Russia"}
    )
    assert "is not an ISO 3166 country code" in bad.content.decode()
    case.refresh_from_db()
    assert list(case.exploitations.values_list("type", flat=True)) == ["ForcedLabour"]
    assert (case.country_of_origin, case.countries_of_exploitation) == ("KG", ["RU"])


def test_a_viewer_reads_the_case_but_is_offered_no_forms(cast):
    case = make_case(cast.case_worker_a)
    page = browser_for(cast.viewer_a).get(url("detail", case.pk), {"tab": "exploitation"}).content.decode()
    assert url("profile", case.pk) not in page
    assert browser_for(cast.viewer_a).post(url("profile", case.pk), {"region": "osh"}).status_code == 403


# --- Identity -----------------------------------------------------------------------------------------------------


def test_revealing_the_identity_asks_a_reason_and_is_audited(cast):
    case = make_case(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    assert NAME not in client.get(url("reveal", case.pk)).content.decode()
    empty = client.post(url("reveal", case.pk), {"reason": " "}, headers=EN)
    assert "This field is required." in empty.content.decode()
    assert not AuditEvent.objects.filter(action="cases.identity_reveal").exists()
    shown = client.post(url("reveal", case.pk), {"reason": "Preparing the court hearing"})
    assert NAME in shown.content.decode()
    event = AuditEvent.objects.get(action="cases.identity_reveal")
    assert (event.reason, event.details["case"]) == ("Preparing the court hearing", case.code)
    assert NAME not in str(event.details)
    assert NAME not in client.get(url("detail", case.pk), {"tab": "person"}).content.decode()


def test_revealing_the_identity_asks_for_the_second_factor_again_when_it_is_not_fresh(cast, settings):
    case = make_case(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    session = client.session
    session[MFA_AT] = time.time() - settings.CTIP_STEP_UP_SECONDS - 1
    session.save()
    response = client.post(url("reveal", case.pk), {"reason": "Court"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/?next=")
    assert not AuditEvent.objects.filter(action="cases.identity_reveal").exists()


def test_viewers_cannot_reveal_the_identity(cast):
    case = make_case(cast.case_worker_a)
    assert browser_for(cast.viewer_a).post(url("reveal", case.pk), {"reason": "curious"}).status_code == 403


# --- Consent and referrals ----------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_refused_and_nothing_is_sent(cast, net):
    case = presumed_case(cast.case_worker_a)
    page = browser_for(cast.case_worker_a).post(
        url("refer", case.pk),
        {"to_organisation": net.legal.pk, "services": ["legal_aid"], "reason": "Other"},
        headers=EN,
    )
    assert "The person has not consented to this for Legal Aid NGO." in page.content.decode()
    assert Referral.objects.count() == 0


def test_only_a_supervisor_records_a_legal_basis_instead_of_consent(cast, net):
    case = presumed_case(cast.case_worker_a)
    data = {"to_organisation": net.legal.pk, "services": ["legal_aid"], "reason": "Other", "override_reason": "Child"}
    refused = browser_for(cast.case_worker_a).post(url("refer", case.pk), data, headers=EN)
    assert "Only a supervisor can record a legal basis instead of consent." in refused.content.decode()
    assert Referral.objects.count() == 0
    browser_for(net.supervisor_a).post(url("refer", case.pk), data)
    referral = Referral.objects.get()
    assert (referral.consent, referral.override_by) == (None, net.supervisor_a.user)


def test_the_shelter_refers_the_legal_aid_ngo_accepts_records_its_service_and_sees_only_what_consent_allows(cast, net):
    case = presumed_case(cast.case_worker_a)
    owner = browser_for(cast.case_worker_a)
    owner.post(
        url("consent_give", case.pk),
        {"purpose": "referral", "organisation": net.legal.pk, "given_by": "person", "language": "ky"},
    )
    owner.post(url("refer", case.pk), {"to_organisation": net.legal.pk, "services": ["legal_aid"], "reason": "Other"})
    services.note_add(actor=cast.case_worker_a, case=case, text="Shared with the lawyer", shared=True)
    services.note_add(actor=cast.case_worker_a, case=case, text="Owner only", shared=False)
    referral = Referral.objects.get()
    legal = browser_for(net.legal_worker)
    inbox = legal.get(url("inbox"), headers=EN).content.decode()
    assert case.code in inbox
    assert NAME not in inbox
    legal.post(url("referral_accept", referral.pk))
    twice = legal.post(url("referral_accept", referral.pk), follow=True, headers=EN)
    assert "This referral has already been accepted." in twice.content.decode()
    assert AuditEvent.objects.filter(action="cases.referral_accept").count() == 1
    assert legal.get(url("detail", case.pk)).status_code == 200
    assert legal.get(url("reveal", case.pk)).status_code == 403  # consent does not cover the identity
    notes = legal.get(url("detail", case.pk), {"tab": "notes"}).content.decode()
    assert "Shared with the lawyer" in notes
    assert "Owner only" not in notes
    legal.post(
        url("service_add", case.pk),
        {"service": "legal_aid", "started_on": timezone.localdate().isoformat(), "outcome": "ongoing"},
    )
    record = ServiceRecord.objects.get()
    assert (record.provider, record.referral) == (net.legal, referral)
    legal.post(url("referral_complete", referral.pk))
    referral.refresh_from_db()
    assert referral.status == "done"


def test_the_receiver_sees_the_identity_when_the_consent_covers_it(cast, net):
    case = presumed_case(cast.case_worker_a)
    consent = give_consent(case, cast.case_worker_a, "referral", net.legal, identity=True)
    services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["legal_aid"], consent=consent
    )
    shown = browser_for(net.legal_worker).post(url("reveal", case.pk), {"reason": "Power of attorney"})
    assert NAME in shown.content.decode()


def test_after_revocation_the_receiver_loses_the_case_and_cannot_act_on_the_referral(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "referral", net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    outbox = browser_for(cast.case_worker_a).post(url("referral_revoke", referral.pk), follow=True, headers=EN)
    assert "Referral revoked" in outbox.content.decode()
    legal = browser_for(net.legal_worker)
    assert legal.get(url("detail", case.pk)).status_code == 404
    late = legal.post(url("referral_accept", referral.pk), follow=True, headers=EN)
    assert "This referral was revoked; nothing more can be done with it." in late.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.responded_at) == ("revoked", None)


def test_a_rejection_needs_a_reason(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "referral", net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    legal = browser_for(net.legal_worker)
    empty = legal.post(url("referral_reject", referral.pk), {"reason": ""}, follow=True, headers=EN)
    assert "Say why the referral is rejected." in empty.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    legal.post(url("referral_reject", referral.pk), {"reason": "No places left"})
    referral.refresh_from_db()
    assert (referral.status, referral.rejection_reason) == ("rejected", "No places left")
    assert "No places left" in browser_for(cast.case_worker_a).get(url("outbox")).content.decode()


def test_viewers_of_the_receiver_cannot_answer_and_other_organisations_see_nothing(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "referral", net.legal)
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    assert browser_for(net.legal_viewer).post(url("referral_accept", referral.pk)).status_code == 403
    assert browser_for(cast.case_worker_b).post(url("referral_accept", referral.pk)).status_code == 404
    assert case.code not in browser_for(cast.case_worker_b).get(url("inbox")).content.decode()


# --- Law enforcement ----------------------------------------------------------------------------------------------


def test_when_consent_to_law_enforcement_is_withdrawn_the_police_lose_the_case_at_once(cast, net):
    case = presumed_case(cast.case_worker_a)
    owner = browser_for(cast.case_worker_a)
    owner.post(
        url("consent_give", case.pk),
        {"purpose": "law_enforcement", "organisation": net.police.pk, "given_by": "person", "language": "ru"},
    )
    expires = (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    owner.post(
        url("share_create", case.pk),
        {"organisation": net.police.pk, "purpose": "Criminal case 12-345", "scope": "case", "expires_at": expires},
    )
    police = browser_for(net.investigator)
    assert police.get(url("detail", case.pk)).status_code == 200
    consent = Consent.objects.get()
    owner.post(url("consent_withdraw", case.pk, consent.pk))
    assert police.get(url("detail", case.pk)).status_code == 404
    assert Share.objects.get().end_reason == "consent_withdrawn"


def test_sharing_the_identity_beyond_consent_is_refused(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "law_enforcement", net.police)
    expires = (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    page = browser_for(cast.case_worker_a).post(
        url("share_create", case.pk),
        {"organisation": net.police.pk, "purpose": "Trial", "scope": "case_and_identity", "expires_at": expires},
        headers=EN,
    )
    assert "The person&#x27;s consent does not cover sharing their identity." in page.content.decode()
    assert Share.objects.count() == 0


# --- Identification, closure --------------------------------------------------------------------------------------


def test_an_organisation_that_is_not_authorised_is_told_so_and_nothing_is_decided(cast):
    case = presumed_case(cast.case_worker_a)
    data = {"outcome": "identified", "decided_on": timezone.localdate().isoformat(), "reasons": "Interview"}
    page = browser_for(cast.case_worker_a).post(url("decide", case.pk), data, headers=EN)
    assert "Shelter A is not authorised to record identification decisions in this deployment." in page.content.decode()
    case.refresh_from_db()
    assert (case.status, case.decisions.count()) == ("presumed", 0)


def test_the_designated_body_records_identification_and_then_the_case_closes(cast, net):
    case = presumed_case(cast.case_worker_a)
    make = make_screening(cast.case_worker_a)
    services.case_link_screening(actor=cast.case_worker_a, case=case, screening=make)
    give_consent(case, cast.case_worker_a, "referral", net.body)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    body = browser_for(net.body_worker)
    page = body.get(url("detail", case.pk), {"tab": "decision"}, headers=EN).content.decode()
    assert "It is not the decision." in page
    assert make.reference in page
    data = {
        "outcome": "identified",
        "decided_on": timezone.localdate().isoformat(),
        "reasons": "Interview and documents",
    }
    body.post(url("decide", case.pk), data)
    case.refresh_from_db()
    assert case.status == "identified"
    owner = browser_for(cast.case_worker_a)
    owner.post(url("close", case.pk), {"reason": "ServicesCompleted", "note": ""})
    case.refresh_from_db()
    assert (case.state, case.closure_reason) == ("Closed", "ServicesCompleted")
    late = owner.post(url("note_add", case.pk), {"text": "After closing"}, headers=EN)
    assert f"Case {case.code} is closed." in late.content.decode()
    assert case.notes.count() == 0


# --- Documents ----------------------------------------------------------------------------------------------------


def test_a_document_is_stored_encrypted_and_downloaded_under_the_case_code(cast):
    case = make_case(cast.case_worker_a)
    client = browser_for(cast.case_worker_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("aigul-passport.pdf", b"%PDF-1.4 passport scan", content_type="application/pdf")
    client.post(url("document_add", case.pk), {"title": "Passport copy", "file": upload})
    document = CaseDocument.objects.get()
    assert b"passport scan" not in (document_dir() / document.storage_name).read_bytes()
    response = client.get(url("document_download", case.pk, document.pk))
    assert response.content == b"%PDF-1.4 passport scan"
    assert response["Content-Disposition"] == f'attachment; filename="{case.code}-{document.pk}.pdf"'
    assert AuditEvent.objects.filter(action="cases.document_read").count() == 1


def test_a_document_of_a_risky_type_goes_out_as_plain_bytes(cast):
    case = make_case(cast.case_worker_a)
    document = services.document_add(
        actor=cast.case_worker_a, case=case, title="x", content=b"<script>", content_type="", file_name="x.txt"
    )
    # HTML uploads are refused now; rows stored before uploads were checked may still carry such a type.
    CaseDocument.objects.filter(pk=document.pk).update(content_type="text/html")
    response = browser_for(cast.case_worker_a).get(url("document_download", case.pk, document.pk))
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_tab_answers_in_each_language(cast, language):
    case = presumed_case(cast.case_worker_a)
    browser = client_for(cast.case_worker_a)
    for name in (
        "summary",
        "person",
        "exploitation",
        "consent",
        "referrals",
        "services",
        "notes",
        "documents",
        "decision",
        "closure",
    ):
        page = browser.get(url("detail", case.pk), {"tab": name}, headers={"Accept-Language": language})
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.content.decode()


def test_the_inbox_and_outbox_are_for_case_workers_and_supervisors(cast):
    assert browser_for(cast.viewer_a).get(url("inbox")).status_code == 403
    assert browser_for(cast.viewer_a).get(url("outbox")).status_code == 403
    assert browser_for(cast.case_worker_a).get(url("outbox")).status_code == 200


def test_a_receiver_is_not_shown_the_owners_consents_referrals_or_documents(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "referral", net.legal)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"])
    legal = browser_for(net.legal_worker)
    page = legal.get(url("detail", case.pk), {"tab": "consent"}, headers=EN)
    assert [key for key, _label in page.context["tabs"]] == [
        "summary",
        "person",
        "exploitation",
        "services",
        "notes",
        "decision",
    ]
    assert page.context["tab"] == "summary"
    assert legal.post(url("consent_give", case.pk), {"purpose": "statistics"}).status_code == 403
    assert legal.post(url("note_add", case.pk), {"text": "x"}).status_code == 403


def test_the_revealed_identity_names_the_kind_of_document_in_words(cast):
    case = make_case(cast.case_worker_a)
    page = browser_for(cast.case_worker_a).post(url("reveal", case.pk), {"reason": "Court"}, headers=EN)
    assert "Passport AC 1234567" in " ".join(page.content.decode().split())


def test_consent_can_be_withdrawn_after_the_case_is_closed(cast):
    case = make_case(cast.case_worker_a)
    consent = give_consent(case, cast.case_worker_a, "statistics")
    services.case_close(actor=cast.case_worker_a, case=case, reason="LostContact")
    browser_for(cast.case_worker_a).post(url("consent_withdraw", case.pk, consent.pk))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


@pytest.mark.parametrize(
    ("who", "page", "write"),
    [
        ("case_worker_a", 200, 302),
        ("supervisor_a", 200, 302),
        ("viewer_a", 200, 403),
        ("analyst_a", 200, 403),
        ("admin_a", 403, 403),
        ("coordinator", 404, 404),
        ("case_worker_b", 404, 404),
        ("investigator", 404, 404),
        ("legal_worker", 404, 404),
    ],
)
def test_each_role_and_organisation_gets_its_answer_on_the_case_and_on_a_write(cast, net, who, page, write):
    case = presumed_case(cast.case_worker_a)
    membership = getattr(cast, who, None) or getattr(net, who)
    browser = browser_for(membership)
    assert browser.get(url("detail", case.pk)).status_code == page
    assert browser.post(url("note_add", case.pk), {"text": "Called"}).status_code == write
    assert case.notes.count() == (1 if write == 302 else 0)


def test_a_shelter_stay_shows_its_end_and_is_extended_only_later_and_with_a_reason(cast):
    case = make_case(cast.case_worker_a)
    owner = browser_for(cast.case_worker_a)
    today = timezone.localdate()
    owner.post(url("shelter_start", case.pk), {"started_on": today.isoformat()})
    stay = case.shelter_stays.get()
    assert (today + dt.timedelta(days=conf.shelter_days())).isoformat() in owner.get(
        url("detail", case.pk)
    ).content.decode()
    earlier = owner.post(url("shelter_extend", case.pk, stay.pk), {"until": today.isoformat(), "reason": "Trial"})
    assert "An extension ends after the current end" in earlier.content.decode()
    later = today + dt.timedelta(days=40)
    owner.post(url("shelter_extend", case.pk, stay.pk), {"until": later.isoformat(), "reason": "Trial in December"})
    stay.refresh_from_db()
    assert (stay.ends_on, stay.extensions.get().reason) == (later, "Trial in December")


def test_an_appeal_against_the_decision_is_noted(cast, net):
    case = presumed_case(cast.case_worker_a)
    give_consent(case, cast.case_worker_a, "referral", net.body)
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    decision = services.identification_decide(
        actor=net.body_worker, case=case, outcome="not_identified", decided_on=timezone.localdate(), reasons="No act"
    )
    owner = browser_for(cast.case_worker_a)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = owner.post(url("appeal", case.pk, decision.pk), {"lodged_on": future, "note": "Lawyer to the court"})
    assert "The appeal is lodged after the decision and not in the future." in refused.content.decode()
    owner.post(url("appeal", case.pk, decision.pk), {"lodged_on": timezone.localdate().isoformat(), "note": "Lawyer"})
    decision.refresh_from_db()
    assert (decision.appeal_lodged_on, decision.appeal_note) == (timezone.localdate(), "Lawyer")


def test_the_police_find_the_cases_shared_with_them_and_lose_them_with_the_consent(cast):
    from ctip.orgs.models import OrgType
    from ctip.orgs.roles import Role
    from ctip.testing import OrganisationFactory, member

    police = OrganisationFactory(code="police-shared", org_type=OrgType.LAW_ENFORCEMENT)
    investigator = member(police, Role.INVESTIGATOR)
    case = make_case(cast.case_worker_a)
    consent = give_consent(case, cast.case_worker_a, "law_enforcement", police)
    services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=police,
        purpose="Witness statement",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
        consent=consent,
    )
    police = client_for(investigator)
    assert case.code in police.get(reverse("cases:shared")).content.decode()
    services.consent_withdraw(actor=cast.case_worker_a, consent=consent)
    assert case.code not in police.get(reverse("cases:shared")).content.decode()
    assert client_for(cast.viewer_a).get(reverse("cases:shared")).status_code == 403
