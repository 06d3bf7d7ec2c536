from django.contrib import admin

from ctip.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the trail is appended to by services, never edited."""

    list_display = ["at", "action", "actor", "organisation", "object_type", "object_id", "request_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_type", "object_id", "request_id"]
    list_select_related = ["actor", "organisation"]
    readonly_fields = ["prev_hash", "row_hash"]  # not editable, so shown only when named

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
