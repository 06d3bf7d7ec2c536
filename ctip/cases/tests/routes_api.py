"""The cases API's routes in the access matrix (ctip/core/tests/test_access_matrix.py).

A case is known to its owner (organisation A here); organisation B's administrator is the outsider (404). Routes
that act on a referral to organisation A start from a referral sent by a third organisation, so that A's members
are the receivers. The cast has no supervisor: the person's-rights routes give A's case worker that role first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from ctip.cases import services
from ctip.cases.models import (
    CaseDocument,
    Consent,
    IdentificationDecision,
    OwnershipTransfer,
    Referral,
    Share,
    ShelterStay,
    VictimCase,
)
from ctip.cases.tests.factories import child_case, make_case
from ctip.conftest import Cast
from ctip.orgs.models import OrgType
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, Route, add_roles, member

MISSING = 987654
PAST = "2025-01-02"
TODAY = timezone.localdate().isoformat()


def _case(c: Cast) -> VictimCase:
    return make_case(c.case_worker_a)


def _with_consent(c: Cast) -> VictimCase:
    case = make_case(c.case_worker_a)
    services.consent_give(actor=c.case_worker_a, case=case, purpose="processing", given_by="person", language="ky")
    return case


def _referable(c: Cast) -> VictimCase:
    """A case whose person agreed to a referral to a third organisation."""
    case = make_case(c.case_worker_a)
    other = OrganisationFactory(code="legal-aid-m")
    services.consent_give(
        actor=c.case_worker_a, case=case, purpose="referral", given_by="person", language="ky", organisation=other
    )
    return case


def _sent(c: Cast) -> Referral:
    case = _referable(c)
    to = Consent.objects.get(case=case).organisation
    assert to is not None
    return services.referral_send(actor=c.case_worker_a, case=case, to_organisation=to, services=["legal_aid"])


def _received(c: Cast, *, accepted: bool = False) -> Referral:
    """A referral from a third organisation's case to organisation A."""
    sender = member(OrganisationFactory(code="hotline-m"), Role.CASE_WORKER)
    case = make_case(sender)
    services.consent_give(
        actor=sender, case=case, purpose="referral", given_by="person", language="ky", organisation=c.org_a
    )
    referral = services.referral_send(actor=sender, case=case, to_organisation=c.org_a, services=["shelter"])
    if accepted:
        referral = services.referral_accept(actor=c.case_worker_a, referral=referral)
    return referral


def _shared(c: Cast) -> VictimCase:
    case = make_case(c.case_worker_a)
    police = OrganisationFactory(code="police-m", org_type=OrgType.LAW_ENFORCEMENT)
    consent = services.consent_give(
        actor=c.case_worker_a,
        case=case,
        purpose="law_enforcement",
        given_by="person",
        language="ky",
        organisation=police,
    )
    services.share_create(
        actor=c.case_worker_a,
        case=case,
        organisation=police,
        purpose="Investigation of the recruiter",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=10),
        consent=consent,
    )
    return case


def _decided(c: Cast) -> VictimCase:
    """A case the designated body (a third organisation, named in the deployment's settings) has decided."""
    body = OrganisationFactory(code="sms")
    officer = member(body, Role.CASE_WORKER)
    case = make_case(c.case_worker_a)
    services.consent_give(
        actor=c.case_worker_a, case=case, purpose="referral", given_by="person", language="ky", organisation=body
    )
    services.referral_send(actor=c.case_worker_a, case=case, to_organisation=body, services=["documents"])
    with override_settings(CTIP_IDENTIFICATION_BODIES=["sms"]):
        services.identification_decide(
            actor=officer,
            case=case,
            outcome="identified",
            decided_on=timezone.localdate() - dt.timedelta(days=3),
            reasons="Criteria met.",
        )
    return case


def _supervised(c: Cast, *, closed: bool = False) -> VictimCase:
    add_roles(c.case_worker_a, [Role.SUPERVISOR])
    case = make_case(c.case_worker_a)
    if closed:
        case = services.case_close(actor=c.case_worker_a, case=case, reason="LostContact")
    return case


def _with_document(c: Cast) -> VictimCase:
    case = make_case(c.case_worker_a)
    services.document_add(
        actor=c.case_worker_a,
        case=case,
        title="Statement",
        content=b"%PDF-1.4 test",
        content_type="application/pdf",
        file_name="statement.pdf",
    )
    return case


def _with_stay(c: Cast) -> VictimCase:
    case = make_case(c.case_worker_a)
    services.shelter_stay_start(actor=c.case_worker_a, case=case, started_on=timezone.localdate())
    return case


def _proposed(c: Cast) -> OwnershipTransfer:
    """A transfer of one of organisation A's cases to a third organisation, on the person's consent."""
    case = _referable(c)
    to = Consent.objects.get(case=case).organisation
    assert to is not None
    return services.transfer_propose(actor=c.case_worker_a, case=case, to_organisation=to)


