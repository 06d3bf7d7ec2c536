"""The deployment's designations of organisations, which the law makes and ctip only reads (see docs/security.md).

* ``CTIP_COORDINATING_BODIES`` — codes of the organisations whose members may hold the national coordinator role
  (the ministry the Program names as coordinator). Nobody may until it is set.
* ``CTIP_IDENTIFICATION_BODIES`` — codes of the organisations authorised to record formal identification decisions.
"""

from __future__ import annotations

from django.conf import settings


def coordinating_bodies() -> frozenset[str]:
    return frozenset(code.lower() for code in getattr(settings, "CTIP_COORDINATING_BODIES", ()))


def identification_bodies() -> frozenset[str]:
    return frozenset(getattr(settings, "CTIP_IDENTIFICATION_BODIES", ()))
