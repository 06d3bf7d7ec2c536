"""The pure rules of ctip.core.access: 404 outside, 403 without the role, and what each leaves in the trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ctip.audit.models import AuditEvent
from ctip.core.access import get_child_for_actor, get_for_actor
from ctip.testapp.access import specimens
from ctip.testapp.models import Specimen


@pytest.fixture
def specimen(cast):
    return Specimen.objects.create(organisation=cast.org_a, code="P-1", name="Name")


def test_the_owner_with_the_role_gets_it_and_the_read_is_audited(cast, specimen):
    assert get_for_actor(specimens, cast.case_worker_a, specimen.pk) == specimen
    event = AuditEvent.objects.get(action="record.read")
    assert (event.actor, event.organisation, event.object_id) == (cast.case_worker_a.user, cast.org_a, str(specimen.pk))
    assert event.object_type == "testapp.specimen"
    assert "Name" not in str(event.details)


def test_another_organisation_gets_404_and_the_attempt_is_audited(cast, specimen):
    with pytest.raises(Http404):
        get_for_actor(specimens, cast.case_worker_b, specimen.pk)
    event = AuditEvent.objects.get(action="access.denied")
    assert event.details == {
        "model": "testapp.specimen",
        "object_id": str(specimen.pk),
        "action": "view",
        "status": 404,
    }
    assert not AuditEvent.objects.filter(action="record.read").exists()


def test_a_member_without_the_role_gets_403_and_it_is_audited(cast, specimen):
    with pytest.raises(PermissionDenied):
        get_for_actor(specimens, cast.viewer_a, specimen.pk)
    assert AuditEvent.objects.get(action="access.denied").details["status"] == 403


def _denials() -> list[tuple[object, ...]]:
    rows = AuditEvent.objects.filter(action="access.denied").order_by("id")
    return [(e.actor_id, e.organisation_id, e.object_type, e.object_id, e.details) for e in rows]


def test_a_missing_record_is_refused_and_audited_exactly_like_a_foreign_one(cast, specimen):
    missing = specimen.pk + 1000
    for pk in (specimen.pk, missing):
        with pytest.raises(Http404):
            get_for_actor(specimens, cast.case_worker_b, pk)
    user, org = cast.case_worker_b.user.pk, cast.org_b.pk
    assert _denials() == [
        (user, org, "", "", {"model": "testapp.specimen", "object_id": str(pk), "action": "view", "status": 404})
        for pk in (specimen.pk, missing)
    ]


def test_a_refusal_asks_nothing_about_whether_the_record_exists(cast, specimen):
    """The same queries for an existing record and a missing one: the fetch, then the audit row, and no other read."""
    counts, fetches = [], []
    for pk in (specimen.pk, specimen.pk + 1000):
        with CaptureQueriesContext(connection) as queries, pytest.raises(Http404):
            get_for_actor(specimens, cast.case_worker_b, pk)
        counts.append(len(queries))
        fetches.append(sum("testapp_specimen" in q["sql"] for q in queries.captured_queries))
    assert counts[0] == counts[1]
    assert fetches == [1, 1]


@pytest.mark.parametrize("pk", ["not-a-number", None])
def test_a_value_that_cannot_be_an_id_is_404_and_leaves_no_denial(cast, specimen, pk):
    # Like the URL resolver's own 404 for /cases/abc/: no record can have this id, so nothing was attempted.
    with pytest.raises(Http404):
        get_for_actor(specimens, cast.case_worker_a, pk)
    assert not AuditEvent.objects.filter(action="access.denied").exists()


# --- A child reached through its parent -----------------------------------------------------------------------


class RefusedError(Exception):
    status_code = 400


def test_a_child_of_the_parent_is_returned_and_nothing_is_audited(cast, specimen):
    children = Specimen.objects.filter(organisation=cast.org_a)
    assert get_child_for_actor(cast.case_worker_a, children, specimen.pk, "edit") == specimen
    assert not AuditEvent.objects.exists()


def test_another_parents_child_and_a_missing_one_are_refused_and_audited_alike(cast, specimen):
    children = Specimen.objects.filter(organisation=cast.org_b)  # specimen is organisation A's
    missing = specimen.pk + 1000
    for pk in (specimen.pk, missing):
        with pytest.raises(Http404):
            get_child_for_actor(cast.case_worker_b, children, pk, "edit")
    user, org = cast.case_worker_b.user.pk, cast.org_b.pk
    assert _denials() == [
        (user, org, "", "", {"model": "testapp.specimen", "object_id": str(pk), "action": "edit", "status": 404})
        for pk in (specimen.pk, missing)
    ]


def test_a_child_refused_with_the_routes_own_answer_records_its_status(cast, specimen):
    refusal = RefusedError("no such child")
    with pytest.raises(RefusedError) as raised:
        get_child_for_actor(cast.case_worker_b, Specimen.objects.none(), specimen.pk, "share", refusal=refusal)
    assert raised.value is refusal
    assert [d[-1] for d in _denials()] == [
        {"model": "testapp.specimen", "object_id": str(specimen.pk), "action": "share", "status": 400}
    ]


@pytest.mark.parametrize("pk", ["not-a-number", None])
def test_a_child_value_that_cannot_be_an_id_leaves_no_denial(cast, specimen, pk):
    with pytest.raises(Http404):
        get_child_for_actor(cast.case_worker_a, Specimen.objects.all(), pk)
    assert not AuditEvent.objects.exists()


def test_anonymous_sees_nothing(cast, specimen):
    with pytest.raises(Http404):
        get_for_actor(specimens, None, specimen.pk)


def test_scoping_cannot_be_overridden_in_a_subclass():
    from django.views.generic import DetailView

    from ctip.api.base import ScopedViewSet
    from ctip.core.generic import PolicyObjectMixin

    with pytest.raises(TypeError, match="must not override get_queryset"):

        class Leaky(PolicyObjectMixin, DetailView):
            policy = specimens

            def get_queryset(self):
                return Specimen.objects.all()

    with pytest.raises(TypeError, match="must not override get_object"):

        class LeakyApi(ScopedViewSet):
            policy = specimens

            def get_object(self):
                return Specimen.objects.first()


def test_a_policy_view_fetches_through_the_policy(cast, specimen):
    from django.test import RequestFactory
    from django.views.generic import DetailView

    from ctip.core.generic import PolicyObjectMixin

    class SpecimenView(PolicyObjectMixin, DetailView):
        policy = specimens
        template_name = "core/error.html"

    request = RequestFactory().get("/")
    request.membership = cast.case_worker_b
    request.user = cast.case_worker_b.user
    with pytest.raises(Http404):
        SpecimenView.as_view()(request, pk=specimen.pk)
    request.membership = cast.case_worker_a
    assert SpecimenView.as_view()(request, pk=specimen.pk).status_code == 200
