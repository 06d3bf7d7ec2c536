from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Indicator catalogues, screening interviews and the assessment engine."""

    name = "ctip.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from ctip.core.modules import Module, register
        from ctip.orgs.roles import Role
        from ctip.screening.metrics import register_metrics

        register_metrics()
        register(
            Module(
                key="screening",
                label=_("Screening"),
                url_name="screening:list",
                order=20,
                roles=frozenset({Role.CASE_WORKER, Role.SUPERVISOR}),
                description=_("Interview a person against the indicators of trafficking and see whether to refer."),
                work=dict.fromkeys(
                    (Role.CASE_WORKER, Role.SUPERVISOR),
                    _("You interview people against the indicators of trafficking and see whether to refer them."),
                ),
            )
        )
