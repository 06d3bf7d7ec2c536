"""A registry of figures that one app computes and another shows, asked for by name.

The plan's dashboard shows donors' funding without importing the funding app: the app that computes a figure
registers a provider by name in its ``AppConfig.ready``; the app that shows it asks by name and shows nothing when no
app provides it (the provider's app is not installed). Like ``metrics`` (which counts), the registry knows nothing of
any app; unlike a metric, a provider returns rows, whose shape its name's documentation (in the asking app) fixes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[..., Any]

_registry: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> Provider:
    """Register ``provider`` under ``name``; registering the same function again (a second ``ready``) is harmless."""
    if name in _registry and _registry[name] is not provider:
        raise ValueError(f"figure provider {name!r} is registered twice")
    _registry[name] = provider
    return provider


def provider(name: str) -> Provider | None:
    """Return the provider registered under ``name``, or None when no installed app provides it."""
    return _registry.get(name)


def names() -> list[str]:
    return sorted(_registry)
