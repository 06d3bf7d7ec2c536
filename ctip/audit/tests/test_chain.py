from __future__ import annotations

import datetime as dt
import hashlib
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ctip.audit import chain
from ctip.audit.integrity import chain_verify
from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record
from ctip.audit.tests.conftest import postgres_only
from ctip.core import request_context
from ctip.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _recomputed(event: AuditEvent) -> str:
    stored = AuditEvent.objects.get(pk=event.pk)
    return chain.row_hash(stored.prev_hash, chain.values_of(stored))


def test_the_first_event_chains_from_the_genesis_value(db):
    event = audit_record(action="system.start")
    assert event.prev_hash == chain.GENESIS == "0" * 64
    assert len(event.row_hash) == 64
    assert event.row_hash == _recomputed(event)


def test_each_event_chains_from_the_one_before_it(trail):
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in trail]
    assert [e.prev_hash for e in stored] == [chain.GENESIS] + [e.row_hash for e in stored[:-1]]
    assert [e.row_hash for e in stored] == [e.row_hash for e in trail]
    assert [e.pk for e in stored] == list(range(trail[0].pk, trail[0].pk + 5))


def test_the_row_hash_is_sha256_over_the_previous_hash_and_the_canonical_content():
    at = dt.datetime(2026, 3, 1, 9, 30, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    row = {
        "id": 7,
        "at": at,
        "actor_id": 3,
        "organisation_id": None,
        "action": "case.view",
        "object_type": "cases.case",
        "object_id": "12",
        "reason": "Проверка",
        "details": {"b": [1, {"z": True, "a": None}], "a": "x"},
        "request_id": "req-1",
        "ip": "2001:0DB8::0001",
        "user_agent": "UA",
    }
    expected = (
        '{"action":"case.view","actor_id":3,"at":"2026-03-01T03:30:00.000005+00:00",'
        '"details":{"a":"x","b":[1,{"a":null,"z":true}]},"id":7,"ip":"2001:db8::1","object_id":"12",'
        '"object_type":"cases.case","organisation_id":null,"reason":"Проверка","request_id":"req-1","user_agent":"UA"}'
    )
    assert chain.serialise(row) == expected.encode("utf-8")
    assert chain.row_hash("ab" * 32, row) == hashlib.sha256(("ab" * 32 + expected).encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 8),
        ("at", dt.datetime(2026, 3, 1, 3, 30, 0, 6, tzinfo=dt.UTC)),
        ("actor_id", 4),
        ("organisation_id", 1),
        ("action", "case.edit"),
        ("object_type", "cases.person"),
        ("object_id", "13"),
        ("reason", "other"),
        ("details", {"a": "y"}),
        ("request_id", "req-2"),
        ("ip", "10.0.0.1"),
        ("user_agent", "UA2"),
    ],
)
def test_the_hash_covers_every_column(field, value):
    row = {
        "id": 7,
        "at": dt.datetime(2026, 3, 1, 3, 30, 0, 5, tzinfo=dt.UTC),
        "actor_id": 3,
        "organisation_id": None,
        "action": "case.view",
        "object_type": "cases.case",
        "object_id": "12",
        "reason": "",
        "details": {"a": "x"},
        "request_id": "req-1",
        "ip": None,
        "user_agent": "UA",
    }
    assert chain.row_hash(chain.GENESIS, row) != chain.row_hash(chain.GENESIS, {**row, field: value})


def test_the_hash_of_a_stored_row_survives_the_round_trip_through_the_database(cast):
    meta = request_context.RequestMeta(
        request_id="0123456789abcdef", ip="2001:0DB8:0000:0000:0000:0000:0000:0001", user_agent="Mozilla/5.0 (ü)"
    )
    token = request_context.bind(meta)
    try:
        event = audit_record(
            action="membership.set_roles",
            actor=cast.admin_a.user,
            organisation=cast.org_a,
            obj=cast.viewer_a,
            reason="Ошибка в ролях\r\nисправлена",
            details={"after": [Role.ANALYST, "viewer"], "я": {"n": 2**40, "ok": False, "none": None}},
        )
    finally:
        request_context.unbind(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip == "2001:db8::1"
    assert stored.details == {"after": ["analyst", "viewer"], "я": {"n": 2**40, "ok": False, "none": None}}
    assert stored.at == event.at
    assert event.row_hash == _recomputed(event)
    assert chain_verify().ok


def test_time_never_goes_back_along_the_chain(db, monkeypatch):
    ahead = timezone.now() + dt.timedelta(minutes=5)  # this server's clock runs behind the one that wrote first
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: ahead)
        first = audit_record(action="first")
    second = audit_record(action="second")
    assert AuditEvent.objects.get(pk=second.pk).at == ahead == first.at


