"""The demo's funding part (to be written)."""

from __future__ import annotations

from ctip.orgs.models import Organisation


def load(orgs: dict[str, Organisation]) -> None:
    """Load this part of the demo; `orgs` maps the demo organisations' codes to them."""
