from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The national Program and Action Plan: objectives, actions, indicators and the reporting cycle."""

    name = "ctip.plans"
    label = "plans"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from ctip.core.modules import Module, register
        from ctip.orgs.roles import Role

        register(
            Module(
                key="plans",
                label=_("Action plan"),
                url_name="plans:programs",
                order=30,
                roles=None,  # every member reads the approved plan; what else they see follows their roles
                description=_("The national action plan: actions, deadlines, progress reports and what is due."),
                work={
                    Role.COORDINATOR: _(
                        "You build, approve and publish the national Program and Action Plan, review the agencies' "
                        "progress reports and prepare the national report."
                    ),
                    **dict.fromkeys(
                        (Role.ORG_ADMIN, Role.SUPERVISOR),
                        _("You file your organisation's progress reports on the actions of the plan it takes part in."),
                    ),
                    Role.ANALYST: _(
                        "You file your organisation's progress reports on the plan and prepare the national report."
                    ),
                    **dict.fromkeys(
                        (Role.PARTNER, Role.VIEWER), _("You follow the action plan and the progress reported on it.")
                    ),
                },
            )
        )
