from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from ctip.crypto.cipher import _aead
from ctip.crypto.keyring import keyring, new_key


@pytest.fixture
def ring() -> Iterator[Callable[..., None]]:
    """Set the key ring from the environment for one test: ring(("k1", key), ("k2", key), blind=key)."""
    saved = {k: os.environ.get(k) for k in ("CTIP_ENCRYPTION_KEYS", "CTIP_BLIND_INDEX_KEY")}
    blind = new_key()

    def use(*entries: tuple[str, str]) -> None:
        os.environ["CTIP_ENCRYPTION_KEYS"] = ",".join(f"{i}:{k}" for i, k in entries)
        os.environ["CTIP_BLIND_INDEX_KEY"] = blind
        keyring.cache_clear()
        _aead.cache_clear()

    yield use
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    keyring.cache_clear()
