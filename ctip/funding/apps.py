from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Donor commitments, disbursements and the funding gap of the plan's actions."""

    name = "ctip.funding"
    label = "funding"
    verbose_name = _("Funding")
