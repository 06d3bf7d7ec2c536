"""Identity at rest: the database holds ciphertext only, and exact look-up works through blind indexes."""

from __future__ import annotations

import pytest
from django.db import connection

from ctip.cases.models import Person
from ctip.cases.tests.factories import make_case
from ctip.crypto.fields import blind_index, normalize_document, normalize_phone

pytestmark = pytest.mark.django_db

PLAINTEXTS = ("Айгүл", "Aigul", "1998-04-02", "1234567", "(555)", "Ленин", '"KG"', '"ky"', "Мамасы")


def raw_rows(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a fixed table name)
        return [str(value) for row in cursor.fetchall() for value in row]


def test_raw_sql_shows_no_identity_in_the_clear(cast):
    from ctip.cases.tests.factories import child_case

    make_case(cast.case_worker_a)
    child_case(cast.case_worker_a)
    stored = raw_rows("cases_person") + raw_rows("cases_victimcase")
    for plaintext in PLAINTEXTS:
        assert not any(plaintext in value for value in stored), plaintext


def test_document_and_phone_numbers_are_found_by_blind_index_however_typed(cast):
    case = make_case(cast.case_worker_a)
    by_document = blind_index("ac-1234567", purpose="cases.person.document_number", normalizer=normalize_document)
    by_phone = blind_index("996555123456", purpose="cases.person.phone", normalizer=normalize_phone)
    assert list(Person.objects.filter(document_bidx=by_document)) == [case.person]
    assert list(Person.objects.filter(phone_bidx=by_phone)) == [case.person]
    assert case.person.document_bidx not in ("AC1234567", "ac 1234567")
