"""screening_create: assess, store, freeze the catalogue version, audit — or refuse and change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ctip.audit.models import AuditEvent
from ctip.screening import services
from ctip.screening.models import IndicatorCatalogue, Screening, ScreeningAnswer
from ctip.screening.tests.factories import INDICATED_ADULT, make_screening

pytestmark = pytest.mark.django_db


def nothing_written(catalogue: IndicatorCatalogue) -> bool:
    catalogue.refresh_from_db()
    return (
        not Screening.objects.exists()
        and not ScreeningAnswer.objects.exists()
        and not AuditEvent.objects.filter(action="screening.create").exists()
        and catalogue.frozen_at is None
    )


def test_it_stores_the_result_and_a_pseudonymous_reference(cast, ilo):
    screening = make_screening(cast.case_worker_a, notes={"al.dr.wages": "promised 800 USD a month"})
    screening.refresh_from_db()
    assert re.fullmatch(r"SCR-[A-Z2-7]{8}", screening.reference)
    assert screening.organisation == cast.org_a
    assert screening.interviewer == cast.case_worker_a.user
    assert (screening.catalogue, screening.list, screening.outcome) == (ilo, "adult_labour", "trafficking_indicated")
    assert screening.result["outcome"] == "trafficking_indicated"
    assert screening.result["dimensions"]["cd"] == {"strong": 2, "medium": 0, "weak": 0, "positive": True}
    assert "explanation" not in screening.result  # it is worded per reader, from the stored answers
    assert screening.status == "open"
    assert sorted(screening.answers.values_list("indicator__code", flat=True)) == sorted(INDICATED_ADULT)
    assert screening.answers.get(indicator__code="al.dr.wages").note == "promised 800 USD a month"


def test_notes_are_encrypted_at_rest(cast, ilo):
    make_screening(cast.case_worker_a, notes={"al.dr.wages": "Айгүл, Ош шаары"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM screening_screeninganswer")
        stored = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("ctip1$") for value in stored)
    assert not any("Айгүл" in value for value in stored)


def test_the_first_screening_freezes_the_catalogue_version_and_audits(cast, ilo):
    assert ilo.frozen_at is None
    first = make_screening(cast.case_worker_a)
    ilo.refresh_from_db()
    assert ilo.frozen_at is not None
    frozen_at = ilo.frozen_at
    second = make_screening(cast.case_worker_a, indicators=["al.dr.wages"])
    ilo.refresh_from_db()
    assert ilo.frozen_at == frozen_at
    events = list(AuditEvent.objects.filter(action="screening.create").order_by("id"))
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert events[0].details == {
        "reference": first.reference,
        "catalogue": "ilo-2009",
        "version": 1,
        "froze_catalogue": True,
        "list": "adult_labour",
        "outcome": "trafficking_indicated",
        "indicators": 6,
        "corrects": None,
        "kind": "full",
        "consent_by": "person",
    }
    assert events[1].details["froze_catalogue"] is False
    assert (events[0].actor, events[0].organisation) == (cast.case_worker_a.user, cast.org_a)


def test_a_failing_audit_leaves_nothing_behind(cast, ilo, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        make_screening(cast.case_worker_a)
    assert nothing_written(ilo)


@pytest.mark.parametrize("who", ["viewer_a", "admin_a", "coordinator"])
def test_members_without_the_role_cannot_screen(cast, ilo, who):
    with pytest.raises(PermissionDenied):
        make_screening(getattr(cast, who))
    assert nothing_written(ilo)


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"indicators": ["al.dr.nope"]}, "indicators", '"al.dr.nope"'),
        ({"indicators": ["cl.dr.wages"]}, "indicators", '"cl.dr.wages" is on the child labour exploitation list'),
        ({"indicators": ["al.dr.wages", "al.dr.wages"]}, "indicators", "more than once"),
        ({"age": -3}, "age", "not -3"),
        ({"interviewed_on": timezone.localdate() + dt.timedelta(days=1)}, "interviewed_on", "future"),
        ({"place": "moscow"}, "place", "moscow"),
        ({"language": "Kyrgyz language"}, "language", "language code"),
        ({"notes": {"al.ex.bad_living": "x"}}, "notes", '"al.ex.bad_living"'),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(cast, ilo, fields, field, text):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        make_screening(cast.case_worker_a, **fields)
    assert field in raised.value.message_dict
    assert text in " ".join(raised.value.message_dict[field])
    assert nothing_written(ilo)


def test_a_correction_links_to_the_screening_it_corrects(cast, ilo):
    first = make_screening(cast.case_worker_a, indicators=["al.dr.wages"])
    correction = make_screening(cast.case_worker_a, corrects=first)
    assert correction.corrects == first
    assert list(first.corrections.all()) == [correction]
    event = AuditEvent.objects.filter(action="screening.create").latest("id")
    assert event.details["corrects"] == first.reference


def test_a_correction_cannot_point_into_another_organisation(cast, ilo):
    theirs = make_screening(cast.case_worker_b)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        make_screening(cast.case_worker_a, corrects=theirs)
    assert raised.value.message_dict == {"corrects": ["There is no such screening."]}
    assert Screening.objects.count() == 1


def test_a_child_of_unknown_age_is_screened_on_the_child_list(cast, ilo):
    screening = make_screening(
        cast.case_worker_a,
        age=None,
        possible_minor=True,
        indicators=["cl.ex.excessive_hours", "cl.ex.hazardous_work"],
    )
    assert (screening.list, screening.outcome, screening.age) == ("child_labour", "trafficking_indicated", None)


def test_a_screening_against_a_frozen_version_uses_its_cached_form(cast, ilo):
    make_screening(cast.case_worker_a)  # freezes the version
    make_screening(cast.case_worker_a)  # compiles the frozen version once
    ilo.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        make_screening(cast.case_worker_a, catalogue=ilo)
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "screening_indicator"' in q["sql"]]
    assert len(reads) == 1  # only the answers' indicator ids, not the catalogue's rows
    assert reads[0].startswith('SELECT "screening_indicator"."code" AS "code", "screening_indicator"."id" AS "pk"')
