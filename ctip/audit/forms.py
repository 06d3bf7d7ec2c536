from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.audit.selectors import EventFilter


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class EventFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=65,
        help_text=_("For example auth.login, or auth.* for every sign-in event."),
    )
    date_from = forms.DateField(label=_("From (date)"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=_("To (date)"), required=False, widget=_DateInput())
    actor = forms.EmailField(label=_("Actor's e-mail"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> EventFilter:
        """Return the filter the valid form describes."""
        data = self.cleaned_data
        return EventFilter(
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            actor_email=data["actor"],
        )
