from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ctip.audit.models import AuditEvent
from ctip.crypto.keyring import new_key
from ctip.testapp.models import Specimen
from ctip.testing import OrganisationFactory


def key_ids() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, birth_date FROM testapp_specimen ORDER BY id")
        return sorted({v.split("$")[1] for row in cursor.fetchall() for v in row if v})


@pytest.mark.django_db
def test_rotation_moves_every_value_to_the_newest_key_and_can_be_rerun(ring):
    old, new = new_key(), new_key()
    ring(("k1", old))
    org = OrganisationFactory()
    for n in range(7):
        Specimen.objects.create(organisation=org, code=f"P{n}", name=f"Person {n}", birth_date="2001-02-03")
    assert key_ids() == ["k1"]
    ring(("k1", old), ("k2", new))
    err = StringIO()
    out = StringIO()
    call_command("rotate_keys", batch_size=3, stdout=out, stderr=err)
    assert key_ids() == ["k2"]
    assert "7 rows scanned, 7 re-encrypted" in out.getvalue()
    assert "testapp.Specimen: 3 rows scanned" in err.getvalue()  # progress per batch
    assert [s.name for s in Specimen.objects.order_by("id")] == [f"Person {n}" for n in range(7)]
    again = StringIO()
    call_command("rotate_keys", stdout=again, stderr=StringIO())
    assert "0 re-encrypted" in again.getvalue()
    ring(("k2", new))  # the old key can now leave the ring
    assert Specimen.objects.get(code="P3").name == "Person 3"
    assert AuditEvent.objects.filter(action="crypto.rotate_keys").count() == 2


@pytest.mark.django_db
def test_rotation_stops_cleanly_when_an_old_key_is_missing(ring):
    ring(("k1", new_key()))
    Specimen.objects.create(organisation=OrganisationFactory(), code="P", name="Person")
    ring(("k2", new_key()))
    with pytest.raises(CommandError, match="Is every old key still in the ring"):
        call_command("rotate_keys", stdout=StringIO(), stderr=StringIO())
    assert key_ids() == ["k1"]
