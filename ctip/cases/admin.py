"""The service directory in the admin: system administrators keep which organisation gives which service where.

Every change is audited (``AuditedModelAdmin``). The service catalogue itself is ``ctip.cases.vocab.Service``, a
fixed list that the statistics and the HTCDS exports rely on; it changes with the code, not here. Persons, cases and
everything about them are deliberately not in the admin: they are read only through ``ctip.cases.access``, which
scopes and audits every read, and the identity must not leak into a list page or an admin log message.
"""

from __future__ import annotations

from django.contrib import admin

from ctip.cases.models import ServiceOffer
from ctip.core.admin import AuditedModelAdmin


@admin.register(ServiceOffer)
class ServiceOfferAdmin(AuditedModelAdmin):
    list_display = ["organisation", "service", "region"]
    list_filter = ["service", "region", "organisation__org_type"]
    search_fields = ["organisation__code", "organisation__name_en", "organisation__name_ru", "organisation__name_ky"]
    list_select_related = ["organisation"]
    ordering = ["service", "region", "organisation__code"]
