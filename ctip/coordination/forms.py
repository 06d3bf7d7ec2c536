"""Forms of coordination pages; the services validate again and own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.coordination.models import CoordinationBody, DecisionStatus, Meeting, PartnerActivity
from ctip.core.forms import DATE, CodeTitleChoiceField, ServiceModelForm, choices_of
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access as plan_access
from ctip.plans.models import Action


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("code")


def _actions(actor: Membership) -> Any:
    """The plan actions the actor can see (a draft program is the coordinator's alone)."""
    return plan_access.actions.visible(actor, "view").select_related("program").order_by("program", "code")


class BodyForm(ServiceModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Member organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CoordinationBody
        fields = ["name_ky", "name_ru", "name_en", "kind", "region", "chair", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_of(self, "members").queryset = _organisations()
        choices_of(self, "chair").queryset = _organisations()
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.members.values_list("pk", flat=True))


class MeetingForm(ServiceModelForm):
    attended = forms.ModelMultipleChoiceField(
        label=_("Member organisations present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Record attendance once the meeting has been held."),
    )

    class Meta:
        model = Meeting
        fields = ["date", "place", "status", "agenda", "attended", "others_invited", "minutes"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, body: CoordinationBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_of(self, "attended").queryset = body.members.order_by("code")


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=Organisation.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    action = CodeTitleChoiceField(label=_("Plan action (optional)"), queryset=Action.objects.none(), required=False)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_of(self, "responsible").queryset = _organisations()
        choices_of(self, "action").queryset = _actions(actor)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=DecisionStatus.choices)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ActivityForm(ServiceModelForm):
    action = CodeTitleChoiceField(label=_("Plan action (optional)"), queryset=Action.objects.none(), required=False)

    class Meta:
        model = PartnerActivity
        fields = [
            "title",
            "description",
            "region",
            "starts_on",
            "ends_on",
            "pillar",
            "action",
            "beneficiaries",
            "women",
            "men",
            "girls",
            "boys",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_of(self, "action").queryset = _actions(actor)
