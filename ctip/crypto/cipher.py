"""AES-256-GCM for single values. A stored value names the key that sealed it: ``ctip1$<key id>$<base64>``.

The associated data binds a value to its column (``app_label.model.field``), so a ciphertext copied into another
column or table does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ctip.crypto.keyring import keyring

PREFIX = "ctip1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong or missing key, or the value was altered."""


@cache
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(plaintext: bytes, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(ring.current).encrypt(nonce, plaintext, context.encode())
    return f"{PREFIX}${ring.current_id}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(token: str) -> str:
    """Return the id of the key that sealed ``token`` (raises DecryptionError if it is not a ctip ciphertext)."""
    return _split(token)[0]


def _split(token: str) -> tuple[str, bytes]:
    prefix, _, rest = token.partition("$")
    key_id, _, body = rest.partition("$")
    if prefix != PREFIX or not key_id or not body:
        raise DecryptionError("not a ctip ciphertext")
    try:
        return key_id, base64.urlsafe_b64decode(body)
    except (binascii.Error, ValueError):
        raise DecryptionError("ciphertext is not valid base64") from None


def decrypt(token: str, *, context: str) -> bytes:
    key_id, raw = _split(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id!r} is not in the key ring")
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("ciphertext is too short")
    try:
        return _aead(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise DecryptionError(f"ciphertext for {context} failed authentication") from None
