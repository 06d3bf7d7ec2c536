"""`ctip audit verify` on an intact trail, and after a row is changed, deleted or slipped in (on both databases)."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from ctip import cli
from ctip.audit import chain
from ctip.audit.models import AuditEvent
from ctip.audit.tests.conftest import as_dba

pytestmark = pytest.mark.django_db


def verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def broken(*args: str) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    assert error.value.returncode == 1
    return str(error.value)


def forge(*, pk: int, prev_hash: str, at: dt.datetime, action: str = "auth.login") -> AuditEvent:
    """Insert a row that hashes correctly by itself, bypassing audit_record, as an attacker would."""
    event = AuditEvent(id=pk, at=at, action=action, prev_hash=prev_hash)
    event.row_hash = chain.row_hash(prev_hash, chain.values_of(event))
    event.save(force_insert=True)
    return event


def test_an_intact_trail_is_ok_and_its_last_hash_is_printed(trail):
    out, err = verify()
    assert out == f"audit chain OK: 5 events\nlast event: {trail[4].pk}:{trail[4].row_hash}\n"
    assert err == ""


def test_an_empty_trail_is_ok(db):
    assert verify() == ("audit chain OK: 0 events\n", "")


def test_progress_goes_to_stderr_every_n_events_while_reading_in_batches(trail):
    out, err = verify("--batch-size", "2", "--progress-every", "2")
    assert out.startswith("audit chain OK: 5 events\n")
    assert err == (f"  2 events checked (up to #{trail[1].pk})\n  4 events checked (up to #{trail[3].pk})\n")


def test_changed_content_is_found_at_the_changed_row(trail, update_event):
    update_event(trail[2], reason="nothing happened")
    assert broken("--batch-size", "2") == (
        f"audit chain BROKEN at event #{trail[2].pk}: content changed: the row hash does not match the row's content "
        "(2 events checked and intact)"
    )


@pytest.mark.parametrize(
    "columns",
    [
        {"action": "auth.logout"},
        {"details": {"method": "token"}},
        {"actor_id": None},
        {"at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC)},
        {"ip": "10.0.0.9"},
    ],
)
def test_any_changed_column_is_found(trail, update_event, columns):
    update_event(trail[2], **columns)
    assert broken().startswith(f"audit chain BROKEN at event #{trail[2].pk}: content changed:")


def test_a_deleted_row_is_found_at_the_row_after_it(trail):
    with as_dba():
        AuditEvent.objects.filter(pk=trail[2].pk).delete()
    assert broken() == (
        f"audit chain BROKEN at event #{trail[3].pk}: a row was deleted before it: prev_hash does not match the row "
        f"hash of event #{trail[1].pk}, and id #{trail[2].pk} is missing (2 events checked and intact)"
    )


def test_several_deleted_rows_are_named(trail):
    with as_dba():
        AuditEvent.objects.filter(pk__in=[trail[1].pk, trail[2].pk]).delete()
    assert broken() == (
        f"audit chain BROKEN at event #{trail[3].pk}: a row was deleted before it: prev_hash does not match the row "
        f"hash of event #{trail[0].pk}, and ids #{trail[1].pk}..#{trail[2].pk} are missing (1 events checked and intact)"
    )


def test_deleting_the_first_rows_is_found(trail):
    with as_dba():
        AuditEvent.objects.filter(pk=trail[0].pk).delete()
    # PostgreSQL's sequence does not restart between tests, so the first event's id is not always 1.
    missing = "id #1 is" if trail[0].pk == 1 else f"ids #1..#{trail[0].pk} are"
    assert broken() == (
        f"audit chain BROKEN at event #{trail[1].pk}: a row was deleted before it: prev_hash does not match the "
        f"genesis value, and {missing} missing (0 events checked and intact)"
    )


def test_a_forged_row_appended_at_the_end_is_found(trail):
    forged = forge(pk=trail[4].pk + 1, prev_hash="ab" * 32, at=trail[4].at)
    assert broken() == (
        f"audit chain BROKEN at event #{forged.pk}: inserted out of order or forged: prev_hash does not match the "
        f"row hash of event #{trail[4].pk} (5 events checked and intact)"
    )


def test_a_row_slipped_in_place_of_a_deleted_one_is_found_at_the_row_after_it(trail):
    with as_dba():
        AuditEvent.objects.filter(pk=trail[2].pk).delete()
    forge(pk=trail[2].pk, prev_hash=trail[1].row_hash, at=trail[2].at, action="auth.logout")
    assert broken() == (
        f"audit chain BROKEN at event #{trail[3].pk}: inserted out of order or forged: prev_hash does not match the "
        f"row hash of event #{trail[2].pk} (3 events checked and intact)"
    )


def test_a_backdated_row_is_found_even_when_it_links_correctly(trail):
    backdated = forge(pk=trail[4].pk + 1, prev_hash=trail[4].row_hash, at=trail[0].at - dt.timedelta(seconds=1))
    assert broken() == (
        f"audit chain BROKEN at event #{backdated.pk}: inserted out of order or forged: its time "
        f"{chain.canonical_at(backdated.at)} is before {chain.canonical_at(trail[4].at)}, the time of event "
        f"#{trail[4].pk} (5 events checked and intact)"
    )


def test_a_rewritten_tail_holds_together_but_not_against_a_recorded_anchor(trail):
    last = trail[4]
    with as_dba():
        AuditEvent.objects.filter(pk=last.pk).delete()
    rewritten = forge(pk=last.pk, prev_hash=last.prev_hash, at=last.at, action="auth.login")
    assert verify()[0].startswith("audit chain OK: 5 events\n")
    assert broken("--anchor", f"{last.pk}:{last.row_hash}") == (
        f"audit chain BROKEN at event #{last.pk}: rewritten: its row hash is {rewritten.row_hash}, not "
        f"{last.row_hash} as recorded, though the chain holds together (4 events checked and intact)"
    )


def test_a_trail_cut_short_is_found_only_with_an_anchor(trail):
    with as_dba():
        AuditEvent.objects.filter(pk__in=[trail[3].pk, trail[4].pk]).delete()
    assert verify()[0].startswith("audit chain OK: 3 events\n")
    assert broken(
        "--anchor", f"{trail[4].pk}:{trail[4].row_hash}", "--anchor", f"{trail[1].pk}:{trail[1].row_hash}"
    ) == (
        f"audit chain BROKEN at event #{trail[4].pk}: this anchored event is missing: it was deleted, or the trail "
        "was cut short before it (3 events checked and intact)"
    )


def test_an_anchor_that_matches_passes(trail):
    out, _ = verify("--anchor", f"{trail[2].pk}:{trail[2].row_hash}")
    assert out.startswith("audit chain OK: 5 events\n")


@pytest.mark.parametrize("bad", ["12", "x:" + "a" * 64, "3:" + "a" * 63, "3:" + "g" * 64])
def test_a_malformed_anchor_is_refused(db, bad):
    with pytest.raises(CommandError, match="is not ID:HASH"):
        verify("--anchor", bad)


def test_the_ctip_command_line_exits_0_or_1(trail, update_event, capsys, monkeypatch):
    # A command run from the command line closes its connections at the end, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.main(["ctip", "audit", "verify"])
    assert capsys.readouterr().out.startswith("audit chain OK: 5 events\n")
    update_event(trail[0], object_id="999")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ctip", "audit", "verify"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        f"CommandError: audit chain BROKEN at event #{trail[0].pk}: content changed: the row hash does not match the "
        "row's content (0 events checked and intact)\n"
    )


def test_events_written_before_the_chain_are_chained_by_the_migration(db, monkeypatch):
    """Rows from before migration 0002 get hashes; a time that went backwards is moved up to its predecessor's."""
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    legacy = [
        AuditEvent.objects.create(at=at, action="legacy.one", ip="::1", details={"k": [1, "ü"]}),
        AuditEvent.objects.create(at=at - dt.timedelta(microseconds=3), action="legacy.two"),
        AuditEvent.objects.create(at=at + dt.timedelta(seconds=1), action="legacy.three", reason="r"),
    ]
    assert broken().startswith(f"audit chain BROKEN at event #{legacy[0].pk}: content changed:")
    migration = importlib.import_module("ctip.audit.migrations.0002_hash_chain")
    monkeypatch.setattr(migration, "BATCH", 2)
    with as_dba():
        migration.chain_existing_events(apps, SimpleNamespace(connection=connection))
    out, _ = verify()
    assert out.startswith("audit chain OK: 3 events\n")
    assert list(AuditEvent.objects.order_by("id").values_list("action", "at")) == [
        ("legacy.one", at),
        ("legacy.two", at),
        ("legacy.three", legacy[2].at),
    ]
