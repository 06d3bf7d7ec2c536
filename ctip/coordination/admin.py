"""Read-mostly admin for system administrators; day-to-day changes go through the pages and their services."""

from __future__ import annotations

from django.contrib import admin

from ctip.coordination.models import CoordinationBody, Decision, DecisionUpdate, Meeting, PartnerActivity
from ctip.core.admin import AuditedModelAdmin


@admin.register(CoordinationBody)
class CoordinationBodyAdmin(AuditedModelAdmin):
    list_display = ["name_en", "kind", "region", "chair", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name_en", "name_ru", "name_ky"]
    filter_horizontal = ["members"]


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["body", "date", "status", "place"]
    list_filter = ["status", "body"]
    filter_horizontal = ["attended"]


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ["meeting", "number", "responsible", "deadline", "status", "closed_on"]
    list_filter = ["status", "responsible"]
    raw_id_fields = ["action"]


@admin.register(DecisionUpdate)
class DecisionUpdateAdmin(AuditedModelAdmin):
    """Follow-up is a history: it is read here, never changed."""

    list_display = ["decision", "status", "organisation", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PartnerActivity)
class PartnerActivityAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "region", "pillar", "starts_on", "ends_on", "beneficiaries"]
    list_filter = ["region", "pillar", "organisation"]
    raw_id_fields = ["action"]
