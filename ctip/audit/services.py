"""The one way to write to the audit trail. Call it inside the transaction of the write it records."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ctip.accounts.models import User
from ctip.audit import chain
from ctip.audit.models import AuditEvent
from ctip.core import request_context
from ctip.orgs.models import Organisation

# pg_advisory_xact_lock key that serialises appenders ("ctipaudt" in ASCII). Any other user of advisory locks in
# ctip must pick a different key.
CHAIN_LOCK_KEY = 0x6374697061756474


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain; request id, address and user agent come from the request being served.

    Pass ids, codes, counts and flags — never names, contact details or anything decrypted from an identity:
    the trail is kept for years and read by administrators who must not learn from it who a person is. Refer to
    a person by their record's id or pseudonymous code.

    ``details`` is a dict with string keys whose values are strings, whole numbers, booleans, None, or lists and
    dicts of those. Anything else (floats, dates, model instances, lazy translations, bytes) raises ``TypeError``
    before anything is written.

    Appenders are serialised until the end of the caller's transaction, so call this last in a service, after the
    work that can fail.
    """
    clean = _checked_details(details or {})
    meta = request_context.current()
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        details=clean,
        request_id=meta.request_id,
        ip=chain.canonical_ip(meta.ip),
        user_agent=meta.user_agent,
    )
    with transaction.atomic():
        _append(event)
    return event


def _append(event: AuditEvent) -> None:
    """Link the event to the last one and insert it, while no other appender can run."""
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values("id", "at", "row_hash").first()
    now = timezone.now()
    event.id = _next_id(last["id"] if last else 0)
    # Never earlier than the event before it, whatever this server's clock says: the verifier treats time going
    # backwards as a forged row.
    event.at = max(now, last["at"]) if last else now
    event.prev_hash = last["row_hash"] if last else chain.GENESIS
    event.row_hash = chain.row_hash(event.prev_hash, chain.values_of(event))
    event.save(force_insert=True)


def _lock_chain() -> None:
    # SQLite runs write transactions with BEGIN IMMEDIATE (settings), which already excludes every other writer.
    # PostgreSQL's default READ COMMITTED gives each statement a fresh snapshot, so the read of the last row that
    # follows the lock sees the previous holder's committed row.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _next_id(last_id: int) -> int:
    """Return the id the new event gets; it is part of what the hash covers, so it is chosen before the insert."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [AuditEvent._meta.db_table])
            return int(cursor.fetchone()[0])
    return last_id + 1


def _checked_details(details: dict[str, Any]) -> dict[str, Any]:
    """Return a plain JSON copy of ``details``, refusing what the database would not give back unchanged."""
    if not isinstance(details, dict):
        raise TypeError(f"details must be a dict, not {type(details).__name__}")
    _check(details, "details")
    result: dict[str, Any] = json.loads(json.dumps(details))
    return result


def _check(value: object, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings, not {type(key).__name__}")
            _check(item, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
    elif isinstance(value, str):
        if "\x00" in value:
            raise TypeError(f"{path} contains a NUL character")
    elif not (value is None or isinstance(value, int)):
        # Floats are refused too: PostgreSQL's jsonb gives 1e16 back as 10000000000000000, which breaks the hash.
        raise TypeError(
            f"{path} is a {type(value).__name__}; audit details hold ids, codes, counts and flags "
            "(str, int, bool, None, and lists and dicts of them)"
        )
