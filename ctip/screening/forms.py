"""Forms of the screening interview: consent first, then the person's situation, then the questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.orgs.models import Region
from ctip.screening.models import ConsentBy, Indicator, ScreeningKind

INTERVIEW_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES] + [
    ("uz", _("Uzbek")),
    ("tg", _("Tajik")),
    ("other", _("Another language")),
]


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of screening"), choices=ScreeningKind.choices, widget=forms.RadioSelect)
    explained = forms.BooleanField(
        label=_(
            "I explained what the interview is for and who will see the answers, in a language the person "
            "understands, and the person agreed to it."
        ),
    )
    consent_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentBy.choices, widget=forms.RadioSelect)
    consent_language = forms.ChoiceField(label=_("Language it was explained in"), choices=INTERVIEW_LANGUAGES)


class InterviewForm(forms.Form):
    """The person's situation and the indicators found present (one checkbox and one note per question)."""

    age = forms.IntegerField(
        label=_("Age"),
        min_value=0,
        max_value=130,
        required=False,
        help_text=_("Leave empty when the age is not known."),
    )
    possible_minor = forms.BooleanField(label=_("There are reasons to believe the person is a child"), required=False)
    act = forms.BooleanField(
        label=_("The person was recruited, transported, transferred, harboured or received"),
        required=False,
        initial=True,
    )
    interviewed_on = forms.DateField(
        label=_("Date of the interview"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.ChoiceField(label=_("Place (region)"), choices=Region.choices)
    language = forms.ChoiceField(label=_("Language of the interview"), choices=INTERVIEW_LANGUAGES)
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)

    def __init__(self, *args: Any, questions: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for indicator in questions:
            self.fields[f"i_{indicator.code}"] = forms.BooleanField(label=indicator.question, required=False)
            self.fields[f"n_{indicator.code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    def clean_interviewed_on(self) -> Any:
        day = self.cleaned_data["interviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The interview cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        asked = {f"i_{q.code}" for q in self.questions}
        foreign = sorted(k[2:] for k in self.data if k.startswith("i_") and k not in asked and self.data.get(k))
        if foreign:
            raise forms.ValidationError(
                _("These indicators are not asked in this interview: %(ids)s") % {"ids": ", ".join(foreign)}
            )
        return cleaned

    def present(self) -> list[str]:
        return [q.code for q in self.questions if self.cleaned_data.get(f"i_{q.code}")]

    def notes(self) -> dict[str, str]:
        return {
            q.code: self.cleaned_data[f"n_{q.code}"].strip()
            for q in self.questions
            if self.cleaned_data.get(f"i_{q.code}") and self.cleaned_data.get(f"n_{q.code}", "").strip()
        }

    def groups(self) -> list[tuple[str, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """Return the questions grouped by dimension, in catalogue order, as (checkbox, note) pairs."""
        grouped: dict[str, list[tuple[forms.BoundField, forms.BoundField]]] = {}
        titles: dict[str, str] = {}
        for q in self.questions:
            titles.setdefault(q.dimension, str(q.get_dimension_display()))
            grouped.setdefault(q.dimension, []).append((self[f"i_{q.code}"], self[f"n_{q.code}"]))
        return [(titles[d], pairs) for d, pairs in grouped.items()]
