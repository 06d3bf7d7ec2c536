from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The National Referral Mechanism: persons, victim cases, consent, referrals and services."""

    name = "ctip.cases"
    label = "cases"
    verbose_name = _("Victim cases")
