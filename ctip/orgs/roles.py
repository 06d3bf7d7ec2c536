"""Roles a membership can carry, and the groups of roles that rules refer to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("National coordinator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    ANALYST = "analyst", _("Analyst")
    PARTNER = "partner", _("Partner")
    VIEWER = "viewer", _("Viewer")


# Roles whose holders can see victims' and suspects' identities (the security core enforces MFA for them).
IDENTITY_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR, Role.PROSECUTOR})
