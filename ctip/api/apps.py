from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ctip.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from ctip.api import schema  # noqa: F401  (registers the authentication schemes)
        from ctip.core.modules import Module, register

        register(
            Module(
                key="api.docs",
                label=_("API"),
                url_name="api:docs",
                order=95,
                description=_("The REST API for integrations, with its OpenAPI description."),
            )
        )