def test_audit_record_joins_the_callers_transaction(db):
    def fail_after_auditing() -> None:
        with transaction.atomic():
            audit_record(action="rolled.back")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_after_auditing()
    event = audit_record(action="kept")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["kept"]
    assert event.prev_hash == chain.GENESIS


def test_details_are_stored_as_plain_json(db):
    event = audit_record(action="x", details={"roles": [Role.CASE_WORKER], "n": 3, "ok": True, "none": None})
    assert event.details == {"roles": ["case_worker"], "n": 3, "ok": True, "none": None}
    assert type(event.details["roles"][0]) is str
    assert AuditEvent.objects.get(pk=event.pk).details == event.details


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"score": 0.5}, r"details\['score'\] is a float"),
        ({"at": dt.date(2026, 1, 1)}, r"details\['at'\] is a date"),
        ({"amount": Decimal("1.5")}, r"details\['amount'\] is a Decimal"),
        ({"raw": b"x"}, r"details\['raw'\] is a bytes"),
        ({"ids": (1, 2)}, r"details\['ids'\] is a tuple"),
        ({"ids": {1, 2}}, r"details\['ids'\] is a set"),
        ({"label": gettext_lazy("Members")}, r"details\['label'\] is a __proxy__"),
        ({"nested": {"deep": [1, object()]}}, r"details\['nested'\]\['deep'\]\[1\] is a object"),
        ({1: "x"}, r"details: keys must be strings, not int"),
        ({"name": "a\x00b"}, r"details\['name'\] contains a NUL character"),
        (["not", "a", "dict"], r"details must be a dict, not list"),
    ],
)
def test_details_that_are_not_plain_json_are_refused_and_nothing_is_written(cast, details, message):
    with pytest.raises(TypeError, match=message):
        audit_record(action="x", details=details)
    assert AuditEvent.objects.count() == 0


def test_a_model_instance_in_details_is_refused(cast):
    with pytest.raises(TypeError, match=r"details\['user'\] is a User"):
        audit_record(action="x", details={"user": cast.viewer_a.user})
    assert AuditEvent.objects.count() == 0


def test_events_written_around_audit_record_cannot_fork_the_chain(db):
    first = audit_record(action="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(action="forged", prev_hash=first.prev_hash, row_hash="f" * 64)
    assert AuditEvent.objects.count() == 1


# --- PostgreSQL: the database itself refuses changes -----------------------------------------------------------


@postgres_only
def test_postgres_refuses_to_update_an_event(trail):
    refused = "the audit trail is append-only: UPDATE on audit_auditevent refused"
    with pytest.raises(ProgrammingError, match=refused), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[2].pk).update(reason="changed")
    assert AuditEvent.objects.get(pk=trail[2].pk).reason == ""


@postgres_only
def test_postgres_refuses_to_delete_an_event(trail):
    refused = "the audit trail is append-only: DELETE on audit_auditevent refused"
    with pytest.raises(ProgrammingError, match=refused), transaction.atomic():
        AuditEvent.objects.filter(pk=trail[2].pk).delete()
    assert AuditEvent.objects.count() == 5


@postgres_only
def test_postgres_refuses_truncate_to_everyone_but_a_superuser(trail):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses a table with pending FK checks
        cursor.execute("CREATE ROLE ctip_audit_test_owner NOLOGIN")
        cursor.execute("GRANT TRUNCATE ON audit_auditevent TO ctip_audit_test_owner")
        cursor.execute("SET LOCAL ROLE ctip_audit_test_owner")
        refused = "the audit trail is append-only: TRUNCATE on audit_auditevent refused"
        with pytest.raises(ProgrammingError, match=refused), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 5
    # The test runner empties the database with TRUNCATE as the cluster's superuser, who could disable the
    # trigger anyway.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_keep_one_unbroken_chain():
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for n in range(10):
                with transaction.atomic():
                    audit_record(action="concurrent", details={"worker": worker, "n": n})
        except Exception as error:  # whatever it is, the main thread reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = chain_verify()
    assert (report.ok, report.checked) == (True, 60)
    assert AuditEvent.objects.values("prev_hash").distinct().count() == 60
