from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ctip.accounts.models import ApiToken, User
from ctip.accounts.services import second_factor_reset
from ctip.core.admin import AuditedModelAdmin

if TYPE_CHECKING:
    _DjangoUserAdmin = DjangoUserAdmin[User]
else:
    _DjangoUserAdmin = DjangoUserAdmin


@admin.register(User)
class UserAdmin(_DjangoUserAdmin, AuditedModelAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (lost phone): the person enrols again at next login"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(by=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, _("Second factor reset for %(count)d people.") % {"count": queryset.count()})


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["key_id", "membership", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["membership", "key_id", "created_at", "last_used_at"]
    exclude = ["secret_hash"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are issued with `ctip issue-token`, which shows the secret once
