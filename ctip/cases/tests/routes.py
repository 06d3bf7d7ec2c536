"""The cases app's routes in the access matrix (ctip/core/tests/test_access_matrix.py).

A case is known only to its owner here (receivers of referrals and share holders have their own tests in
``test_views_flows.py``). In the owner, every reading role sees the page and only case workers and supervisors write:
a viewer gets 403 on every write, an administrator without a case role 403 on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings
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
from ctip.cases.tests.factories import make_case
from ctip.orgs.models import OrgType
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, Route, member

MISSING = 987654


def _case(c: Any) -> VictimCase:
    return make_case(c.case_worker_a)


def _with_consent(c: Any) -> VictimCase:
    case = make_case(c.case_worker_a)
    services.consent_give(actor=c.case_worker_a, case=case, purpose="statistics", given_by="person", language="ky")
    return case


def _with_share(c: Any) -> VictimCase:
    case = make_case(c.case_worker_a)
    police = OrganisationFactory(org_type=OrgType.LAW_ENFORCEMENT)
    services.consent_give(actor=c.case_worker_a, case=case, purpose="law_enforcement", given_by="person", language="ky")
    services.share_create(
        actor=c.case_worker_a,
        case=case,
        organisation=police,
        purpose="Investigation",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return case


def _with_document(c: Any) -> VictimCase:
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


def _with_stay(c: Any) -> VictimCase:
    case = make_case(c.case_worker_a)
    services.shelter_stay_start(actor=c.case_worker_a, case=case, started_on=timezone.localdate())
    return case


def _decided(c: Any) -> VictimCase:
    """A case with a decision (org A counts as the designated body while deciding; the owner then notes appeals)."""
    case = make_case(c.case_worker_a)
    with override_settings(CTIP_IDENTIFICATION_BODIES=[c.org_a.code]):
        services.identification_decide(
            actor=c.case_worker_a, case=case, outcome="identified", decided_on=timezone.localdate(), reasons="Interview"
        )
    return case


def _referral(c: Any, *, to_a: bool) -> Referral:
    """A referral from org A to a third organisation (to_a False), or from a third organisation to org A."""
    third = OrganisationFactory()
    sender = c.case_worker_a if not to_a else member(third, Role.CASE_WORKER)
    receiver_org = third if not to_a else c.org_a
    case = make_case(sender)
    services.consent_give(
        actor=sender, case=case, purpose="referral", organisation=receiver_org, given_by="person", language="ky"
    )
    return services.referral_send(actor=sender, case=case, to_organisation=receiver_org, services=["legal_aid"])


def _transfer(c: Any, *, to_a: bool) -> OwnershipTransfer:
    """A transfer proposed by org A to a third organisation (to_a False), or by a third organisation to org A."""
    third = OrganisationFactory()
    proposer = c.case_worker_a if not to_a else member(third, Role.CASE_WORKER)
    receiver_org = third if not to_a else c.org_a
    case = make_case(proposer)
    services.consent_give(
        actor=proposer, case=case, purpose="referral", organisation=receiver_org, given_by="person", language="ky"
    )
    return services.transfer_propose(actor=proposer, case=case, to_organisation=receiver_org)


def _nested(related: type, field: str) -> Any:
    """URL kwargs of a route under a case: the case's pk and its first ``related`` row (none for a missing case)."""

    def kwargs(pk: int) -> dict[str, int]:
        first = related.objects.filter(case_id=pk).values_list("pk", flat=True).first()
        return {"pk": pk, field: first if first is not None else MISSING}

    return kwargs


def _write(target: Any = _case, **extra: Any) -> Route:
    return Route(target=target, permitted="case_worker_a", without_role="viewer_a", methods=("post",), **extra)


ROUTES: dict[str, Route] = {
    "cases:detail": Route(target=_case, permitted="viewer_a", without_role="admin_a"),
    "cases:reveal": Route(target=_case, permitted="case_worker_a", without_role="viewer_a", methods=("get", "post")),
    "cases:child_notice": _write(),
    "cases:profile": _write(),
    "cases:presume": _write(data={"reason": "Screening indicated trafficking.", "on": "2026-01-05"}),
    "cases:decide": _write(),
    "cases:close": _write(),
    "cases:shelter_start": _write(),
    "cases:shelter_extend": _write(_with_stay, kwargs=_nested(ShelterStay, "stay")),
    "cases:appeal": _write(_decided, kwargs=_nested(IdentificationDecision, "decision")),
    "cases:consent_give": _write(),
    "cases:consent_withdraw": _write(_with_consent, kwargs=_nested(Consent, "consent")),
    "cases:share_create": _write(),
    "cases:share_end": _write(_with_share, kwargs=_nested(Share, "share")),
    "cases:refer": _write(),
    "cases:service_add": _write(),
    "cases:note_add": _write(data={"text": "Called the shelter."}),
    "cases:document_add": _write(),
    "cases:document_download": Route(
        target=_with_document,
        permitted="case_worker_a",
        without_role="viewer_a",
        kwargs=_nested(CaseDocument, "document"),
    ),
    # Referrals: known to the sender and the receiver; only their case workers and supervisors answer.
    "cases:referral_accept": _write(lambda c: _referral(c, to_a=True)),
    "cases:referral_reject": _write(lambda c: _referral(c, to_a=True), data={"reason": "No places left."}),
    "cases:referral_complete": _write(lambda c: _referral(c, to_a=True)),
    "cases:referral_revoke": _write(lambda c: _referral(c, to_a=False)),
    # Transfers of ownership: the owner's case workers propose and cancel; the receiver's accept or decline.
    "cases:transfer_propose": Route(
        target=_case, permitted="case_worker_a", without_role="viewer_a", methods=("get", "post")
    ),
    "cases:transfer_accept": _write(lambda c: _transfer(c, to_a=True)),
    "cases:transfer_decline": _write(lambda c: _transfer(c, to_a=True)),
    "cases:transfer_cancel": _write(lambda c: _transfer(c, to_a=False)),
}
