from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Donor commitments, disbursements and the funding gap of the plan's actions."""

    name = "ctip.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from ctip.core import figures
        from ctip.core.modules import Module, register
        from ctip.funding import selectors
        from ctip.orgs.roles import Role

        # The plan's dashboard asks for these by name (ctip.plans.dashboard.FUNDING_BY_DONOR, PILLAR_GAPS).
        figures.register("funding.by_donor", selectors.funding_by_donor)
        figures.register("funding.pillar_gaps", selectors.pillar_gaps)

        register(
            Module(
                key="funding",
                label=_("Funding"),
                url_name="funding:commitment_list",
                order=50,
                description=_("Donor commitments to the plan, disbursements and the funding gaps."),
                work={
                    Role.COORDINATOR: _("You record donors' commitments to the plan and allocate them to its actions."),
                    Role.ORG_ADMIN: _("You record the disbursements your organisation receives from donors."),
                    **dict.fromkeys(
                        (Role.PARTNER, Role.VIEWER),
                        _("You follow donors' funding of the plan and where it falls short."),
                    ),
                },
            )
        )
