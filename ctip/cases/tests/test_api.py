"""The cases API, through its URLs: codes without names, the identity only by reveal, the NRM flow end to end."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctip.accounts.middleware import MFA_AT
from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import Consent, Referral, VictimCase
from ctip.cases.tests.factories import NAME, make_case, presumed_case
from ctip.conftest import client_for
from ctip.orgs.roles import Role
from ctip.testing import add_roles

pytestmark = pytest.mark.django_db


def api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_list_shows_codes_without_names_and_filters(cast):
    first = presumed_case(cast.case_worker_a)
    make_case(cast.case_worker_a)
    make_case(cast.case_worker_b)
    client = api(cast.viewer_a)

    everything = client.get("/api/v1/cases/")
    presumed = client.get("/api/v1/cases/", {"status": "presumed"})

    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    assert NAME not in everything.content.decode()
    assert [row["code"] for row in presumed.json()["results"]] == [first.code]
    assert set(presumed.json()["results"][0]) == {
        "id",
        "code",
        "status",
        "state",
        "region",
        "intake_channel",
        "is_child",
        "presumed_on",
        "reflection_ends_on",
        "created_at",
    }


def test_the_list_costs_the_same_queries_for_3_or_30_cases(cast):
    client = api(cast.viewer_a)
    for _ in range(3):
        make_case(cast.case_worker_a)
    client.get("/api/v1/cases/")  # warm: the token's first use and per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/")
    for _ in range(27):
        make_case(cast.case_worker_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/cases/")
    assert response.json()["count"] == 30
    assert len(many) == len(few)


def test_a_bad_filter_is_a_400_naming_the_field(cast):
    response = api(cast.viewer_a).get("/api/v1/cases/", {"region": "atlantis", "deadline_before": "soon"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["deadline_before"]
    response = api(cast.viewer_a).get("/api/v1/cases/", {"region": "atlantis"})
    assert response.json()["error"]["fields"] == {
        "region": ["atlantis is not one of the allowed values for this field."]
    }


def test_create_opens_a_case_and_the_detail_has_no_name(cast):
    client = api(cast.case_worker_a)
    response = post(
        client,
        "/api/v1/cases/",
        {
            "person": {"name_original": NAME, "gender": "Feminine", "phone": "+996 555 000111"},
            "intake_channel": "hotline",
            "region": "osh",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("KG-")
    assert body["status"] == "potential"
    assert body["owner"] == "shelter-a"
    assert NAME not in response.content.decode()
    assert "000111" not in response.content.decode()
    detail = client.get(f"/api/v1/cases/{body['id']}/")
    assert detail.status_code == 200
    assert NAME not in detail.content.decode()
    assert AuditEvent.objects.filter(action="record.read", object_id=str(body["id"])).count() == 1


def test_create_with_bad_input_names_the_field_and_creates_nothing(cast):
    response = post(
        api(cast.case_worker_a),
        "/api/v1/cases/",
        {"person": {"name_original": NAME, "gender": "Feminine"}, "intake_channel": "pigeon", "region": "osh"},
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["intake_channel"]
    assert VictimCase.objects.count() == 0


def test_reveal_needs_a_reason_and_is_audited_without_the_name(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    assert post(client, f"/api/v1/cases/{case.pk}/reveal/", {"reason": ""}).status_code == 400

    response = post(client, f"/api/v1/cases/{case.pk}/reveal/", {"reason": "Court hearing on Monday"})

    assert response.status_code == 200
    assert response.json()["name_original"] == NAME
    event = AuditEvent.objects.filter(action="cases.identity_reveal").get()
    assert event.reason == "Court hearing on Monday"
    assert NAME not in json.dumps(event.details, ensure_ascii=False)


def test_a_browser_session_must_step_up_before_revealing(cast):
    case = make_case(cast.case_worker_a)
    client = client_for(cast.case_worker_a)
    client.get("/api/v1/me/")  # a CSRF cookie for the session's POSTs
    session = client.session
    session[MFA_AT] = time.time() - 3600
    session.save()
    headers = {"X-CSRFToken": client.cookies["ctip_csrftoken"].value} if "ctip_csrftoken" in client.cookies else {}

    stale = client.post(
        f"/api/v1/cases/{case.pk}/reveal/",
        json.dumps({"reason": "Court"}),
        content_type="application/json",
        headers=headers,
    )

    assert stale.status_code == 403
    assert stale.json()["error"]["code"] == "step_up_required"
    assert not AuditEvent.objects.filter(action="cases.identity_reveal").exists()
    session = client.session
    session[MFA_AT] = time.time()
    session.save()
    fresh = client.post(
        f"/api/v1/cases/{case.pk}/reveal/",
        json.dumps({"reason": "Court"}),
        content_type="application/json",
        headers=headers,
    )
    assert fresh.status_code == 200


def test_the_referral_flow_through_the_api(cast, net):
    worker, legal = api(cast.case_worker_a), api(net.legal_worker)
    case = presumed_case(cast.case_worker_a)
    refused = post(
        worker, f"/api/v1/cases/{case.pk}/referrals/", {"to_organisation": "legal-aid", "services": ["legal_aid"]}
    )
    assert refused.status_code == 400
    assert "consent" in refused.json()["error"]["fields"]
    assert Referral.objects.count() == 0

    consent = post(
        worker,
        f"/api/v1/cases/{case.pk}/consents/",
        {"purpose": "referral", "given_by": "person", "language": "ky", "organisation": "legal-aid"},
    )
    assert consent.status_code == 201
    sent = post(
        worker, f"/api/v1/cases/{case.pk}/referrals/", {"to_organisation": "legal-aid", "services": ["legal_aid"]}
    )
    assert sent.status_code == 201
    referral = sent.json()["id"]
    inbox = legal.get("/api/v1/referrals/", {"box": "inbox"}).json()
    assert [r["id"] for r in inbox["results"]] == [referral]
    assert worker.get("/api/v1/referrals/", {"box": "outbox"}).json()["count"] == 1

    assert post(legal, f"/api/v1/referrals/{referral}/accept/").status_code == 200
    again = post(legal, f"/api/v1/referrals/{referral}/accept/")
    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {
        "status": ["The referral cannot be accepted: This referral has already been accepted."]
    }
    service = post(
        legal,
        f"/api/v1/cases/{case.pk}/services/",
        {"service": "legal_aid", "started_on": str(timezone.localdate()), "outcome": "provided"},
    )
    assert service.status_code == 201
    assert service.json()["provider"] == "legal-aid"
    assert legal.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert post(legal, f"/api/v1/cases/{case.pk}/reveal/", {"reason": "To call her"}).status_code == 403
    assert post(legal, f"/api/v1/referrals/{referral}/done/").json()["status"] == "done"
    assert legal.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_revoked_referral_takes_no_more_action(cast, net):
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
    assert post(api(cast.case_worker_a), f"/api/v1/referrals/{referral.pk}/revoke/").status_code == 200
    response = post(api(net.legal_worker), f"/api/v1/referrals/{referral.pk}/accept/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "status": ["The referral cannot be accepted: This referral was revoked; nothing more can be done with it."]
    }
    referral.refresh_from_db()
    assert referral.status == "revoked"


def test_only_the_designated_body_records_a_decision(cast, net):
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ru",
        organisation=net.body,
    )
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    decision = {"outcome": "identified", "decided_on": str(timezone.localdate()), "reasons": "Art. 1 criteria met."}

    refused = post(api(cast.case_worker_a), f"/api/v1/cases/{case.pk}/decisions/", decision)
    accepted = post(api(net.body_worker), f"/api/v1/cases/{case.pk}/decisions/", decision)

    assert refused.status_code == 400
    assert "organisation" in refused.json()["error"]["fields"]
    assert accepted.status_code == 201
    assert api(cast.viewer_a).get(f"/api/v1/cases/{case.pk}/").json()["status"] == "identified"


def test_withdrawing_consent_to_the_police_ends_their_access_at_once(cast, net):
    case = make_case(cast.case_worker_a)
    worker = api(cast.case_worker_a)
    consent = post(
        worker,
        f"/api/v1/cases/{case.pk}/consents/",
        {"purpose": "law_enforcement", "given_by": "person", "language": "ky", "organisation": "mvd"},
    ).json()
    share = post(
        worker,
        f"/api/v1/cases/{case.pk}/shares/",
        {
            "organisation": "mvd",
            "purpose": "Investigation",
            "scope": "case",
            "expires_at": (timezone.now() + dt.timedelta(days=5)).isoformat(),
            "consent": consent["id"],
        },
    )
    assert share.status_code == 201
    police = api(net.investigator)
    assert police.get(f"/api/v1/cases/{case.pk}/").status_code == 200

    withdrawn = post(worker, f"/api/v1/cases/{case.pk}/consents/{consent['id']}/withdraw/")

    assert withdrawn.status_code == 200
    assert police.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert Consent.objects.get(pk=consent["id"]).withdrawn_at is not None


def test_close_and_then_no_more_work(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    closed = post(client, f"/api/v1/cases/{case.pk}/close/", {"reason": "Returned"})
    assert closed.json()["state"] == "Closed"
    late = post(client, f"/api/v1/cases/{case.pk}/presume/", {"reason": "Grounds"})
    assert late.status_code == 400
    assert late.json()["error"]["fields"] == {"state": [f"Case {case.code} is closed."]}


def test_a_supervisor_exports_and_erases_through_the_api(cast, net):
    case = make_case(cast.case_worker_a)
    supervisor = api(net.supervisor_a)
    exported = post(supervisor, f"/api/v1/cases/{case.pk}/person-export/", {"reason": "Letter 12"})
    pdf = post(supervisor, f"/api/v1/cases/{case.pk}/person-export/", {"reason": "Letter 12", "format": "pdf"})
    assert exported.status_code == 200
    assert exported.json()["identity"]["name_original"] == NAME
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    open_case = post(supervisor, f"/api/v1/cases/{case.pk}/person-erase/", {"reason": "Letter 13"})
    assert open_case.status_code == 400
    services.case_close(actor=cast.case_worker_a, case=case, reason="DeclinedAssistance")
    erased = post(supervisor, f"/api/v1/cases/{case.pk}/person-erase/", {"reason": "Letter 13"})

    assert erased.status_code == 200
    assert erased.json()["cases"] == [case.code]
    after = post(supervisor, f"/api/v1/cases/{case.pk}/person-export/", {"reason": "Letter 14"}).json()
    assert after["erased"] is True
    assert after["identity"]["name_original"] == ""


def test_a_case_worker_may_not_export(cast):
    case = make_case(cast.case_worker_a)
    response = post(api(cast.case_worker_a), f"/api/v1/cases/{case.pk}/person-export/", {"reason": "Letter"})
    assert response.status_code == 403
    add_roles(cast.case_worker_a, [Role.SUPERVISOR])
    assert (
        post(api(cast.case_worker_a), f"/api/v1/cases/{case.pk}/person-export/", {"reason": "Letter"}).status_code
        == 200
    )


def test_the_schema_documents_the_cases_api(cast):
    client = client_for(cast.case_worker_a)
    document = client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/reveal/",
        "/api/v1/cases/{id}/person-export/",
        "/api/v1/referrals/{id}/accept/",
    ):
        assert path in document["paths"], path
    params = {p["name"] for p in document["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"status", "exploitation", "region", "deadline_before"} <= params


def test_patch_describes_the_case_and_refuses_an_unknown_value(cast):
    case = make_case(cast.case_worker_a)
    client = api(cast.case_worker_a)
    url = f"/api/v1/cases/{case.pk}/"
    changed = client.patch(
        url,
        json.dumps({"exploitation": ["ForcedLabour"], "countries_of_exploitation": ["RU"]}),
        content_type="application/json",
    )
    refused = client.patch(url, json.dumps({"exploitation": ["Juggling"]}), content_type="application/json")
    assert changed.status_code == 200
    assert (changed.json()["exploitation"], changed.json()["countries_of_exploitation"]) == (["ForcedLabour"], ["RU"])
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["exploitation"]
    assert api(cast.viewer_a).get("/api/v1/cases/", {"exploitation": "ForcedLabour"}).json()["count"] == 1


def test_the_owner_notes_an_appeal_against_a_decision(cast, net):
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ru",
        organisation=net.body,
    )
    services.referral_send(actor=cast.case_worker_a, case=case, to_organisation=net.body, services=["documents"])
    decision = services.identification_decide(
        actor=net.body_worker, case=case, outcome="not_identified", decided_on=timezone.localdate(), reasons="No."
    )
    url = f"/api/v1/cases/{case.pk}/decisions/{decision.pk}/appeal/"
    response = post(api(cast.case_worker_a), url, {"lodged_on": str(timezone.localdate()), "note": "To the court."})
    assert response.status_code == 200
    assert response.json()["appeal_lodged_on"] == str(timezone.localdate())
    assert post(api(cast.viewer_a), url, {"lodged_on": str(timezone.localdate()), "note": "x"}).status_code == 403


def test_the_referral_list_refuses_an_unknown_status_or_box(cast):
    client = api(cast.case_worker_a)
    assert client.get("/api/v1/referrals/", {"status": "lost"}).json()["error"]["fields"] == {
        "status": ["lost is not one of the allowed values for this field."]
    }
    assert client.get("/api/v1/referrals/", {"box": "spam"}).status_code == 400
    assert api(cast.viewer_a).get("/api/v1/referrals/").status_code == 403
