"""The pure rules of ctip.core.access: 404 outside, 403 without the role, and what each leaves in the trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ctip.audit.models import AuditEvent
from ctip.core.access import get_for_actor
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


@pytest.mark.parametrize("pk", [987654, "not-a-number", None])
def test_a_missing_record_is_404_like_a_foreign_one_and_leaves_no_denial(cast, specimen, pk):
    with pytest.raises(Http404):
        get_for_actor(specimens, cast.case_worker_a, pk)
    assert not AuditEvent.objects.filter(action="access.denied").exists()


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
