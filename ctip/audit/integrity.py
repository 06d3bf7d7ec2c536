"""Walk the hash chain and find the first event that breaks it (``ctip audit verify``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ctip.audit import chain
from ctip.audit.models import AuditEvent


@dataclass(frozen=True)
class Break:
    event_id: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    last_id: int | None
    last_hash: str | None
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


@dataclass(frozen=True)
class _Link:
    id: int
    at: dt.datetime
    row_hash: str


def chain_verify(
    *,
    batch_size: int = 5000,
    anchors: Mapping[int, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 100_000,
) -> ChainReport:
    """Check every event in id order; stop at the first that breaks the chain.

    ``anchors`` maps event ids to row hashes recorded earlier (printed by a previous run): a chain rewritten from
    some event onwards, or cut short, is consistent in itself, and only a hash kept elsewhere shows it.
    """
    anchors = dict(anchors or {})
    prev: _Link | None = None
    checked = 0

    def report(first_break: Break | None) -> ChainReport:
        return ChainReport(checked, prev.id if prev else None, prev.row_hash if prev else None, first_break)

    for row in _rows(batch_size):
        problem = _problem(row, prev) or _anchor_problem(row, anchors.pop(row["id"], None))
        if problem:
            return report(Break(row["id"], problem))
        prev = _Link(row["id"], row["at"], row["row_hash"])
        checked += 1
        if progress is not None and checked % progress_every == 0:
            progress(checked, prev.id)
    if anchors:
        problem = "this anchored event is missing: it was deleted, or the trail was cut short before it"
        return report(Break(min(anchors), problem))
    return report(None)


def _rows(batch_size: int) -> Iterator[dict[str, Any]]:
    """Yield every event in id order, a batch at a time (keyset pagination: no long-held cursor, no OFFSET)."""
    rows = AuditEvent.objects.order_by("id").values(*chain.FIELDS, "prev_hash", "row_hash")
    batch = list(rows[:batch_size])
    while batch:
        yield from batch
        batch = list(rows.filter(id__gt=batch[-1]["id"])[:batch_size])


def _problem(row: dict[str, Any], prev: _Link | None) -> str | None:
    if chain.row_hash(row["prev_hash"], row) != row["row_hash"]:
        return "content changed: the row hash does not match the row's content"
    expected = prev.row_hash if prev else chain.GENESIS
    if row["prev_hash"] != expected:
        before = f"the row hash of event #{prev.id}" if prev else "the genesis value"
        prev_id = prev.id if prev else 0
        if row["id"] - prev_id > 1:
            missing = (
                f"id #{prev_id + 1} is" if row["id"] - prev_id == 2 else f"ids #{prev_id + 1}..#{row['id'] - 1} are"
            )
            return f"a row was deleted before it: prev_hash does not match {before}, and {missing} missing"
        return f"inserted out of order or forged: prev_hash does not match {before}"
    if prev is not None and row["at"] < prev.at:
        return (
            f"inserted out of order or forged: its time {chain.canonical_at(row['at'])} is before "
            f"{chain.canonical_at(prev.at)}, the time of event #{prev.id}"
        )
    return None


def _anchor_problem(row: dict[str, Any], anchored: str | None) -> str | None:
    if anchored is None or anchored == row["row_hash"]:
        return None
    return f"rewritten: its row hash is {row['row_hash']}, not {anchored} as recorded, though the chain holds together"
