from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from ctip.crypto.cipher import DecryptionError
from ctip.crypto.fields import normalize_phone
from ctip.crypto.keyring import keyring, new_key
from ctip.testapp.models import Specimen
from ctip.testing import OrganisationFactory


def raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM testapp_specimen WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE testapp_specimen SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def specimen(db):
    return Specimen.objects.create(
        organisation=OrganisationFactory(),
        code="P-0001",
        name="Айгүл Токтогулова",
        birth_date=dt.date(1999, 4, 15),
        extra={"aliases": ["Aigul T."], "phone": "+996 555 12-34-56"},
        document="AN 1234567",
    )


def test_values_round_trip_and_are_sealed_in_the_database(specimen):
    fresh = Specimen.objects.get(pk=specimen.pk)
    assert fresh.name == "Айгүл Токтогулова"
    assert fresh.birth_date == dt.date(1999, 4, 15)
    assert fresh.extra == {"aliases": ["Aigul T."], "phone": "+996 555 12-34-56"}
    for column in ("name", "birth_date", "extra", "document"):
        stored = raw(specimen.pk, column)
        assert stored.startswith(f"ctip1${keyring().current_id}$")
    assert "1999" not in raw(specimen.pk, "birth_date")
    assert "Aigul" not in raw(specimen.pk, "extra")


def test_the_same_value_encrypts_differently_each_time(specimen):
    other = Specimen.objects.create(organisation=specimen.organisation, code="P-2", name="Айгүл Токтогулова")
    assert raw(specimen.pk, "name") != raw(other.pk, "name")


def test_nulls_stay_null(db):
    s = Specimen.objects.create(organisation=OrganisationFactory(), code="x", name="n")
    assert raw(s.pk, "birth_date") is None
    assert Specimen.objects.filter(birth_date__isnull=True).count() == 1


def test_encrypted_columns_cannot_be_searched(specimen):
    with pytest.raises(FieldError):
        list(Specimen.objects.filter(name="Айгүл Токтогулова"))
    with pytest.raises(FieldError):
        list(Specimen.objects.filter(name__icontains="Айгүл"))


def test_a_blind_index_finds_exact_matches_however_typed(specimen):
    for typed in ["AN 1234567", "an1234567", "AN-1234567"]:
        digest = Specimen._meta.get_field("document_bidx").compute(typed)
        assert list(Specimen.objects.filter(document_bidx=digest)) == [specimen]
    assert raw(specimen.pk, "document_bidx") != "AN1234567"
    assert len(raw(specimen.pk, "document_bidx")) == 64
    assert normalize_phone("+996 (555) 12-34-56") == "996555123456"


def test_a_tampered_value_raises_instead_of_returning_anything(specimen):
    stored = raw(specimen.pk, "name")
    body = stored.rsplit("$", 1)
    flipped = body[1][:-4] + ("AAAA" if body[1][-4:] != "AAAA" else "BBBB")
    write_raw(specimen.pk, "name", f"{body[0]}${flipped}")
    with pytest.raises(DecryptionError):
        Specimen.objects.get(pk=specimen.pk)


def test_a_value_moved_to_another_column_does_not_decrypt(specimen):
    write_raw(specimen.pk, "document", raw(specimen.pk, "name"))
    with pytest.raises(DecryptionError, match=r"testapp\.specimen\.document"):
        Specimen.objects.get(pk=specimen.pk)


def test_a_value_under_an_unknown_key_raises(specimen, ring):
    ring(("other", new_key()))
    with pytest.raises(DecryptionError, match="not in the key ring"):
        Specimen.objects.get(pk=specimen.pk)


def test_plaintext_in_an_encrypted_column_raises(specimen):
    write_raw(specimen.pk, "name", "Айгүл Токтогулова")
    with pytest.raises(DecryptionError):
        Specimen.objects.get(pk=specimen.pk)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("k1", "id:base64key"),
        ("k1:c2hvcnQ", "32 bytes"),
        ("k1:!!!", "not valid base64"),
        ("k 1:" + "A" * 43, "key id"),
        ("k1:{0},k1:{0}", "appears twice"),
    ],
)
def test_a_bad_key_ring_is_refused_with_a_clear_message(ring, monkeypatch, keys, message):
    key = new_key()
    monkeypatch.setenv("CTIP_ENCRYPTION_KEYS", keys.format(key))
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", new_key())
    keyring.cache_clear()
    with pytest.raises(ImproperlyConfigured, match=message):
        keyring()


def test_the_blind_index_key_must_differ_from_the_data_keys(monkeypatch):
    key = new_key()
    monkeypatch.setenv("CTIP_ENCRYPTION_KEYS", f"k1:{key}")
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", key)
    keyring.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="must differ"):
            keyring()
    finally:
        monkeypatch.undo()
        keyring.cache_clear()
