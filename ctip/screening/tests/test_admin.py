"""Catalogues in the admin: a draft can be corrected (audited); a frozen version is read-only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.conftest import logged_in
from ctip.screening.models import Indicator, IndicatorCatalogue
from ctip.testing import UserFactory

pytestmark = pytest.mark.django_db
INDICATOR_FIELDS = (
    "catalogue",
    "position",
    "code",
    "list",
    "dimension",
    "strength",
    "label_en",
    "label_ru",
    "label_ky",
    "source",
    "question_en",
    "question_ru",
    "question_ky",
)


@pytest.fixture
def admin_client():
    return logged_in(UserFactory(is_staff=True, is_superuser=True))


def indicator_form(indicator: Indicator, **changes) -> dict:
    data = {field: getattr(indicator, f"{field}_id" if field == "catalogue" else field) for field in INDICATOR_FIELDS}
    if indicator.verified:
        data["verified"] = "on"
    if indicator.short:
        data["short"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_indicator_of_a_draft_can_be_corrected_and_it_is_audited(admin_client, ilo):
    disputed = ilo.indicators.get(code="al.vr.difficulties_past")
    response = admin_client.post(
        f"/admin/screening/indicator/{disputed.pk}/change/",
        indicator_form(disputed, strength="medium", verified="on"),
    )
    assert response.status_code == 302
    disputed.refresh_from_db()
    assert (disputed.strength, disputed.verified) == ("medium", True)
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.object_type, event.details) == ("screening.indicator", {"fields": ["strength", "verified"]})


def test_a_frozen_catalogue_and_its_indicators_are_read_only(admin_client, ilo):
    IndicatorCatalogue.objects.filter(pk=ilo.pk).update(frozen_at=timezone.now())
    indicator = ilo.indicators.get(code="al.dr.wages")
    catalogue_url = f"/admin/screening/indicatorcatalogue/{ilo.pk}/change/"
    indicator_url = f"/admin/screening/indicator/{indicator.pk}/change/"
    assert admin_client.get(catalogue_url).status_code == 200
    assert b'name="title_en"' not in admin_client.get(catalogue_url).content  # shown, not editable
    assert admin_client.post(catalogue_url, {"title_en": "Changed"}).status_code == 403
    assert admin_client.post(indicator_url, indicator_form(indicator, strength="strong")).status_code == 403
    assert (
        admin_client.post(f"/admin/screening/indicatorcatalogue/{ilo.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert admin_client.post(f"/admin/screening/indicator/{indicator.pk}/delete/", {"post": "yes"}).status_code == 403
    ilo.refresh_from_db()
    indicator.refresh_from_db()
    assert (ilo.title_en, indicator.strength) != ("Changed", "strong")
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_a_new_indicator_can_only_join_a_draft(admin_client, ilo):
    IndicatorCatalogue.objects.filter(pk=ilo.pk).update(frozen_at=timezone.now())
    fields = {
        "catalogue": ilo.pk,
        "position": 1,
        "code": "al.dr.new",
        "list": "adult_labour",
        "dimension": "dr",
        "strength": "weak",
        "label_en": "New",
        "label_ru": "Новый",
        "label_ky": "Жаңы",
    }
    response = admin_client.post("/admin/screening/indicator/add/", fields)
    assert response.status_code == 200  # the form again, with an error on catalogue
    assert "catalogue" in response.context["adminform"].form.errors
    assert not Indicator.objects.filter(code="al.dr.new").exists()


def test_screenings_are_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/screening/screening/").status_code == 404
