from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The national Program and Action Plan: objectives, actions, indicators and the reporting cycle."""

    name = "ctip.plans"
    label = "plans"
    verbose_name = _("Action plan")
