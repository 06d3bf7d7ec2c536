"""Re-encrypt stored values under the newest key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from ctip.audit.services import audit_record
from ctip.crypto.cipher import decrypt, encrypt, key_id_of
from ctip.crypto.fields import EncryptedMixin, encrypted_fields
from ctip.crypto.keyring import keyring


@dataclass
class RotationResult:
    scanned: int = 0
    rewritten: int = 0


def models_with_encrypted_fields() -> Iterator[tuple[type[models.Model], list[EncryptedMixin]]]:
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields and not model._meta.proxy:
            yield model, fields


def _rotate_batch(
    model: type[models.Model], fields: list[EncryptedMixin], after: object, size: int, current: str
) -> tuple[object | None, int, int]:
    """Re-seal one batch of rows after primary key ``after``; return the last key seen and the counts."""
    qn = connection.ops.quote_name
    pk_field = model._meta.pk
    if pk_field is None or pk_field.column is None:  # every concrete model has one
        raise ValueError(f"{model._meta.label} has no primary key column")
    table, pk = qn(model._meta.db_table), qn(pk_field.column)
    columns = ", ".join(qn(f.column) for f in fields if f.column)
    where = f"WHERE {pk} > %s " if after is not None else ""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            # Rows stay locked until the batch commits, so an edit made meanwhile is not overwritten with the old
            # value (SQLite's write transactions are exclusive already).
            f"SELECT {pk}, {columns} FROM {table} {where}ORDER BY {pk} LIMIT %s{lock}",  # noqa: S608 (quoted)
            [after, size] if after is not None else [size],  # type: ignore[list-item]
        )
        rows = cursor.fetchall()
        rewritten = 0
        for row in rows:
            changes: dict[str, str] = {}
            for field, value in zip(fields, row[1:], strict=True):
                if value is not None and key_id_of(value) != current:
                    context = field.context()
                    changes[str(field.column)] = encrypt(decrypt(value, context=context), context=context)
            if changes:
                sets = ", ".join(f"{qn(c)} = %s" for c in changes)
                cursor.execute(
                    f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608 (names quoted)
                    [*changes.values(), row[0]],
                )
                rewritten += 1
    return (rows[-1][0] if rows else None), len(rows), rewritten


def keys_rotate(*, batch_size: int = 500, progress: Callable[[str, int, int], None] | None = None) -> RotationResult:
    """Move every encrypted value onto the current key, batch by batch.

    Each batch commits on its own and rows already on the current key are skipped, so an interrupted run is
    simply started again. Decryption failures stop the run (nothing in the failing batch is written).
    """
    current = keyring().current_id
    total = RotationResult()
    for model, fields in models_with_encrypted_fields():
        after: object | None = None
        while True:
            last, scanned, rewritten = _rotate_batch(model, fields, after, batch_size, current)
            if last is None:
                break
            after = last
            total.scanned += scanned
            total.rewritten += rewritten
            if progress:
                progress(model._meta.label, total.scanned, total.rewritten)
    with transaction.atomic():
        audit_record(
            action="crypto.rotate_keys",
            details={"key_id": current, "scanned": total.scanned, "rewritten": total.rewritten},
        )
    return total