def _offered(c: Cast) -> OwnershipTransfer:
    """A transfer of a third organisation's case to organisation A."""
    proposer = member(OrganisationFactory(code="shelter-m"), Role.CASE_WORKER)
    case = make_case(proposer)
    services.consent_give(
        actor=proposer, case=case, purpose="referral", given_by="person", language="ky", organisation=c.org_a
    )
    return services.transfer_propose(actor=proposer, case=case, to_organisation=c.org_a)


def _first(model: Any, case_pk: int) -> int:
    found = model.objects.filter(case_id=case_pk).values_list("pk", flat=True).first()
    return int(found) if found is not None else MISSING


ROUTES: dict[str, Route] = {
    "api:case-detail": Route(target=_case, permitted="viewer_a", without_role="admin_a"),
    "api:case-presume": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "Screening indicated trafficking."},
    ),
    "api:case-child-notice": Route(
        target=lambda c: child_case(c.case_worker_a),
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"notified_at": "2025-01-02T10:00:00Z", "body": "Osh child-protection department"},
    ),
    "api:case-reveal": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "Preparing the court hearing."},
    ),
    "api:case-consents": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"purpose": "processing", "given_by": "person", "language": "ky"},
        ok_status=(201,),
    ),
    "api:case-consent-withdraw": Route(
        target=_with_consent,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        kwargs=lambda pk: {"pk": pk, "consent_id": _first(Consent, pk)},
    ),
    "api:case-referrals": Route(
        target=_referable,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"to_organisation": "legal-aid-m", "services": ["legal_aid"]},
        ok_status=(201,),
    ),
    "api:case-services-given": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"service": "medical", "started_on": PAST, "outcome": "provided"},
        ok_status=(201,),
    ),
    "api:case-decisions": Route(target=_case, permitted="viewer_a", without_role="admin_a"),
    "api:case-decision-appeal": Route(
        target=_decided,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        kwargs=lambda pk: {"pk": pk, "decision_id": _first(IdentificationDecision, pk)},
        data={"lodged_on": TODAY, "note": "Appealed by the person to the district court."},
    ),
    "api:case-shares": Route(target=_shared, permitted="case_worker_a", without_role="viewer_a"),
    "api:case-share-end": Route(
        target=_shared,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        kwargs=lambda pk: {"pk": pk, "share_id": _first(Share, pk)},
    ),
    "api:case-close": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "LostContact"},
    ),
    "api:case-person-export": Route(
        target=_supervised,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "Written request, letter 5"},
    ),
    "api:case-person-erase": Route(
        target=lambda c: _supervised(c, closed=True),
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "Written request, letter 6"},
    ),
    # Referrals: the sender's (or receiver's) case workers; a viewer of the same organisation gets 403.
    "api:referral-detail": Route(target=_sent, permitted="case_worker_a", without_role="viewer_a"),
    "api:referral-revoke": Route(target=_sent, permitted="case_worker_a", without_role="viewer_a", methods=("post",)),
    "api:referral-accept": Route(
        target=_received, permitted="case_worker_a", without_role="viewer_a", methods=("post",)
    ),
    "api:referral-reject": Route(
        target=_received,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        data={"reason": "No place in the shelter this month."},
    ),
    "api:referral-complete": Route(
        target=lambda c: _received(c, accepted=True),
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
    ),
    # Notes, documents, shelter stays and transfers of a case (ctip/cases/api_care.py).
    "api:case-care-notes": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("get", "post"),
        data={"text": "Called the shelter about a place."},
        ok_status=(200, 201),
    ),
    "api:case-care-documents": Route(target=_with_document, permitted="case_worker_a", without_role="viewer_a"),
    "api:case-care-document-download": Route(
        target=_with_document,
        permitted="case_worker_a",
        without_role="viewer_a",
        kwargs=lambda pk: {"pk": pk, "document_id": _first(CaseDocument, pk)},
    ),
    # Every reading role sees the stays; an administrator without a case role sees neither them nor the case.
    "api:case-care-shelter-stays": Route(
        target=_case,
        permitted="case_worker_a",
        without_role="admin_a",
        methods=("get", "post"),
        data={"started_on": TODAY},
        ok_status=(200, 201),
    ),
    "api:case-care-shelter-extend": Route(
        target=_with_stay,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
        kwargs=lambda pk: {"pk": pk, "stay_id": _first(ShelterStay, pk)},
        data={"until": (timezone.localdate() + dt.timedelta(days=60)).isoformat(), "reason": "The trial is in May."},
    ),
    "api:case-care-transfers": Route(
        target=_referable,
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("get", "post"),
        data={"to_organisation": "legal-aid-m"},
        ok_status=(200, 201),
    ),
    "api:transfer-detail": Route(target=_proposed, permitted="case_worker_a", without_role="viewer_a"),
    "api:transfer-cancel": Route(
        target=_proposed, permitted="case_worker_a", without_role="viewer_a", methods=("post",)
    ),
    "api:transfer-accept": Route(
        target=_offered, permitted="case_worker_a", without_role="viewer_a", methods=("post",)
    ),
    "api:transfer-decline": Route(
        target=_offered, permitted="case_worker_a", without_role="viewer_a", methods=("post",)
    ),
}
