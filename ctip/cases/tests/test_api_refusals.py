"""Refusals are mapped once, by the API's exception handler: a service's rule keeps its message whatever the door."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from ctip.accounts.services import token_issue
from ctip.cases.models import OwnershipTransfer, Referral, Share
from ctip.cases.tests.factories import presumed_case

pytestmark = pytest.mark.django_db

RULE = "Only a supervisor can record a legal basis instead of consent."


def _api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def _post(client: Client, url: str, data: dict) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_case_worker_s_legal_basis_is_refused_with_the_rule_on_every_door(cast, net):
    case = presumed_case(cast.case_worker_a)
    client = _api(cast.case_worker_a)
    basis = {"override_reason": "Court order 7"}
    expires = (timezone.now() + dt.timedelta(days=30)).isoformat()
    answers = [
        _post(client, f"/api/v1/cases/{case.pk}/transfers/", {"to_organisation": "legal-aid", **basis}),
        _post(
            client,
            f"/api/v1/cases/{case.pk}/referrals/",
            {"to_organisation": "legal-aid", "services": ["shelter"], **basis},
        ),
        _post(
            client,
            f"/api/v1/cases/{case.pk}/shares/",
            {"organisation": "mvd", "purpose": "Investigation", "scope": "case", "expires_at": expires, **basis},
        ),
    ]
    assert [(answer.status_code, answer.json()["error"]["message"]) for answer in answers] == [(403, RULE)] * 3
    assert (OwnershipTransfer.objects.count(), Referral.objects.count(), Share.objects.count()) == (0, 0, 0)


def test_a_service_s_validation_error_is_a_400_naming_the_field_not_a_500(cast):
    answer = _api(cast.case_worker_a).get("/api/v1/referrals/", {"status": "lost"})
    error = answer.json()["error"]
    assert (answer.status_code, error["code"], sorted(error["fields"])) == (400, "invalid", ["status"])


def test_a_bare_permission_denied_stays_the_generic_403(cast):
    answer = _api(cast.viewer_a).get("/api/v1/referrals/")
    assert (answer.status_code, answer.json()["error"]["message"]) == (
        403,
        "You do not have permission to perform this action.",
    )
