"""A part of a case reached through a case the actor may work on: one of another case, or none at all, is refused.

Organisation A's case worker names, through A's own case, a document, consent, share, shelter stay or decision of
organisation B's case (by the URL, or by a consent id in the body). The answer is the route's usual one for a part
the case does not have (404 on the pages and for a document over the API, 400 naming the field elsewhere in the
API); nothing changes; and exactly one ``access.denied`` row names the part's model and id, in A's trail — the same
row, but for the id, as for an id that exists nowhere.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import OwnershipTransfer, Referral, Share, ShelterExtension
from ctip.cases.tests.factories import make_case
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db

MISSING = 987654


@dataclass(frozen=True)
class Part:
    """A route that names a part of the case in its URL (``{child}``) or, with ``body``, in its JSON body."""

    url: str
    child: str  # which part of organisation B's case it names
    model: str
    action: str  # what the case is fetched for
    status: int
    method: str = "post"
    body: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def api(self) -> bool:
        return self.url.startswith("/api/")


IN_TEN_DAYS = (timezone.now() + dt.timedelta(days=10)).isoformat()

PARTS: dict[str, Part] = {
    "page document": Part("/cases/{case}/documents/{child}/", "document", "cases.casedocument", "document", 404, "get"),
    "page consent withdraw": Part(
        "/cases/{case}/consents/{child}/withdraw/", "consent", "cases.consent", "consent", 404
    ),
    "page share end": Part("/cases/{case}/shares/{child}/end/", "share", "cases.share", "share", 404),
    "page shelter extend": Part("/cases/{case}/shelter/{child}/extend/", "stay", "cases.shelterstay", "shelter", 404),
    "page appeal": Part(
        "/cases/{case}/decision/{child}/appeal/", "decision", "cases.identificationdecision", "edit", 404
    ),
    "api document": Part(
        "/api/v1/cases/{case}/documents/{child}/", "document", "cases.casedocument", "document", 404, "get"
    ),
    "api consent withdraw": Part(
        "/api/v1/cases/{case}/consents/{child}/withdraw/", "consent", "cases.consent", "consent", 400
    ),
    "api share end": Part("/api/v1/cases/{case}/shares/{child}/end/", "share", "cases.share", "share", 400),
    "api decision appeal": Part(
        "/api/v1/cases/{case}/decisions/{child}/appeal/", "decision", "cases.identificationdecision", "edit", 400
    ),
    "api shelter extend": Part(
        "/api/v1/cases/{case}/shelter-stays/{child}/extend/", "stay", "cases.shelterstay", "shelter", 400
    ),
    "api referral on a consent": Part(
        "/api/v1/cases/{case}/referrals/",
        "consent",
        "cases.consent",
        "refer",
        400,
        body="consent",
        data={"to_organisation": "legal-aid", "services": ["legal_aid"]},
    ),
    "api share on a consent": Part(
        "/api/v1/cases/{case}/shares/",
        "consent",
        "cases.consent",
        "share",
        400,
        body="consent",
        data={"organisation": "mvd", "purpose": "Investigation", "scope": "case", "expires_at": IN_TEN_DAYS},
    ),
    "api transfer on a consent": Part(
        "/api/v1/cases/{case}/transfers/",
        "consent",
        "cases.consent",
        "transfer",
        400,
        body="consent",
        data={"to_organisation": "legal-aid"},
    ),
}


@pytest.fixture
def others(cast, net) -> dict[str, int]:
    """Organisation B's case with one part of each kind: their ids."""
    worker = cast.case_worker_b
    case = make_case(worker)
    document = services.document_add(
        actor=worker,
        case=case,
        title="Statement",
        content=b"statement",
        content_type="text/plain",
        file_name="statement.txt",
    )
    consent = services.consent_give(
        actor=worker, case=case, purpose="law_enforcement", given_by="person", language="ky", organisation=net.police
    )
    share = services.share_create(
        actor=worker,
        case=case,
        organisation=net.police,
        purpose="Investigation",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=10),
        consent=consent,
    )
    stay = services.shelter_stay_start(actor=worker, case=case, started_on=timezone.localdate())
    with override_settings(CTIP_IDENTIFICATION_BODIES=[cast.org_b.code]):
        decision = services.identification_decide(
            actor=worker, case=case, outcome="identified", decided_on=timezone.localdate(), reasons="Interview"
        )
    return {"document": document.pk, "consent": consent.pk, "share": share.pk, "stay": stay.pk, "decision": decision.pk}


