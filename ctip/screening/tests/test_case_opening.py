"""The screening page offers "open a victim case" only when an app registered the offer (screening imports no app)."""

from __future__ import annotations

import pytest

from ctip.conftest import client_for
from ctip.core import registry
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db

OFFER = "Open a victim case"


def test_the_cases_app_offers_a_case_to_those_who_may_open_one(cast, ilo):
    screening = make_screening(cast.case_worker_a, catalogue=ilo)
    page = client_for(cast.case_worker_a).get(f"/screening/{screening.pk}/").content.decode()
    assert f'href="/cases/new/?screening={screening.pk}"' in page
    assert OFFER in page


def test_with_no_app_registered_the_page_offers_nothing(cast, ilo, monkeypatch):
    monkeypatch.setattr(registry, "_case_openers", {})
    screening = make_screening(cast.case_worker_a, catalogue=ilo)
    page = client_for(cast.case_worker_a).get(f"/screening/{screening.pk}/")
    assert page.status_code == 200
    assert OFFER not in page.content.decode()
