"""The audit page must not tell an organisation which of the records its members were refused exist.

A member of organisation B asks for cases by id, some of them organisation A's, some that exist nowhere: every one is
a 404. Organisation B's administrator then reads B's trail on ``/audit/``: a refusal of a missing id must look exactly
like the refusal of an existing one, or the page is an oracle for which ids are real cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.tests.factories import make_case
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/audit/"


def _rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows the page shows, in the columns it shows, but for the time and the request id."""
    return [
        (e.actor.email if e.actor else None, e.organisation.code, e.action, e.object_type, e.object_id, e.reason)
        for e in response.context["page"]
    ]


def test_an_outsiders_refusals_show_the_same_rows_for_missing_and_existing_cases(cast):
    existing = [make_case(cast.case_worker_a).pk for _ in range(2)]
    missing = [max(existing) + 1000, max(existing) + 1001]
    outsider = client_for(cast.case_worker_b)

    statuses = [outsider.get(f"/cases/{pk}/").status_code for pk in existing + missing]
    page = client_for(cast.admin_b).get(URL, {"action": "access.denied"})

    assert statuses == [404, 404, 404, 404]
    assert page.status_code == 200
    assert _rows(page) == [("worker.b@example.org", "police-b", "access.denied", "", "", "")] * 4
    # What the trail keeps behind the page is the same too, apart from the id that was asked for.
    details = AuditEvent.objects.filter(action="access.denied").order_by("id").values_list("details", flat=True)
    assert list(details) == [
        {"model": "cases.victimcase", "object_id": str(pk), "action": "view", "status": 404}
        for pk in existing + missing
    ]


def test_a_missing_part_of_a_case_shows_the_same_row_as_another_cases_part(cast):
    """A sub-object reached through a case the member may see follows the same rule (a document here)."""
    own, other = make_case(cast.case_worker_a), make_case(cast.case_worker_b)
    document = services.document_add(
        actor=cast.case_worker_b,
        case=other,
        title="Statement",
        content=b"statement",
        content_type="text/plain",
        file_name="statement.txt",
    )
    member = client_for(cast.case_worker_a)

    statuses = [member.get(f"/cases/{own.pk}/documents/{pk}/").status_code for pk in (document.pk, document.pk + 1000)]
    page = client_for(cast.admin_a).get(URL, {"action": "access.denied"})

    assert statuses == [404, 404]
    assert _rows(page) == [("worker.a@example.org", "shelter-a", "access.denied", "", "", "")] * 2
    details = AuditEvent.objects.filter(action="access.denied").order_by("id").values_list("details", flat=True)
    assert list(details) == [
        {"model": "cases.casedocument", "object_id": str(pk), "action": "document", "status": 404}
        for pk in (document.pk, document.pk + 1000)
    ]


@pytest.mark.parametrize("url", ["/cases/not-a-number/", "/cases/12/nowhere/", "/api/v1/cases/not-a-number/"])
def test_an_address_that_names_no_record_is_404_and_not_a_refusal(cast, url):
    """The resolver's own 404s (and an API id that cannot be one) are not attempts on a record: nothing is written."""
    make_case(cast.case_worker_a)
    response = client_for(cast.case_worker_b).get(url)
    page = client_for(cast.admin_b).get(URL, {"action": "access.denied"})

    assert response.status_code == 404
    assert _rows(page) == []
