from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Coordination bodies, their meetings and decisions, and partners' own activities across the regions."""

    name = "ctip.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from ctip.core.modules import Module, register

        register(
            Module(
                key="coordination",
                label=_("Coordination"),
                url_name="coordination:body_list",
                order=45,
                description=_("Coordination councils, their meetings and decisions, and who does what where."),
            )
        )
