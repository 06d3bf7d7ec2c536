from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Coordination bodies, their meetings and decisions, and partners' own activities across the regions."""

    name = "ctip.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from ctip.core.modules import Module, register
        from ctip.orgs.roles import Role

        register(
            Module(
                key="coordination",
                label=_("Coordination"),
                url_name="coordination:body_list",
                order=45,
                description=_("Coordination councils, their meetings and decisions, and who does what where."),
                work={
                    Role.COORDINATOR: _(
                        "You run the coordination councils' meetings, record their decisions and follow them up."
                    ),
                    **dict.fromkeys(
                        (Role.ORG_ADMIN, Role.SUPERVISOR, Role.ANALYST),
                        _("You report on the council decisions your organisation is responsible for."),
                    ),
                    Role.PARTNER: _("You record your organisation's own activities: who does what where."),
                },
            )
        )
