"""Funding's parameterised routes in the access matrix (ctip/core/tests/test_access_matrix.py).

Commitments of an approved program are read by every member (outsiders get 200) and changed by the coordinator
(an outsider gets 403: the commitment exists for them). Disbursements are recorded by the implementing
organisation's administrator or the coordinator; for any other organisation the commitment does not exist as far
as disbursing goes (404).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ctip.coordination.tests.factories import approved_action
from ctip.funding.models import Commitment
from ctip.funding.tests.factories import make_commitment
from ctip.testing import Route


def commitment_to_org_a(c: Any) -> Commitment:
    action = approved_action(c.coordinator, c.org_b)
    return make_commitment(c.coordinator, action.program, c.org_a)


ROUTES: dict[str, Route] = {
    "funding:commitment_detail": Route(
        target=commitment_to_org_a, permitted="viewer_a", without_role=None, outsider_status=200
    ),
    "funding:commitment_edit": Route(
        target=commitment_to_org_a, permitted="coordinator", without_role="admin_a", outsider_status=403
    ),
    # The permitted POST names no action (the matrix cannot know its id): the form answers 400 after access passed.
    "funding:allocation_set": Route(
        target=commitment_to_org_a,
        permitted="coordinator",
        without_role="admin_a",
        methods=("post",),
        data={"amount": "10"},
        outsider_status=403,
        ok_status=(400,),
    ),
    "funding:disbursement_create": Route(
        target=commitment_to_org_a,
        permitted="admin_a",
        without_role="viewer_a",
        methods=("post",),
        data={"date": timezone.localdate().isoformat(), "amount": "10.00"},
    ),
}
