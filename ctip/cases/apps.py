from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ctip.orgs.models import Membership
    from ctip.screening.models import Screening


def case_opening_url(actor: Membership, screening: Screening) -> str | None:
    """Where the member may open a case from the screening (the screening page asks the registry), or None."""
    from ctip.cases.access import cases

    if not cases.can(actor, "create"):
        return None
    return f"{reverse('cases:new')}?screening={screening.pk}"


class CasesConfig(AppConfig):
    """The National Referral Mechanism: persons, victim cases, consent, referrals and services."""

    name = "ctip.cases"
    label = "cases"
    verbose_name = _("Victim cases")

    def ready(self) -> None:
        from ctip.cases.access import READ_ROLES
        from ctip.cases.metrics import register_metrics
        from ctip.core.modules import Module, register
        from ctip.core.registry import register_case_opener
        from ctip.orgs.roles import Role

        register_metrics()
        register_case_opener("cases", case_opening_url)
        register(
            Module(
                key="cases",
                label=_("Victim cases"),
                url_name="cases:list",
                order=25,
                roles=frozenset(READ_ROLES),
                description=_("Cases of the national referral mechanism, by pseudonymous code."),
                work={
                    Role.CASE_WORKER: _(
                        "You assist and refer victims, and record the services your organisation gives."
                    ),
                    Role.SUPERVISOR: _(
                        "You record the legal basis when a victim is referred, or their case shared, without their "
                        "consent."
                    ),
                    **dict.fromkeys(
                        (Role.VIEWER, Role.ANALYST),
                        _("You read your organisation's victim cases, without the persons' identities."),
                    ),
                },
            )
        )
        register(
            Module(
                key="cases_shared",
                label=_("Cases shared with us"),
                url_name="cases:shared",
                order=26,
                roles=frozenset({Role.INVESTIGATOR, Role.PROSECUTOR}),
                description=_("Victim cases another organisation shares with yours, within the person's consent."),
                work=dict.fromkeys(
                    (Role.INVESTIGATOR, Role.PROSECUTOR),
                    _("You read the victim cases other organisations share with yours, within the person's consent."),
                ),
            )
        )
