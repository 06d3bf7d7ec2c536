from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from ctip.accounts.models import User
from ctip.audit.services import audit_record


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """System administrators' changes go into the audit trail, inside the admin's own transaction."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="admin.change" if change else "admin.add",
            actor=_actor(request),
            obj=obj,
            details={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(action="admin.delete", actor=_actor(request), obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(action="admin.delete", actor=_actor(request), obj=obj)
        super().delete_queryset(request, queryset)
