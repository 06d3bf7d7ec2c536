from django.contrib import admin

from ctip.core.admin import AuditedModelAdmin
from ctip.orgs.models import Membership, MembershipRole, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "org_type", "region", "is_active"]
    list_filter = ["org_type", "region", "is_active"]
    search_fields = ["code", "name_en", "name_ru", "name_ky"]


class MembershipRoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MembershipRole
    extra = 1


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["user__email", "organisation__code"]
    autocomplete_fields = ["user", "organisation"]
    inlines = [MembershipRoleInline]
