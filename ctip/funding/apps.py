from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Donor commitments, disbursements and the funding gap of the plan's actions."""

    name = "ctip.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from ctip.core.modules import Module, register

        register(
            Module(
                key="funding",
                label=_("Funding"),
                url_name="funding:commitment_list",
                order=50,
                description=_("Donor commitments to the plan, disbursements and the funding gaps."),
            )
        )
