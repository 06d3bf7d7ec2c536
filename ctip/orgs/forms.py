from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.orgs.roles import Role


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, label=_("Roles"), **kwargs)


class _OffersRoles(forms.Form):
    """A form whose role choices are only the roles the person filling it may give (``grantable``)."""

    roles = RolesField()

    def __init__(self, *args: Any, grantable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["roles"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 (declared above)
        offered = frozenset(grantable)
        field.choices = [(value, label) for value, label in Role.choices if value in offered]


class MemberAddForm(_OffersRoles):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    field_order = ["email", "full_name", "roles"]


class MemberRolesForm(_OffersRoles):
    pass
