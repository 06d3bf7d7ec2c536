"""The case pages: codes and statuses, never names; filters; one query for the rows; refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctip.cases import services
from ctip.cases.tests.factories import NAME, make_case, presumed_case
from ctip.cases.views import pages
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_list_shows_codes_and_statuses_and_never_a_name(cast):
    case = presumed_case(cast.case_worker_a)
    theirs = make_case(cast.case_worker_b)
    page = client_for(cast.viewer_a).get(reverse("cases:list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert case.code in body
    assert theirs.code not in body
    assert NAME not in body
    assert "Aigul" not in body


def test_the_list_filters_and_says_what_is_wrong_with_a_filter(cast):
    presumed = presumed_case(cast.case_worker_a)
    potential = make_case(cast.case_worker_a)
    client = client_for(cast.case_worker_a)
    body = client.get(reverse("cases:list"), {"status": "presumed"}).content.decode()
    assert presumed.code in body
    assert potential.code not in body
    bad = client.get(reverse("cases:list"), {"status": "victim"}, headers={"Accept-Language": "en"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_the_list_pages(cast, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    made = [make_case(cast.case_worker_a) for _ in range(3)]
    client = client_for(cast.case_worker_a)
    first = client.get(reverse("cases:list")).content.decode()
    second = client.get(reverse("cases:list"), {"page": 2}).content.decode()
    assert (made[2].code in first, made[0].code in first, "page=2" in first) == (True, False, True)
    assert (made[0].code in second, made[2].code in second) == (True, False)


def test_members_without_a_reading_role_get_403_on_the_list(cast):
    assert client_for(cast.admin_a).get(reverse("cases:list")).status_code == 403


def test_the_case_page_shows_the_code_but_not_the_identity(cast):
    case = presumed_case(cast.case_worker_a)
    page = client_for(cast.case_worker_a).get(
        reverse("cases:detail", args=[case.pk]), headers={"Accept-Language": "en"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert case.code in body
    assert NAME not in body
    assert "Presumed victim" in body


def test_the_case_page_leads_back_to_the_list_its_reader_may_open(cast, net):
    case = presumed_case(cast.case_worker_a)
    services.consent_give(
        actor=cast.case_worker_a, case=case, purpose="law_enforcement", given_by="person", language="ky"
    )
    services.share_create(
        actor=cast.case_worker_a,
        case=case,
        organisation=net.police,
        purpose="Investigation of the recruiter",
        scope="case",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    page = reverse("cases:detail", args=[case.pk])

    def main(member) -> str:
        return client_for(member).get(page).content.decode().split('<main id="main"', 1)[1]

    owner, police = main(cast.case_worker_a), main(net.investigator)
    assert f'href="{reverse("cases:list")}"' in owner
    assert f'href="{reverse("cases:list")}"' not in police
    assert f'href="{reverse("cases:shared")}"' in police
    assert client_for(net.investigator).get(reverse("cases:list")).status_code == 403


def test_another_organisation_gets_404_on_the_case_page(cast):
    case = make_case(cast.case_worker_a)
    assert client_for(cast.case_worker_b).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_my_deadlines_lists_the_reflection_period_end(cast):
    case = make_case(cast.case_worker_a)
    services.case_mark_presumed(
        actor=cast.case_worker_a, case=case, reason="grounds", on=timezone.localdate() - dt.timedelta(days=25)
    )
    body = client_for(cast.case_worker_a).get(reverse("cases:deadlines")).content.decode()
    assert case.code in body
    assert (timezone.localdate() + dt.timedelta(days=5)).isoformat() in body
