from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from ctip.crypto.keyring import keyring


@register("security")
def key_ring_loads(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start with a missing or malformed key ring, instead of failing at the first encrypted value."""
    try:
        keyring()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="See docs/security.md, section Keys.", id="ctip.crypto.E001")]
    return []
