"""Opening a case from a screening through the API reads the screening as the page does: policy, then audit."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.screening.models import Screening
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db


def _reads(screening: Screening) -> list[tuple[str, str, str, dict]]:
    rows = AuditEvent.objects.filter(action="record.read", object_type="screening.screening", object_id=screening.pk)
    return [(row.action, row.object_type, row.object_id, row.details) for row in rows.order_by("id")]


def _open_by_api(member, screening_reference: str):
    _, token = token_issue(by=None, membership_id=member.pk)
    client = Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    body = {
        "person": {"name_original": "Test Person", "gender": "Feminine"},
        "intake_channel": "hotline",
        "region": "osh",
        "screening": screening_reference,
    }
    return client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")


def test_the_api_reads_the_screening_with_the_same_audit_event_as_the_page(cast, ilo):
    screening = make_screening(cast.case_worker_a, catalogue=ilo)
    page = client_for(cast.case_worker_a).get(reverse("cases:new"), {"screening": screening.pk})
    by_page = _reads(screening)
    opened = _open_by_api(cast.case_worker_a, screening.reference)
    by_api = _reads(screening)[len(by_page) :]
    assert (page.status_code, opened.status_code) == (200, 201)
    assert by_page == by_api == [("record.read", "screening.screening", str(screening.pk), {"action": "view"})]


def test_another_organisation_s_screening_is_no_such_screening_and_opens_nothing(cast, ilo):
    screening = make_screening(cast.case_worker_a, catalogue=ilo)
    refused = _open_by_api(cast.case_worker_b, screening.reference)
    assert (refused.status_code, refused.json()["error"]["fields"]) == (
        400,
        {"screening": ["There is no such screening."]},
    )
    assert _reads(screening) == []