def _client(membership: Any, api: bool) -> Client:
    if not api:
        return client_for(membership)
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def _ask(client: Client, part: Part, case: int, child: int) -> Any:
    url = part.url.format(case=case, child=child)
    if part.method == "get":
        return client.get(url)
    data = {**part.data, part.body: child} if part.body else part.data
    return client.post(url, json.dumps(data), content_type="application/json") if part.api else client.post(url, data)


def _denials(after: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied", pk__gt=after).order_by("id"))


def _last() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _nothing_changed() -> tuple[Any, ...]:
    """What a write would change: every service writes an audit row, and these are the rows they make or end."""
    return (
        AuditEvent.objects.exclude(action__in=["access.denied", "record.read", "api_token.use"])
        .exclude(action__startswith="auth.")
        .count(),
        Referral.objects.count(),
        Share.objects.filter(ended_at__isnull=True).count(),
        OwnershipTransfer.objects.count(),
        ShelterExtension.objects.count(),
        list(AuditEvent.objects.filter(action="cases.document_read").values_list("pk", flat=True)),
    )


def _shape(response: Any, part: Part) -> Any:
    """What the refusal tells the caller, minus the id it echoes."""
    if part.api:
        error = response.json()["error"]
        return (error["status"], error["code"], sorted(error.get("fields", {})))
    return (response.context["title"], response.context["message"], response.templates[0].name)


@pytest.mark.parametrize("name", list(PARTS))
def test_a_part_of_another_organisations_case_is_refused_and_the_refusal_audited(cast, others, name):
    part = PARTS[name]
    own = make_case(cast.case_worker_a)
    client = _client(cast.case_worker_a, part.api)
    before, last = _nothing_changed(), _last()

    response = _ask(client, part, own.pk, others[part.child])

    assert response.status_code == part.status
    assert [(e.actor, e.organisation, e.object_type, e.details) for e in _denials(last)] == [
        (
            cast.case_worker_a.user,
            cast.org_a,
            "",
            {"model": part.model, "object_id": str(others[part.child]), "action": part.action, "status": part.status},
        )
    ]
    assert _nothing_changed() == before


@pytest.mark.parametrize("name", list(PARTS))
def test_a_part_that_does_not_exist_is_refused_and_audited_the_same_way(cast, others, name):
    part = PARTS[name]
    own = make_case(cast.case_worker_a)
    client = _client(cast.case_worker_a, part.api)
    answers, rows = [], []
    for child in (others[part.child], MISSING):
        last = _last()
        response = _ask(client, part, own.pk, child)
        answers.append((response.status_code, _shape(response, part)))
        rows += [(e.actor_id, e.organisation_id, e.reason, {**e.details, "object_id": "?"}) for e in _denials(last)]

    assert answers[0] == answers[1]
    assert answers[0][0] == part.status
    assert len(rows) == 2
    assert rows[0] == rows[1]


def test_the_case_owner_still_reaches_its_own_parts_without_a_refusal(cast, net):
    """The helper returns the part of the case itself: the download works and no refusal is written."""
    case = make_case(cast.case_worker_a)
    document = services.document_add(
        actor=cast.case_worker_a,
        case=case,
        title="Statement",
        content=b"statement",
        content_type="text/plain",
        file_name="statement.txt",
    )
    last = _last()

    page = client_for(cast.case_worker_a).get(f"/cases/{case.pk}/documents/{document.pk}/")
    api = _client(cast.case_worker_a, True).get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/")

    assert (page.status_code, page.content, api.status_code, api.content) == (200, b"statement", 200, b"statement")
    assert _denials(last) == []
