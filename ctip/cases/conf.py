"""The deployment's settings for the referral mechanism, with their defaults (see docs/cases.md).

* ``CTIP_CASE_CODE_PREFIX`` — country prefix of case codes (``KG`` → ``KG-2026-00042``).
* ``CTIP_IDENTIFICATION_BODIES`` — codes of the organisations authorised to record formal identification decisions
  (read through ``ctip.orgs.conf``, which also bounds who may hold case roles there).
* ``CTIP_REFLECTION_DAYS`` — recovery and reflection period from presumed status (30: CoE CETS 197 art. 13).
* ``CTIP_SHELTER_DAYS`` — first shelter stay (10: Kyrgyz law on trafficking, art. 21-4), extendable with a reason.
* ``CTIP_REMINDER_DAYS`` — how many days ahead the reminder warns of a deadline.
"""

from __future__ import annotations

from django.conf import settings

from ctip.orgs.conf import identification_bodies

__all__ = ["case_code_prefix", "identification_bodies", "reflection_days", "reminder_days", "shelter_days"]


def case_code_prefix() -> str:
    return str(getattr(settings, "CTIP_CASE_CODE_PREFIX", "KG"))


def reflection_days() -> int:
    return int(getattr(settings, "CTIP_REFLECTION_DAYS", 30))


def shelter_days() -> int:
    return int(getattr(settings, "CTIP_SHELTER_DAYS", 10))


def reminder_days() -> int:
    return int(getattr(settings, "CTIP_REMINDER_DAYS", 3))
