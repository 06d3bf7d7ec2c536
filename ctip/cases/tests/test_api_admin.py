"""The admin side of the cases app: the service directory is editable and audited; identities are not there."""

from __future__ import annotations

import pytest
from django.contrib import admin

from ctip.accounts.models import User
from ctip.audit.models import AuditEvent
from ctip.cases import models
from ctip.cases.models import ServiceOffer
from ctip.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin() -> User:
    return User.objects.create_superuser("root@example.org", "long enough password 1", full_name="Root")


def test_a_system_administrator_adds_a_service_offer_and_it_is_audited(cast, sysadmin):
    client = logged_in(sysadmin)
    response = client.post(
        "/admin/cases/serviceoffer/add/",
        {"organisation": cast.org_a.pk, "service": "shelter", "region": "osh"},
    )
    assert response.status_code == 302, response.content[:2000]
    offer = ServiceOffer.objects.get()
    assert (offer.organisation, offer.service, offer.region) == (cast.org_a, "shelter", "osh")
    event = AuditEvent.objects.get(action="admin.add")
    assert (event.object_type, event.object_id) == ("cases.serviceoffer", str(offer.pk))


def test_a_bad_service_is_refused_and_nothing_is_added(cast, sysadmin):
    response = logged_in(sysadmin).post(
        "/admin/cases/serviceoffer/add/",
        {"organisation": cast.org_a.pk, "service": "massage", "region": "osh"},
    )
    assert response.status_code == 200
    assert ServiceOffer.objects.count() == 0


def test_no_model_holding_identity_or_case_work_is_in_the_admin():
    registered = {m for m in admin.site._registry if m._meta.app_label == "cases"}
    assert registered == {ServiceOffer}
    assert models.Person not in admin.site._registry
