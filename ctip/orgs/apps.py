from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "ctip.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from ctip.core.modules import Module, register
        from ctip.orgs.roles import Role

        register(
            Module(
                key="orgs.directory",
                label=_("Organisations"),
                url_name="orgs:directory",
                order=80,
                description=_("Who takes part in the national response, by type and region."),
            )
        )
        register(
            Module(
                key="orgs.members",
                label=_("Members"),
                url_name="orgs:members",
                order=90,
                roles=frozenset({Role.ORG_ADMIN}),
                description=_("Add people to your organisation, set their roles, deactivate accounts."),
                work={
                    Role.ORG_ADMIN: _("You manage who works in ctip for your organisation and what each person may do.")
                },
            )
        )
