from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Coordination bodies, their meetings and decisions, and partners' own activities across the regions."""

    name = "ctip.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
