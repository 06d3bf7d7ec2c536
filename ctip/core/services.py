"""Helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def model_update(
    *, instance: M, fields: Iterable[str], data: Mapping[str, Any], clean: bool = True
) -> tuple[M, list[str]]:
    """Lock the row, set the fields in ``data`` whose value differs, and save only those.

    ``fields`` names what the calling service lets change; a key of ``data`` outside it is a programming error
    (``TypeError``), not user input. Return the locked instance and the sorted names of the fields that changed —
    what the caller's audit row records (nothing is saved, and an empty list returned, when nothing changed). With
    ``clean`` the changed row is validated (``full_clean``) before it is saved, so a ``ValidationError`` leaves it as
    it was. Call it inside the service's transaction, before the audit row.
    """
    allowed = frozenset(fields)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__} fields that cannot be changed here: {unknown}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("model_update locks the row: call it inside the service's transaction")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changed = sorted(name for name, value in data.items() if getattr(locked, name) != value)
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        if clean:
            locked.full_clean()
        locked.save(update_fields=changed)
    return locked, changed
