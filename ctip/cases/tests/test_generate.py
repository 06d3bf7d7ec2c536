"""The synthetic-data generator behind the scale benchmark (``ctip cases-generate``)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from ctip.cases import vocab
from ctip.cases.generate import generate
from ctip.cases.models import (
    CaseCounter,
    CaseExploitation,
    Consent,
    Person,
    Referral,
    ReferralService,
    StatusChange,
    VictimCase,
)
from ctip.cases.services.cases import next_case_code
from ctip.conftest import client_for
from ctip.crypto.fields import blind_index, normalize_document
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def run(*args: str) -> str:
    out = StringIO()
    call_command("cases_generate", *args, stdout=out)
    return out.getvalue()


def nothing_written() -> bool:
    return not (Organisation.objects.exists() or VictimCase.objects.exists() or Person.objects.exists())


def test_it_creates_what_it_says_with_progress_after_every_chunk():
    out = run("--cases", "230", "--organisations", "3", "--seed", "5", "--chunk", "100")

    assert re.findall(r"^\s+([\d,]+) / 230 cases", out, flags=re.M) == ["100", "200", "230"]
    assert "Created 3 organisations" in out
    orgs = Organisation.objects.filter(code__startswith="gen-")
    assert sorted(orgs.values_list("code", flat=True)) == ["gen-0001", "gen-0002", "gen-0003"]
    for org in orgs:
        (worker,) = Membership.objects.filter(organisation=org)
        assert worker.has_role(Role.CASE_WORKER)
    assert VictimCase.objects.count() == Person.objects.count() == 230
    assert set(VictimCase.objects.values_list("owner", flat=True)) == set(orgs.values_list("pk", flat=True))
    assert VictimCase.objects.filter(case_worker__organisation_id=F("owner_id")).count() == 230
    assert VictimCase.objects.values("code").distinct().count() == 230
    assert all(re.fullmatch(r"KG-20\d\d-\d{5}", code) for code in VictimCase.objects.values_list("code", flat=True))
    assert set(VictimCase.objects.values_list("status", flat=True)) == set(vocab.NrmStatus.values)
    years = {case.created_at.year for case in VictimCase.objects.only("created_at")}
    assert len(years) >= 5  # spread over the default eight years
    assert CaseExploitation.objects.values("case").distinct().count() == 230


def test_status_history_climbs_the_ladder_to_each_cases_status():
    generate(cases=150, organisations=2, seed=1, now=NOW, chunk=40)

    for case in VictimCase.objects.prefetch_related("status_history"):
        steps = [(s.from_status, s.to_status) for s in case.status_history.all()]
        assert steps[0] == ("", vocab.NrmStatus.POTENTIAL)
        assert steps[-1][1] == case.status
        assert (case.presumed_on is None) == (case.status == vocab.NrmStatus.POTENTIAL)
        if case.presumed_on:
            assert case.reflection_ends_on == case.presumed_on + dt.timedelta(days=30)
        times = [s.at for s in case.status_history.all()]
        assert times == sorted(times)
        assert times[0] == case.created_at
        assert case.created_at <= NOW
        if case.is_child:
            assert case.child_protection_notified_at is not None  # a child's case needs the notice first


def test_referrals_go_to_another_generated_organisation_with_consent_to_it():
    generate(cases=600, organisations=4, seed=2, now=NOW)

    referrals = list(Referral.objects.select_related("consent", "case"))
    assert referrals, "about one case in twenty is referred"
    for referral in referrals:
        assert referral.from_organisation_id == referral.case.owner_id != referral.to_organisation_id
        assert referral.consent.purpose == vocab.ConsentPurpose.REFERRAL
        assert referral.consent.organisation_id == referral.to_organisation_id
        assert referral.consent.case_id == referral.case_id
    assert ReferralService.objects.filter(referral__in=referrals).exists()
    assert Consent.objects.count() == len(referrals)


def test_the_identity_is_stored_encrypted_and_found_by_its_blind_index():
    generate(cases=20, organisations=1, seed=3, now=NOW)
    person = Person.objects.order_by("pk").first()
    assert person is not None
    assert re.fullmatch(r"[А-Яа-яӨөҮүҢң]+ [А-Яа-яӨөҮүҢң]+", person.name_original)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_original, name_latin, document_number, phone, address, birth_date, citizenships"
            " FROM cases_person WHERE id = %s",
            [person.pk],
        )
        stored = cursor.fetchone()
    assert all(value is None or value.startswith("ctip1$") for value in stored)
    assert person.name_original not in " ".join(v for v in stored if v)
    digest = blind_index(person.document_number, purpose="cases.person.document_number", normalizer=normalize_document)
    assert list(Person.objects.filter(document_bidx=digest)) == [person]
    assert {change.reason for change in StatusChange.objects.all()} == {""}  # encrypted too, and decrypts


def test_the_same_seed_gives_the_same_cases_and_the_numbering_continues():
    def content(prefix: str) -> list[tuple[object, ...]]:
        rows = VictimCase.objects.filter(owner__code__startswith=f"{prefix}-").select_related("person", "owner")
        return [
            (c.owner.code[len(prefix) :], c.status, c.region, c.created_at, c.person.name_original, c.person.phone)
            for c in rows.order_by("created_at", "id")
        ]

    generate(cases=60, organisations=2, seed=9, now=NOW, prefix="one")
    generate(cases=60, organisations=2, seed=9, now=NOW, prefix="two")
    generate(cases=60, organisations=2, seed=10, now=NOW, prefix="three")

    assert content("one") == content("two") != content("three")
    assert VictimCase.objects.values("code").distinct().count() == 180
    # The counter knows about every generated number: the next case opened through the services follows them.
    for counter in CaseCounter.objects.all():
        numbers = [
            int(c.rsplit("-", 1)[1])
            for c in VictimCase.objects.filter(code__contains=f"-{counter.year}-").values_list("code", flat=True)
        ]
        assert counter.last == max(numbers) == len(numbers)
    year = CaseCounter.objects.order_by("-year").first().year
    assert next_case_code(dt.date(year, 7, 1)).endswith(f"-{year}-{CaseCounter.objects.get(year=year).last:05d}")


def test_the_list_page_of_a_generated_organisation_shows_fifty_codes_and_no_names():
    generate(cases=130, organisations=2, seed=4, now=NOW)
    worker = Membership.objects.get(organisation__code="gen-0001")
    own = VictimCase.objects.filter(owner=worker.organisation).select_related("person")

    response = client_for(worker).get(reverse("cases:list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'href="/cases/\d+/"', page)) == 50
    newest = own.order_by("-created_at", "-id").first()
    assert newest is not None
    assert newest.code in page
    assert not any(case.person.name_original in page or case.person.name_latin in page for case in own)
    assert not VictimCase.objects.exclude(owner=worker.organisation).filter(code__in=re.findall(r"KG-\d+-\d+", page))


def test_it_refuses_the_production_profile_unless_forced():
    with override_settings(PROFILE="production"), pytest.raises(CommandError, match="--force"):
        run("--cases", "5", "--organisations", "1")
    assert nothing_written()

    with override_settings(PROFILE="production"):
        out = run("--cases", "5", "--organisations", "1", "--force")
    assert "Created 1 organisations" in out
    assert VictimCase.objects.count() == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cases", "-1", "--organisations", "2"], "--cases must be 0 or more"),
        (["--cases", "5", "--organisations", "0"], "--organisations must be 1 or more"),
        (["--cases", "5", "--organisations", "1", "--years", "0"], "--years must be between 1 and 50"),
        (["--cases", "5", "--organisations", "1", "--prefix", "no space"], "--prefix must be"),
        (["--cases", "5", "--organisations", "1", "--chunk", "0"], "--chunk must be 1 or more"),
    ],
)
def test_bad_arguments_are_refused_saying_which_and_nothing_is_written(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert nothing_written()


def test_a_prefix_already_in_use_is_refused_and_nothing_more_is_written():
    generate(cases=10, organisations=2, seed=1, now=NOW)
    before = (Organisation.objects.count(), VictimCase.objects.count(), CaseCounter.objects.values_list("last"))
    counters = list(before[2])

    with pytest.raises(ValidationError) as caught:
        generate(cases=10, organisations=3, seed=1, now=NOW)

    assert "gen-0001, gen-0002 already exist" in str(caught.value)
    assert (Organisation.objects.count(), VictimCase.objects.count()) == before[:2]
    assert list(CaseCounter.objects.values_list("last")) == counters
