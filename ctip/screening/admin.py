"""System administrators may add a national catalogue or correct a draft; a frozen version is read-only.

Indicators have their own list (a catalogue holds too many for one form). Screenings are not in the admin: they
are sensitive records of one organisation, read only through ``ctip.screening.access`` so that every read is
scoped and audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from ctip.core.admin import AuditedModelAdmin
from ctip.screening.models import Indicator, IndicatorCatalogue


def _frozen(catalogue: IndicatorCatalogue | None) -> bool:
    return catalogue is not None and catalogue.frozen_at is not None


@admin.register(IndicatorCatalogue)
class IndicatorCatalogueAdmin(AuditedModelAdmin):
    list_display = ["code", "version", "title_en", "frozen_at", "created_at"]
    list_filter = ["code"]
    search_fields = ["code", "title_en", "title_ru", "title_ky"]
    readonly_fields = ["frozen_at", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: IndicatorCatalogue | None = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: IndicatorCatalogue | None = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would not ask whether each catalogue is frozen
        return actions


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["code", "catalogue", "list", "dimension", "strength", "label_en", "verified"]
    list_filter = ["catalogue", "list", "dimension", "strength", "verified"]
    search_fields = ["code", "label_en", "label_ru", "label_ky"]
    ordering = ["catalogue", "position", "code"]

    def has_change_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        return (obj is None or not _frozen(obj.catalogue)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        return (obj is None or not _frozen(obj.catalogue)) and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "catalogue":
            kwargs["queryset"] = IndicatorCatalogue.objects.filter(frozen_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
