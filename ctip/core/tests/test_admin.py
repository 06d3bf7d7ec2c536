from __future__ import annotations

import pytest

from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record
from ctip.conftest import logged_in
from ctip.orgs.models import Organisation
from ctip.testing import UserFactory


@pytest.mark.django_db
def test_a_system_admins_change_in_the_admin_is_audited(cast):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(admin)
    org = cast.org_a
    response = client.post(
        f"/admin/orgs/organisation/{org.pk}/change/",
        {
            "code": org.code,
            "name_ky": org.name_ky,
            "name_ru": org.name_ru,
            "name_en": "Shelter A (renamed)",
            "org_type": org.org_type,
            "region": "osh",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert Organisation.objects.get(pk=org.pk).name_en == "Shelter A (renamed)"
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == admin
    assert event.details == {"fields": ["name_en", "region"]}


@pytest.mark.django_db
def test_members_without_staff_status_cannot_use_the_admin(cast, as_member):
    response = as_member(cast.admin_a).get("/admin/orgs/organisation/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_audit_trail_cannot_be_edited_in_the_admin(cast):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(admin)
    event = audit_record(action="x")
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
