from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CryptoConfig(AppConfig):
    name = "ctip.crypto"
    label = "crypto"
    verbose_name = _("Encryption")

    def ready(self) -> None:
        from ctip.crypto import checks  # noqa: F401  (registers the key ring check)
