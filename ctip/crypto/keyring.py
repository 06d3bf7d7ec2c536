"""The versioned key ring: data keys for AES-256-GCM and one key for blind indexes, kept apart from SECRET_KEY.

Where the keys come from, in order:

1. ``CTIP_ENCRYPTION_KEYS`` — ``id:base64key,id:base64key`` (oldest first; the last one encrypts new values)
   and ``CTIP_BLIND_INDEX_KEY`` — one base64 key. This is how production passes them (from a secret store).
2. ``CTIP_KEYRING_FILE`` — a JSON file ``{"encryption": [{"id": "k1", "key": "…"}], "blind_index": "…"}``.
3. Embedded and test profiles only: ``<CTIP_VAR_DIR>/keyring.json``, created (mode 0600) on first use.

Every key is 32 random bytes. Old keys stay in the ring until ``ctip rotate-keys`` has moved every value off them.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]  # id -> 32-byte key, in insertion order (oldest first)
    current_id: str
    blind_index_key: bytes

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _decode(name: str, value: str) -> bytes:
    try:
        text = value.strip()
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} is not valid base64.") from None
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes (256 bits), not {len(raw)}.")
    return raw


def _build(entries: list[tuple[str, str]], blind_index: str, source: str) -> KeyRing:
    if not entries:
        raise ImproperlyConfigured(f"{source}: the key ring holds no encryption key.")
    keys: dict[str, bytes] = {}
    for key_id, value in entries:
        if not KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} must be 1-16 letters, digits, - or _.")
        if key_id in keys:
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} appears twice.")
        keys[key_id] = _decode(f"{source} key {key_id}", value)
    bidx = _decode(f"{source} blind index key", blind_index)
    if bidx in keys.values():
        raise ImproperlyConfigured(f"{source}: the blind index key must differ from every encryption key.")
    return KeyRing(keys=keys, current_id=entries[-1][0], blind_index_key=bidx)


def _from_env() -> KeyRing | None:
    raw = os.environ.get("CTIP_ENCRYPTION_KEYS")
    if not raw:
        return None
    entries = []
    for item in raw.split(","):
        key_id, sep, value = item.strip().partition(":")
        if not sep:
            raise ImproperlyConfigured("CTIP_ENCRYPTION_KEYS entries look like id:base64key.")
        entries.append((key_id, value))
    blind = os.environ.get("CTIP_BLIND_INDEX_KEY")
    if not blind:
        raise ImproperlyConfigured("Set CTIP_BLIND_INDEX_KEY together with CTIP_ENCRYPTION_KEYS.")
    return _build(entries, blind, "CTIP_ENCRYPTION_KEYS")


def _from_file(path: Path) -> KeyRing:
    try:
        data = json.loads(path.read_text())
        entries = [(str(k["id"]), str(k["key"])) for k in data["encryption"]]
        blind = str(data["blind_index"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"Cannot read the key ring {path}: {error}") from None
    return _build(entries, blind, str(path))


def write_keyring_file(path: Path, entries: list[tuple[str, str]], blind_index: str) -> None:
    """Write a key ring file readable by its owner only (atomically, so a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"encryption": [{"id": i, "key": k} for i, k in entries], "blind_index": blind_index}, fh, indent=2)
    os.replace(tmp, path)


@cache
def keyring() -> KeyRing:
    """Return the key ring (read once per process; ``keyring.cache_clear()`` after changing it)."""
    ring = _from_env()
    if ring is not None:
        return ring
    explicit = os.environ.get("CTIP_KEYRING_FILE")
    if explicit:
        return _from_file(Path(explicit))
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Set CTIP_ENCRYPTION_KEYS and CTIP_BLIND_INDEX_KEY (or CTIP_KEYRING_FILE) in production."
        )
    path = Path(settings.VAR_DIR) / "keyring.json"
    if not path.exists():
        write_keyring_file(path, [("k1", new_key())], new_key())
    return _from_file(path)
