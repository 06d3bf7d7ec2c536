from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ctip.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from ctip.core.modules import Module, register
        from ctip.orgs.roles import Role

        register(
            Module(
                key="audit.events",
                label=_("Audit trail"),
                url_name="audit:events",
                order=95,
                roles=frozenset({Role.COORDINATOR, Role.ORG_ADMIN}),
                description=_("Who did what, and when: the tamper-evident record of changes and sign-ins."),
                work={
                    Role.COORDINATOR: _("You read the audit trail of every organisation."),
                    Role.ORG_ADMIN: _("You read your organisation's audit trail."),
                },
            )
        )
