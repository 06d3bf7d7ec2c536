"""Coordination's parameterised routes in the access matrix (ctip/core/tests/test_access_matrix.py).

Bodies, meetings, decisions and activities are read by every member of every organisation, so an outsider reading
them gets 200, and an outsider trying to change a body, meeting or decision gets 403 (it exists for them; only the
coordinator changes it). Follow-up on a decision and editing an activity belong to one organisation: for any other
the record does not exist as far as that goes (404), like another agency's action in ``ctip.plans``.
"""

from __future__ import annotations

from django.utils import timezone

from ctip.coordination.tests.factories import (
    decision_of_org_a,
    make_activity,
    make_body,
    make_held_meeting,
)
from ctip.testing import Route

TODAY = timezone.localdate().isoformat()

BODY = {"name_ky": "К", "name_ru": "С", "name_en": "Council", "kind": "working_group", "is_active": "on"}

ROUTES: dict[str, Route] = {
    "coordination:body_detail": Route(
        target=lambda c: make_body(c.coordinator), permitted="case_worker_a", without_role=None, outsider_status=200
    ),
    "coordination:body_edit": Route(
        target=lambda c: make_body(c.coordinator),
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        data=BODY,
        outsider_status=403,
    ),
    "coordination:meeting_create": Route(
        target=lambda c: make_body(c.coordinator),
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        data={"date": TODAY, "status": "planned", "agenda": "1."},
        outsider_status=403,
    ),
    "coordination:meeting_detail": Route(
        target=lambda c: make_held_meeting(c.coordinator, make_body(c.coordinator)),
        permitted="viewer_a",
        without_role=None,
        outsider_status=200,
    ),
    "coordination:meeting_edit": Route(
        target=lambda c: make_held_meeting(c.coordinator, make_body(c.coordinator)),
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        data={"date": TODAY, "status": "held", "minutes": "Done."},
        outsider_status=403,
    ),
    "coordination:decision_create": Route(
        target=lambda c: make_held_meeting(c.coordinator, make_body(c.coordinator)),
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        outsider_status=403,
    ),
    "coordination:decision_detail": Route(
        target=decision_of_org_a, permitted="viewer_a", without_role=None, outsider_status=200
    ),
    "coordination:decision_edit": Route(
        target=decision_of_org_a,
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        outsider_status=403,
    ),
    "coordination:decision_follow_up": Route(
        target=decision_of_org_a,
        permitted="admin_a",
        without_role="viewer_a",
        methods=("post",),
        data={"status": "in_progress", "note": "Started."},
    ),
    "coordination:activity_detail": Route(
        target=lambda c: make_activity(c.admin_a), permitted="viewer_a", without_role=None, outsider_status=200
    ),
    "coordination:activity_edit": Route(
        target=lambda c: make_activity(c.admin_a),
        permitted="admin_a",
        without_role="viewer_a",
        methods=("get", "post"),
        data={
            "title": "Renamed",
            "region": "osh",
            "pillar": "PREVENTION",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "beneficiaries": "5",
        },
    ),
}
