from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from ctip.accounts.middleware import MFA_AT
from ctip.audit.models import AuditEvent
from ctip.screening.models import Screening, ScreeningAnswer
from ctip.screening.tests.factories import INDICATED_ADULT, make_screening

TODAY = timezone.localdate().isoformat()


def meta(**extra):
    return {"interviewed_on": TODAY, "place": "osh", "language": "ky", "act": "on", **extra}


def start(client, kind="full", **extra):
    response = client.post(
        "/screening/new/",
        {"kind": kind, "explained": "on", "consent_by": "person", "consent_language": "ky", **extra},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response["Location"] == "/screening/new/interview/"


ADULT = list(INDICATED_ADULT)


@pytest.mark.django_db
def test_nothing_is_asked_before_consent(cast, as_member):
    client = as_member(cast.case_worker_a)
    assert client.get("/screening/new/interview/")["Location"] == "/screening/new/"
    response = client.post("/screening/new/", {"kind": "full", "consent_by": "person", "consent_language": "ky"})
    assert "explained" in response.context["form"].errors
    assert client.get("/screening/new/interview/")["Location"] == "/screening/new/"


@pytest.mark.django_db
def test_a_full_interview_is_saved_with_its_result_consent_and_encrypted_notes(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client)
    form = {f"i_{code}": "on" for code in ADULT} | {"n_al.cd.documents": "passport kept by the boss"}
    response = client.post("/screening/new/interview/", meta(age="29", save="1", **form))
    screening = Screening.objects.get()
    assert response["Location"] == f"/screening/{screening.pk}/"
    assert screening.outcome == "trafficking_indicated"
    assert screening.organisation == cast.org_a
    assert (screening.consent_by, screening.consent_language, screening.kind) == ("person", "ky", "full")
    assert screening.consent_at is not None
    assert sorted(a.indicator.code for a in screening.answers.all()) == sorted(ADULT)
    assert ScreeningAnswer.objects.get(indicator__code="al.cd.documents").note == ("passport kept by the boss")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Indicators of trafficking are present." in page.content.decode()
    assert AuditEvent.objects.filter(action="record.read", object_id=str(screening.pk)).count() == 1


@pytest.mark.django_db
def test_the_result_appears_as_the_interview_proceeds(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client)
    partial = client.post(
        "/screening/new/interview/",
        meta(age="29", **{f"i_{c}": "on" for c in ADULT}),
        headers={"HX-Request": "true"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert partial.status_code == 200
    assert partial.context["live"]["result"].outcome == "trafficking_indicated"
    assert "Indicators of trafficking are present." in partial.content.decode()
    assert Screening.objects.count() == 0  # a preview saves nothing


@pytest.mark.django_db
def test_a_child_gets_the_child_questions(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client)
    page = client.post("/screening/new/interview/", meta(age="", possible_minor="on"))
    codes = [q.code for q in page.context["form"].questions]
    assert codes
    assert all(c.startswith("cl.") for c in codes)


@pytest.mark.django_db
def test_an_indicator_outside_the_interview_is_refused_and_nothing_saved(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client)
    response = client.post("/screening/new/interview/", meta(age="29", save="1", **{"i_cl.dr.nature_of_job": "on"}))
    assert response.status_code == 200
    assert "cl.dr.nature_of_job" in str(response.context["form"].non_field_errors())
    assert Screening.objects.count() == 0


@pytest.mark.django_db
def test_the_short_version_ends_in_a_referral_decision(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client, kind="short")
    page = client.post("/screening/new/interview/", meta(age="40"))
    questions = page.context["form"].questions
    assert 0 < len(questions) < 30
    short_code = questions[0].code
    client.post("/screening/new/interview/", meta(age="40", save="1", **{f"i_{short_code}": "on"}))
    saved = Screening.objects.get()
    assert (saved.kind, saved.refer_for_full) == ("short", True)
    start(client, kind="short")
    client.post("/screening/new/interview/", meta(age="40", save="1"))
    assert Screening.objects.latest("id").refer_for_full is False


@pytest.mark.django_db
def test_a_closed_screening_is_corrected_by_a_new_one(cast, as_member):
    client = as_member(cast.case_worker_a)
    old = make_screening(cast.case_worker_a)
    client.post(f"/screening/{old.pk}/close/")
    old.refresh_from_db()
    assert old.status == "closed"
    start(client, corrects=str(old.pk))
    client.post("/screening/new/interview/", meta(age="29", save="1"))
    new = Screening.objects.latest("id")
    assert new.corrects == old
    assert AuditEvent.objects.filter(action="screening.close").count() == 1


@pytest.mark.django_db
def test_another_organisations_screening_cannot_be_corrected(cast, as_member):
    from ctip.orgs.roles import Role
    from ctip.testing import member

    theirs = make_screening(member(cast.org_b, Role.CASE_WORKER))
    response = as_member(cast.case_worker_a).get(f"/screening/new/?corrects={theirs.pk}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_printable_record_is_a_pdf_after_a_fresh_second_factor_and_is_audited(cast, as_member, settings):
    client = as_member(cast.case_worker_a)
    screening = make_screening(cast.case_worker_a, language="ru")
    response = client.get(f"/screening/{screening.pk}/record.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="screening.export")
    assert event.details == {"reference": screening.reference, "format": "pdf", "language": "ru"}
    session = client.session
    session[MFA_AT] = time.time() - settings.CTIP_STEP_UP_SECONDS - 1
    session.save()
    stale = client.get(f"/screening/{screening.pk}/record.pdf")
    assert stale["Location"].startswith("/accounts/mfa/?next=")


@pytest.mark.django_db
def test_the_list_shows_references_never_names_and_filters_by_outcome(cast, as_member):
    make_screening(cast.case_worker_a)
    make_screening(cast.case_worker_a, indicators=[])
    client = as_member(cast.case_worker_a)
    assert len(client.get("/screening/").context["page"].object_list) == 2
    only = client.get("/screening/?outcome=trafficking_indicated").context["page"].object_list
    assert [s.outcome for s in only] == ["trafficking_indicated"]
    assert as_member(cast.viewer_a).get("/screening/").status_code == 403


@pytest.mark.django_db
def test_the_list_pages_through_every_screening_and_says_how_many_there_are(cast, as_member, monkeypatch):
    monkeypatch.setattr("ctip.screening.views.PAGE_SIZE", 2)
    today = timezone.localdate()
    newest_first = [make_screening(cast.case_worker_a, interviewed_on=today - dt.timedelta(days=d)) for d in (1, 2, 3)]
    make_screening(cast.case_worker_a, indicators=[])  # filtered out below
    client = as_member(cast.case_worker_a)

    first = client.get("/screening/?outcome=trafficking_indicated").content.decode()
    second = client.get("/screening/?outcome=trafficking_indicated&page=2").content.decode()

    assert [s.reference in first for s in newest_first] == [True, True, False]
    assert [s.reference in second for s in newest_first] == [False, False, True]
    for body in (first, second):
        assert "3 screenings" in body
    assert "Page 1 of 2" in first
    assert 'href="?outcome=trafficking_indicated&amp;page=2" rel="next"' in first
    assert "Page 2 of 2" in second
    assert 'href="?outcome=trafficking_indicated&amp;page=1" rel="prev"' in second


@pytest.mark.django_db
def test_a_future_interview_date_is_refused(cast, as_member):
    client = as_member(cast.case_worker_a)
    start(client)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post("/screening/new/interview/", meta(age="29", save="1", interviewed_on=tomorrow))
    assert "interviewed_on" in response.context["form"].errors


@pytest.mark.django_db
def test_a_screening_with_indicators_offers_to_open_a_victim_case(cast, as_member):
    indicated = make_screening(cast.case_worker_a)
    not_indicated = make_screening(cast.case_worker_a, indicators=())
    client = as_member(cast.case_worker_a)

    def offers(screening: Screening) -> bool:
        page = client.get(f"/screening/{screening.pk}/").content.decode()
        return f"/cases/new/?screening={screening.pk}" in page

    assert indicated.outcome == "trafficking_indicated"
    assert offers(indicated)
    assert not offers(not_indicated)
