from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The national Program and Action Plan: objectives, actions, indicators and the reporting cycle."""

    name = "ctip.plans"
    label = "plans"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from ctip.core.modules import Module, register

        register(
            Module(
                key="plans",
                label=_("Action plan"),
                url_name="plans:programs",
                order=30,
                roles=None,  # every member reads the approved plan; what else they see follows their roles
                description=_("The national action plan: actions, deadlines, progress reports and what is due."),
            )
        )
