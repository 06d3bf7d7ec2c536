from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from ctip.audit.models import AuditEvent
from ctip.audit.services import audit_record

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL triggers")


@contextmanager
def as_dba() -> Iterator[None]:
    """Act as an attacker with DBA rights: on PostgreSQL, switch the audit table's triggers off for a while.

    ALTER TABLE cannot run while the table has deferred foreign-key checks pending, so those run first.
    """
    if not ON_POSTGRES:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def trail(cast: Any) -> list[AuditEvent]:
    """Return five chained events, oldest first, in an otherwise empty trail."""
    assert not AuditEvent.objects.exists()
    return [
        audit_record(action="user.create", actor=cast.admin_a.user, organisation=cast.org_a, obj=cast.viewer_a.user),
        audit_record(action="membership.create", actor=cast.admin_a.user, organisation=cast.org_a, obj=cast.viewer_a),
        audit_record(action="auth.login", actor=cast.case_worker_b.user, details={"method": "password"}),
        audit_record(action="membership.set_roles", actor=cast.admin_b.user, organisation=cast.org_b, reason="r"),
        audit_record(action="auth.logout", actor=cast.case_worker_b.user),
    ]


@pytest.fixture
def update_event() -> Callable[..., None]:
    """Change stored columns of an event behind the application's back, as someone with database access would."""

    def update(event: AuditEvent, **columns: Any) -> None:
        with as_dba():
            AuditEvent.objects.filter(pk=event.pk).update(**columns)

    return update
