from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from ctip.accounts.models import User
from ctip.core.admin import AuditedModelAdmin
from ctip.orgs import services
from ctip.orgs.forms import RolesField
from ctip.orgs.models import Invitation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "org_type", "region", "is_active"]
    list_filter = ["org_type", "region", "is_active"]
    search_fields = ["code", "name_en", "name_ru", "name_ky"]


class MembershipAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Roles are given through the same service and rules as on the members page, never written row by row."""

    roles = RolesField()

    class Meta:
        model = Membership
        fields = ["user", "organisation", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.role_set)

    def check_grant(self, by: User) -> None:
        """Apply the granting rules before anything is saved; a refusal is audited and shown on the roles field."""
        if self.errors or "roles" not in self.cleaned_data:
            return
        instance = self.instance
        holder = instance.user if instance.pk else self.cleaned_data["user"]
        organisation = instance.organisation if instance.pk else self.cleaned_data["organisation"]
        before = instance.role_set if instance.pk else frozenset()
        try:
            services.grant_check(
                by=by,
                actor=None,
                organisation=organisation,
                holder=holder,
                before=before,
                after=self.cleaned_data["roles"],
            )
        except (PermissionDenied, ValidationError) as error:
            self.add_error("roles", error.messages if isinstance(error, ValidationError) else str(error))


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["user__email", "organisation__code"]
    autocomplete_fields = ["user", "organisation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        # Moving a membership, roles and all, to another person or organisation would grant without a check.
        return ["user", "organisation"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        by = request.user

        class Checked(form_class):  # type: ignore[misc,valid-type]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                if isinstance(by, User):
                    self.check_grant(by)
                return cleaned

        return Checked

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        assert isinstance(obj, Membership)  # noqa: S101 (this admin's model)
        by = request.user if isinstance(request.user, User) else None
        roles = form.cleaned_data["roles"]
        if not change:
            created = services.membership_create(
                by=by, acting=None, user=obj.user, organisation=obj.organisation, roles=roles
            )
            obj.pk = created.pk
            if not obj.is_active:
                services.membership_set_active(by=by, membership=created, active=False)
            return
        current = Membership.objects.get(pk=obj.pk)
        if sorted(current.role_set) != sorted(roles):
            services.membership_set_roles(by=by, membership=current, roles=roles)
        if current.is_active != obj.is_active:
            services.membership_set_active(by=by, membership=current, active=obj.is_active)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: invitations are made on the members page and answered by the person invited."""

    list_display = ["user", "organisation", "status", "created_at", "answered_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["user__email", "organisation__code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
