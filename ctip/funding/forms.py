"""Forms of the funding pages; the services validate again and own the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.forms import DATE, CodeTitleChoiceField, ServiceModelForm, choices_of
from ctip.funding.models import Commitment
from ctip.orgs.models import Organisation, OrgType
from ctip.plans.models import Action, Program


class CommitmentForm(ServiceModelForm):
    class Meta:
        model = Commitment
        fields = ["program", "donor", "implementer", "title", "amount", "currency", "starts_on", "ends_on", "status"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Organisation.objects.filter(is_active=True).order_by("code")
        # Donors are usually donor agencies or international organisations; any active organisation may be one.
        choices_of(self, "donor").queryset = active
        self.fields["donor"].help_text = _("Usually of type %(donor)s or %(intl)s.") % {
            "donor": OrgType.DONOR.label,
            "intl": OrgType.INTERNATIONAL.label,
        }
        choices_of(self, "implementer").queryset = active
        choices_of(self, "program").queryset = Program.objects.order_by("-starts_on")


class AllocationForm(forms.Form):
    action = CodeTitleChoiceField(label=_("Action"), queryset=Action.objects.none())
    amount = forms.DecimalField(label=_("Allocated amount"), max_digits=16, decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_of(self, "action").queryset = Action.objects.filter(program=program).order_by("code")


class DisbursementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
