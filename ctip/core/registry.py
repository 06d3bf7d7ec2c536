"""What a lower layer may ask a higher one, without importing it: the higher app registers an answer in ready().

Screening builds on nothing above it, yet its page offers "open a victim case" when the cases app is installed and
the member may open one. The cases app registers that answer here; with no app registered, nothing is offered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ctip.orgs.models import Membership

# Given the acting member and the record a case would start from (a screening): the address where they may open a
# case from it, or None. The record is typed loosely on purpose: the platform names no domain model, not even for
# the type checker.
CaseOpener = Callable[["Membership", Any], "str | None"]

_case_openers: dict[str, CaseOpener] = {}


def register_case_opener(key: str, answer: CaseOpener) -> None:
    """Register (or replace, when ready() runs again) the answer of the app ``key``."""
    _case_openers[key] = answer


def case_opening_url(actor: Membership, screening: Any) -> str | None:
    """Return where the member may open a case from the screening; None when no registered app offers it."""
    for answer in _case_openers.values():
        url = answer(actor, screening)
        if url is not None:
            return url
    return None
