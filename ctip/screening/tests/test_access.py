"""The screening policy, line by line: 404 outside the organisation, 403 without the role, audited reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ctip.audit.models import AuditEvent
from ctip.screening.access import screenings
from ctip.screening.selectors import screening_get_for_actor, screenings_visible_to
from ctip.screening.tests.factories import make_screening
from ctip.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening(cast, ilo):
    return make_screening(cast.case_worker_a)


def test_only_the_organisations_members_know_a_screening_exists(cast, screening):
    assert list(screenings.visible(cast.viewer_a, "view")) == [screening]
    assert list(screenings.visible(cast.case_worker_b, "view")) == []
    assert list(screenings.visible(None, "view")) == []


def test_case_workers_and_supervisors_may_view(cast, screening):
    supervisor = member(cast.org_a, "supervisor")
    assert screenings.can(cast.case_worker_a, "view", screening)
    assert screenings.can(supervisor, "view", screening)
    assert not screenings.can(cast.viewer_a, "view", screening)
    assert not screenings.can(cast.admin_a, "view", screening)
    assert not screenings.can(cast.case_worker_b, "view", screening)
    assert not screenings.can(None, "view", screening)


def test_nobody_changes_a_saved_screening_through_the_policy(cast, screening):
    assert not screenings.can(cast.case_worker_a, "change", screening)
    assert not screenings.can(cast.case_worker_a, "delete", screening)


def test_listing_creating_and_assessing(cast):
    assert screenings.can(cast.case_worker_a, "list")
    assert screenings.can(cast.case_worker_a, "create")
    assert not screenings.can(cast.viewer_a, "list")
    assert not screenings.can(cast.viewer_a, "create")
    assert not screenings.can(None, "list")
    assert not screenings.can(None, "create")
    assert screenings.can(cast.viewer_a, "assess")
    assert not screenings.can(None, "assess")


def test_the_selector_audits_each_read(cast, screening):
    assert screening_get_for_actor(cast.case_worker_a, screening.pk) == screening
    event = AuditEvent.objects.get(action="record.read")
    assert (event.object_type, event.object_id, event.actor) == (
        "screening.screening",
        str(screening.pk),
        cast.case_worker_a.user,
    )


def test_the_selector_refuses_outsiders_with_404_and_members_without_the_role_with_403(cast, screening):
    with pytest.raises(Http404):
        screening_get_for_actor(cast.case_worker_b, screening.pk)
    with pytest.raises(PermissionDenied):
        screening_get_for_actor(cast.viewer_a, screening.pk)
    assert not AuditEvent.objects.filter(action="record.read").exists()
    assert list(AuditEvent.objects.filter(action="access.denied").values_list("details__status", flat=True)) == [
        404,
        403,
    ]


def test_the_list_selector_is_scoped(cast, screening, ilo):
    make_screening(cast.case_worker_b)
    assert list(screenings_visible_to(cast.case_worker_a)) == [screening]
