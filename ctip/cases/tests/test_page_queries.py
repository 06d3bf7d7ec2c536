"""One grants value per member and case: the page's flags and the API's decisions agree, and cost two queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctip.accounts.services import token_issue
from ctip.cases import access, services
from ctip.cases.tests.factories import presumed_case
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db

# The whole page for the owner's case worker, tab by tab (session, member, case, its audited read, the tab's rows);
# the permission flags are two of them. Before the grants value the same pages took 39 to 43 queries.
QUERIES = {
    "summary": 19,
    "person": 17,
    "exploitation": 19,
    "consent": 21,
    "referrals": 20,
    "services": 18,
    "notes": 20,  # the notes selector asks the grants again (which notes: all, shared, none)
    "documents": 18,
    "decision": 19,
    "closure": 17,
}

# Appending the audited read costs two more statements on PostgreSQL: the audit chain's advisory lock and the next
# id from its sequence (ctip/audit/services.py); SQLite's write lock and rowid need neither.
AUDIT_APPEND_EXTRA = {"postgresql": 2}


@pytest.mark.parametrize(("tab", "expected"), QUERIES.items())
def test_each_tab_of_the_case_page_takes_a_fixed_number_of_queries(cast, tab, expected):
    case = presumed_case(cast.case_worker_a)
    client = client_for(cast.case_worker_a)
    client.get(reverse("cases:detail", args=[case.pk]))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("cases:detail", args=[case.pk]), {"tab": tab})
    expected += AUDIT_APPEND_EXTRA.get(connection.vendor, 0)
    assert (page.status_code, page.context["tab"], len(ctx.captured_queries)) == (200, tab, expected)


def _known_three_ways(cast, net):
    """A case of organisation A, referred (accepted) to the legal-aid NGO and shared with the police."""
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="referral",
        given_by="person",
        language="ky",
        organisation=net.legal,
    )
    consent = services.consent_give(
        actor=cast.case_worker_a,
        case=case,
        purpose="law_enforcement",
        given_by="person",
        language="ky",
        organisation=net.police,
    )
    services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=net.police,
        purpose="investigation",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
        consent=consent,
    )
    referral = services.referral_send(
        actor=cast.case_worker_a, case=case, to_organisation=net.legal, services=["shelter"]
    )
    services.referral_accept(actor=net.legal_worker, referral=referral)
    return case


def _api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def test_the_page_flags_and_the_api_decisions_agree_for_every_member_of_the_cast(cast, net):
    case = _known_three_ways(cast, net)
    members = [
        *(getattr(cast, name) for name in ("case_worker_a", "viewer_a", "admin_a", "case_worker_b", "coordinator")),
        *(
            getattr(net, name)
            for name in ("supervisor_a", "analyst_a", "legal_worker", "legal_viewer", "body_worker", "investigator")
        ),
    ]
    for member in members:
        page = client_for(member).get(reverse("cases:detail", args=[case.pk]))
        api = _api(member)
        detail = api.get(f"/api/v1/cases/{case.pk}/")
        notes = api.get(f"/api/v1/cases/{case.pk}/notes/")
        visible = access.cases.visible(member).filter(pk=case.pk).exists()
        if not visible:
            assert (page.status_code, detail.status_code, notes.status_code) == (404, 404, 404), member
            continue
        decided = {action: access.cases.can(member, action, case) for action in access.CASE_ACTIONS}
        assert detail.status_code == (200 if decided["view"] else 403), member
        assert notes.status_code == (200 if decided["read_notes"] else 403), member
        if page.status_code == 403:
            assert decided["view"] is False, member
            continue
        flags = page.context["can"]
        assert {action: flags[action] for action in access.CASE_ACTIONS} == decided, member
