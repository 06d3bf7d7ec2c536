"""What every page form shares: a service's refusal shown on the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

T = TypeVar("T")


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation error on the form, on the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def submit(form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """Run a service for a valid form; put its refusal on the form and return None instead of raising.

    A ``ValidationError`` goes onto the fields it names. A ``PermissionDenied`` that carries a message is a business
    rule of the service (only a supervisor records a legal basis …) and goes onto the form as a whole; one without a
    message is an access refusal and is raised, so the page answers 403 as usual. Services return the object they
    wrote, never None, so None always means "refused; redraw the form".
    """
    try:
        return write()
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as denied:
        if not denied.args:
            raise
        form.add_error(None, str(denied))
    return None


# --- Shared by the page forms of several apps (coordination, funding) -------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choices_of(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    """Return the form's choice field ``name``, to narrow its queryset to what the actor may choose."""
    return cast(forms.ModelChoiceField, form.fields[name])  # type: ignore[type-arg]


class ServiceModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """Builds its fields from the model but leaves whole-record validation to the service.

    The services check every rule with a message on the field it concerns; the model's own check here would answer
    first with the database constraint's generic wording.
    """

    def _post_clean(self) -> None:
        pass


class CodeTitleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of records shown as their code and their title in the current language (plan actions …)."""

    def label_from_instance(self, obj: Any) -> str:
        from ctip.core.i18n import in_language

        return f"{obj.code} {in_language(obj, 'title')}"
