"""Admin for system administrators; day-to-day changes go through the pages and their services."""

from __future__ import annotations

from django.contrib import admin

from ctip.core.admin import AuditedModelAdmin
from ctip.funding.models import Allocation, Commitment, Disbursement


class AllocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Allocation
    raw_id_fields = ["action"]
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(AuditedModelAdmin):
    list_display = ["title", "donor", "implementer", "amount", "currency", "status", "starts_on", "ends_on"]
    list_filter = ["status", "currency", "donor"]
    search_fields = ["title"]
    inlines = [AllocationInline]


@admin.register(Disbursement)
class DisbursementAdmin(AuditedModelAdmin):
    list_display = ["commitment", "date", "amount"]
    list_filter = ["commitment"]
