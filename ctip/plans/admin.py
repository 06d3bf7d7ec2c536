"""The plan in the admin, read-only: system administrators look; the coordinator changes the plan in ctip's pages.

Every change of the plan goes through ``ctip.plans.services`` so that it is validated and audited with what it
changed. Progress reports and their evidence files are not in the admin at all: a draft is known only to its
organisation, and files are opened only through ``ctip.plans.access``, which audits each opening.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ctip.core.admin import AuditedModelAdmin
from ctip.plans.models import Action, Objective, PlanIndicator, Program, ReportingPeriod, ReportReminder


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PeriodInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportingPeriod
    fields = ["starts_on", "ends_on", "due_on"]
    readonly_fields = ["starts_on", "ends_on", "due_on"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyAdmin):
    list_display = ["title_en", "starts_on", "ends_on", "status", "published", "act_number"]
    list_filter = ["status", "published"]
    search_fields = ["title_en", "title_ru", "title_ky", "act_number"]
    inlines = [PeriodInline]


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_en", "program"]
    list_filter = ["program"]
    search_fields = ["code", "title_en", "title_ru", "title_ky"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_en", "lead", "starts_on", "deadline", "budget", "currency"]
    list_filter = ["program", "pillars__pillar", "lead"]
    search_fields = ["code", "title_en", "title_ru", "title_ky"]
    list_select_related = ["lead"]


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name_en", "unit", "baseline", "target", "direction", "source", "metric_name"]
    list_filter = ["source", "direction"]
    search_fields = ["name_en", "name_ru", "name_ky", "metric_name"]


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "period", "kind", "sent_at", "recipients", "actions"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "period"]
