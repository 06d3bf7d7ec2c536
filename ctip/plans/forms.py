"""Forms of the plan's pages: the tree's filters, a progress report, the coordinator's review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ctip.core import metrics
from ctip.orgs.models import Organisation
from ctip.plans.models import (
    NO_REPORT,
    Action,
    Objective,
    Pillar,
    PlanIndicator,
    Program,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
)
from ctip.plans.selectors import TreeFilters


class TreeFilterForm(forms.Form):
    """The plan tree's filters; every one optional, and a bad value is reported rather than ignored."""

    q = forms.CharField(label=_("Code or title"), required=False, max_length=200)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=[("", _("All")), *Pillar.choices])
    organisation = forms.ModelChoiceField(
        label=_("Lead or co-executor"), queryset=Organisation.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (NO_REPORT, _("Nothing reported")), *ProgressStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations
        field.empty_label = _("All")

    def filters(self) -> TreeFilters:
        if not self.is_bound or not self.is_valid():
            return TreeFilters()
        data = self.cleaned_data
        org = data.get("organisation")
        return TreeFilters(
            pillar=data.get("pillar") or "",
            organisation=org.pk if org is not None else None,
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
        )


class ReportForm(forms.Form):
    """An organisation's progress report on one action for one period, with its manual indicators' values."""

    progress = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(
        label=_("Per cent done"), min_value=0, max_value=100, initial=0, help_text=_("A whole number from 0 to 100.")
    )
    narrative = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Say what was done in the period, with numbers and places; this text goes into the national report."
        ),
    )

    def __init__(
        self,
        *args: Any,
        indicators: list[PlanIndicator],
        report: ProgressReport | None = None,
        values: dict[int, Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = {"progress": report.progress, "percent": report.percent, "narrative": report.narrative}
            kwargs["initial"].update({f"v_{pk}": value for pk, value in (values or {}).items()})
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"v_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("Leave empty if there is no value for this period yet."),
            )

    def values(self) -> dict[PlanIndicator, Decimal]:
        return {
            i: self.cleaned_data[f"v_{i.pk}"] for i in self.indicators if self.cleaned_data.get(f"v_{i.pk}") is not None
        }

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"v_{i.pk}"] for i in self.indicators]

    def main_fields(self) -> list[forms.BoundField]:
        return [self["progress"], self["percent"], self["narrative"]]


class ReviewForm(forms.Form):
    """Accept a submitted report, or return it with the reason (required when returning)."""

    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept the report")), (RETURN, _("Return it to the organisation"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Reason for return"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning: say what the organisation must add or correct."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say why the report is returned."))
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_(
            "PDF, DOCX, XLSX, ODT, ODS, JPEG or PNG, at most 10 MB. Do not attach anything that names a victim."
        ),
    )


# --- The coordinator's editing forms: ModelForms for the fields' own validation; the services write. ---------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.ModelForm[Program]):
    class Meta:
        model = Program
        fields = ["title_ky", "title_ru", "title_en", "starts_on", "ends_on", "act_number", "act_date"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "act_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["reminder_days_before"] = forms.IntegerField(
                label=_("Reminder days before the due date"),
                min_value=1,
                max_value=60,
                initial=self.instance.reminder_days_before,
            )

    def _post_clean(self) -> None:
        """Leave the model's own checks to the service, which runs them on the real object under a lock."""


class ObjectiveForm(forms.ModelForm[Objective]):
    class Meta:
        model = Objective
        fields = ["code", "title_ky", "title_ru", "title_en", "position"]

    def _post_clean(self) -> None:
        """The service checks the model (including the unique code) on the object it saves."""


class ActionForm(forms.ModelForm[Action]):
    pillars = forms.MultipleChoiceField(label=_("Pillars"), choices=Pillar.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Action
        fields = [
            "objective",
            "code",
            "title_ky",
            "title_ru",
            "title_en",
            "description_ky",
            "description_ru",
            "description_en",
            "lead",
            "co_executors",
            "partners",
            "starts_on",
            "deadline",
            "expected_result_ky",
            "expected_result_ru",
            "expected_result_en",
            "budget",
            "currency",
            "funding_sources",
        ]
        widgets = {
            "starts_on": DATE,
            "deadline": DATE,
            "co_executors": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "description_ky": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "expected_result_ky": forms.Textarea(attrs={"rows": 2}),
            "expected_result_ru": forms.Textarea(attrs={"rows": 2}),
            "expected_result_en": forms.Textarea(attrs={"rows": 2}),
            "funding_sources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objective: Any = self.fields["objective"]
        objective.queryset = program.objectives.order_by("position", "code")
        active = Organisation.objects.filter(is_active=True).order_by("code")
        for name in ("lead", "co_executors", "partners"):
            field: Any = self.fields[name]
            field.queryset = active
        if self.instance.pk is not None:
            self.fields["objective"].disabled = True  # moving an action between objectives is not offered
            self.initial["pillars"] = list(self.instance.pillars.values_list("pillar", flat=True))

    def _post_clean(self) -> None:
        """The service checks the model (deadline after start, unique code …) on the object it saves."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lead, co = cleaned.get("lead"), cleaned.get("co_executors")
        if lead is not None and co is not None and lead in co:
            self.add_error("co_executors", _("The lead organisation cannot also be a co-executor."))
        return cleaned


class IndicatorForm(forms.ModelForm[PlanIndicator]):
    class Meta:
        model = PlanIndicator
        fields = ["name_ky", "name_ru", "name_en", "unit", "baseline", "target", "direction", "source", "metric_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_name"] = forms.ChoiceField(
            label=_("Metric"),
            required=False,
            choices=[("", "—"), *((name, name) for name in metrics.names())],
            help_text=_("Only for an indicator computed from ctip's data."),
        )

    def _post_clean(self) -> None:
        """The service checks the model (a metric only for a computed indicator …) on the object it saves."""


# --- The dashboard and the national report -------------------------------------------------------------------------


def _period_label(period: ReportingPeriod) -> str:
    start = formats.date_format(period.starts_on, "SHORT_DATE_FORMAT")
    return f"{start} – {formats.date_format(period.ends_on, 'SHORT_DATE_FORMAT')}"


class PeriodForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Reporting period"), coerce=int, required=False, empty_value=None)

    def __init__(self, data: QueryDict | dict[str, Any], *, periods: list[ReportingPeriod], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.periods = {p.pk: p for p in periods}
        field = cast(forms.TypedChoiceField, self.fields["period"])
        field.choices = [(p.pk, _period_label(p)) for p in periods]
        field.error_messages["invalid_choice"] = _(
            "Choose one of this program's reporting periods; %(value)s is not one of them."
        )

    def chosen(self) -> ReportingPeriod | None:
        return self.periods.get(self.cleaned_data["period"]) if self.is_valid() else None


class NationalReportForm(PeriodForm):
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF")), ("docx", _("Word document (DOCX)")), ("xlsx", _("Spreadsheet (XLSX)"))],
    )


# --- The workbook upload -------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Made from the template; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 5 MB.") % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        return upload
