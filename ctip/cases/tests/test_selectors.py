"""Case lists (filters, constant queries, nothing decrypted) and deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctip.cases import selectors, services
from ctip.cases.models import VictimCase
from ctip.cases.selectors import CaseFilters
from ctip.cases.tests.factories import make_case, presumed_case
from ctip.crypto.fields import EncryptedMixin

pytestmark = pytest.mark.django_db


def codes(rows) -> list[str]:
    return [row.code for row in rows]


def test_the_list_filters_by_status_exploitation_region_and_deadline(cast):
    potential = make_case(cast.case_worker_a)
    labour = presumed_case(cast.case_worker_a)
    services.case_update(actor=cast.case_worker_a, case=labour, changes={"exploitation": ["ForcedLabour"]})
    begging = presumed_case(cast.case_worker_a)
    services.case_update(
        actor=cast.case_worker_a, case=begging, changes={"exploitation": ["ForcedBegging"], "region": "naryn"}
    )
    make_case(cast.case_worker_b)
    actor = cast.case_worker_a
    assert codes(selectors.cases_of_organisation(actor)) == [begging.code, labour.code, potential.code]
    assert codes(selectors.cases_of_organisation(actor, CaseFilters(status="presumed"))) == [begging.code, labour.code]
    assert codes(selectors.cases_of_organisation(actor, CaseFilters(exploitation="ForcedLabour"))) == [labour.code]
    assert codes(selectors.cases_of_organisation(actor, CaseFilters(region="naryn"))) == [begging.code]
    soon = timezone.localdate() + dt.timedelta(days=30)
    assert codes(selectors.cases_of_organisation(actor, CaseFilters(deadline_before=soon))) == [
        begging.code,
        labour.code,
    ]
    with pytest.raises(ValidationError) as error:
        list(selectors.cases_of_organisation(actor, CaseFilters(status="victim")))
    assert list(error.value.message_dict) == ["status"]


def test_a_page_of_the_list_costs_one_query_and_decrypts_nothing(cast):
    for _ in range(3):
        make_case(cast.case_worker_a)
    with CaptureQueriesContext(connection) as few:
        small = list(selectors.cases_of_organisation(cast.case_worker_a)[:50])
    for _ in range(7):
        make_case(cast.case_worker_a)
    with CaptureQueriesContext(connection) as more:
        large = list(selectors.cases_of_organisation(cast.case_worker_a)[:50])
    assert (len(small), len(large)) == (3, 10)
    assert len(few) == len(more) == 1
    with CaptureQueriesContext(connection) as filtered:
        list(selectors.cases_of_organisation(cast.case_worker_a, CaseFilters(exploitation="ForcedLabour"))[:50])
    assert len(filtered) == 1
    encrypted = {f.column for f in VictimCase._meta.concrete_fields if isinstance(f, EncryptedMixin)}
    selected = more.captured_queries[0]["sql"]
    assert not any(f'"{column}"' in selected for column in encrypted)
    assert "cases_person" not in selected


def test_a_case_worker_s_deadlines_are_theirs_overdue_and_upcoming(cast, settings):
    settings.CTIP_REFLECTION_DAYS = 30
    settings.CTIP_SHELTER_DAYS = 10
    today = timezone.localdate()
    case = make_case(cast.case_worker_a)
    services.case_mark_presumed(actor=cast.case_worker_a, case=case, reason="grounds", on=today - dt.timedelta(days=29))
    services.shelter_stay_start(actor=cast.case_worker_a, case=case, started_on=today - dt.timedelta(days=12))
    far = make_case(cast.case_worker_a)
    services.case_mark_presumed(actor=cast.case_worker_a, case=far, reason="grounds")
    presumed_case(cast.case_worker_b)
    found = selectors.deadlines_for_case_worker(cast.case_worker_a, days=3)
    assert [(d.code, d.kind, d.due) for d in found] == [
        (case.code, "shelter", today - dt.timedelta(days=2)),
        (case.code, "reflection", today + dt.timedelta(days=1)),
    ]
    assert [d.code for d in selectors.deadlines_for_case_worker(cast.case_worker_a, days=30)][-1] == far.code
    assert selectors.deadlines_for_case_worker(cast.case_worker_b, days=3) == []


def test_the_reminder_command_mails_each_case_worker_their_codes_only(cast, settings):
    settings.CTIP_REFLECTION_DAYS = 2
    case = presumed_case(cast.case_worker_a)
    presumed_case(cast.case_worker_b)
    settings.CTIP_REFLECTION_DAYS = 20
    presumed_case(cast.case_worker_a)  # not due within the window
    call_command("case_reminders", "--days", "3")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.case_worker_a.user.email, cast.case_worker_b.user.email]
    )
    to_a = next(m for m in mail.outbox if m.to == [cast.case_worker_a.user.email])
    assert case.code in to_a.body
    assert "Айгүл" not in to_a.body
    assert to_a.body.count("KG-") == 1
    mail.outbox.clear()
    call_command("case_reminders", "--days", "3")  # the same day again, or the next: each deadline once
    assert mail.outbox == []
