"""The hash chain that makes the audit trail tamper-evident: what a row's hash is computed over, and how.

This is a storage format. Changing anything here (the fields, their canonical form, the serialisation) makes every
existing row fail verification, so it never changes in place; migration 0002 imports it to chain the rows that
existed before the chain did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.utils.ipv6 import clean_ipv6_address

# The prev_hash of the first row.
GENESIS = "0" * 64

# The columns a row's hash covers: all of them but the two hashes.
FIELDS = (
    "id",
    "at",
    "actor_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "reason",
    "details",
    "request_id",
    "ip",
    "user_agent",
)


def canonical_at(at: datetime) -> str:
    """Return the instant in UTC with microseconds, the precision both databases keep."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_ip(ip: str | None) -> str | None:
    """Return the address the way the database gives it back (IPv6 compressed, lower case)."""
    if ip and ":" in ip:
        return clean_ipv6_address(ip)
    return ip or None


def serialise(row: Mapping[str, Any]) -> bytes:
    """Return the canonical bytes of a row's content: JSON, keys sorted at every level, no spaces, UTF-8."""
    content = {name: row[name] for name in FIELDS}
    content["at"] = canonical_at(row["at"])
    content["ip"] = canonical_ip(row["ip"])
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of the previous row's hash followed by this row's canonical content."""
    return hashlib.sha256(prev_hash.encode("utf-8") + serialise(row)).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    """Return the hashed fields of a model instance (current or historical) as a mapping."""
    return {name: getattr(event, name) for name in FIELDS}
