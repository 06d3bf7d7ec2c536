"""Forms of the case pages. They check the shape of the input; the services check the rules and have the last word."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.cases import vocab
from ctip.cases.selectors import CaseFilters
from ctip.cases.services import DOCUMENT_RULE, MAX_DOCUMENT_BYTES, ChildSafeguards, PersonData
from ctip.cases.vocab import Exploitation, NrmStatus
from ctip.orgs.models import Organisation, OrgType, Region

# Languages consent is explained in: the deployment's, and those of the region's migrants.


def _any(choices: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", _("All")), *choices]


def _blank(choices: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", "—"), *choices]


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _datetime(**kwargs: Any) -> forms.DateTimeField:
    # A browser sends local time (Asia/Bishkek by default); Django makes it aware in the current time zone.
    return forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), **kwargs
    )


def _checkboxes(choices: Sequence[tuple[str, object]], label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class CodeListField(forms.CharField):
    """Codes separated by commas or spaces ("KG, RU"); the service checks each one."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part for part in text.replace(",", " ").split() if part]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value


def _partners(actor_org_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).exclude(pk=actor_org_id).order_by("code")


class CaseFilterForm(forms.Form):
    """The filters of the case list (a GET form: a filtered list can be bookmarked)."""

    status = forms.ChoiceField(label=_("NRM status"), choices=_any(NrmStatus.choices), required=False)
    exploitation = forms.ChoiceField(
        label=_("Form of exploitation"), choices=_any(Exploitation.choices), required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=_any(Region.choices), required=False)
    deadline_before = _date(label=_("Reflection period ends by"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def filters(self) -> CaseFilters:
        data = self.cleaned_data
        return CaseFilters(
            status=data.get("status") or "",
            exploitation=data.get("exploitation") or "",
            region=data.get("region") or "",
            deadline_before=data.get("deadline_before"),
        )


# --- Opening a case -----------------------------------------------------------------------------------------------


class CaseOpenForm(forms.Form):
    """Who the person is (kept encrypted), how the case came in, and a child's safeguards."""

    name_original = forms.CharField(
        label=_("Name as the person writes it"), max_length=300, help_text=_("In Kyrgyz or Russian Cyrillic.")
    )
    name_latin = forms.CharField(label=_("Name in Latin script"), max_length=300, required=False)
    gender = forms.ChoiceField(label=_("Sex or gender"), choices=vocab.Gender.choices)
    birth_date = _date(label=_("Date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Approximate year of birth"), required=False, help_text=_("When the exact date is not known.")
    )
    citizenships = CodeListField(
        label=_("Citizenships"), required=False, help_text=_("Country codes separated by commas, e.g. KG, RU.")
    )
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=_blank(vocab.DocumentType.choices), required=False
    )
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    languages = CodeListField(
        label=_("Languages"), required=False, help_text=_("Language codes separated by commas, e.g. ky, ru.")
    )
    education = forms.ChoiceField(
        label=_("Highest level of education"), choices=_blank(vocab.Education.choices), required=False
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=_blank(vocab.MaritalStatus.choices), required=False
    )
    children = forms.IntegerField(label=_("Number of children"), required=False, min_value=0, max_value=30)
    intake_channel = forms.ChoiceField(label=_("How the case came in"), choices=vocab.IntakeChannel.choices)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    is_child = forms.BooleanField(
        label=_("The person is, or may be, a child"),
        required=False,
        help_text=_("If the age is uncertain and the person may be a child, treat them as a child."),
    )
    age_at_recruitment = forms.IntegerField(label=_("Age at recruitment"), required=False, min_value=0, max_value=120)
    unaccompanied = forms.NullBooleanField(label=_("Unaccompanied"), required=False)
    guardian = forms.CharField(label=_("Parent or guardian"), max_length=300, required=False)
    child_protection_notified_at = _datetime(label=_("Child-protection body notified at"), required=False)
    child_protection_body = forms.CharField(label=_("Child-protection body"), max_length=200, required=False)

    def person(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            name_original=data["name_original"],
            name_latin=data["name_latin"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            birth_year=data["birth_year"],
            citizenships=data["citizenships"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            phone=data["phone"],
            address=data["address"],
            languages=data["languages"],
            education=data["education"],
            marital_status=data["marital_status"],
            children=data["children"],
        )

    def child(self) -> ChildSafeguards:
        data = self.cleaned_data
        return ChildSafeguards(
            is_child=data["is_child"],
            age_at_recruitment=data["age_at_recruitment"],
            unaccompanied=data["unaccompanied"],
            guardian=data["guardian"],
            notified_at=data["child_protection_notified_at"],
            body=data["child_protection_body"],
        )


class ChildNoticeForm(forms.Form):
    notified_at = _datetime(label=_("Child-protection body notified at"))
    body = forms.CharField(label=_("Child-protection body"), max_length=200)


# --- The case's description, status and decision ------------------------------------------------------------------


class ProfileForm(forms.Form):
    """The description of the case: forms of exploitation, sectors, how the person was recruited and controlled."""

    exploitation = _checkboxes(vocab.Exploitation.choices, _("Forms of exploitation"))
    sectors = _checkboxes(vocab.Sector.choices, _("Sectors"))
    recruitment_methods = _checkboxes(vocab.Recruitment.choices, _("Methods of recruitment"))
    means_of_control = _checkboxes(vocab.MeansOfControl.choices, _("Means of control"))
    country_of_origin = forms.CharField(
        label=_("Country of origin"), max_length=2, required=False, help_text=_("Country code, e.g. KG.")
    )
    countries_of_transit = CodeListField(label=_("Countries of transit"), required=False)
    countries_of_exploitation = CodeListField(
        label=_("Countries of exploitation"),
        required=False,
        help_text=_("The country of origin here too when the person was exploited at home."),
    )
    relationship_to_recruiter = forms.ChoiceField(
        label=_("Relationship to the recruiter"), choices=_blank(vocab.RelationshipToRecruiter.choices), required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    age_at_recruitment = forms.IntegerField(label=_("Age at recruitment"), required=False, min_value=0, max_value=120)
    unaccompanied = forms.NullBooleanField(label=_("Unaccompanied"), required=False)

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PresumeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasonable grounds"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What makes the person a presumed victim (for example the screening's indicators)."),
    )
    on = _date(label=_("Presumed on"), initial=timezone.localdate)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=vocab.DecisionOutcome.choices, widget=forms.RadioSelect)
    decided_on = _date(label=_("Date of the decision"), initial=timezone.localdate)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closure"), choices=vocab.ClosureReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_until = _date(
        label=_("Follow up until"), required=False, help_text=_("Leave empty to close without follow-up.")
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see who the person is?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your reason is kept in the audit trail."),
    )


# --- Consent, referrals, shares -----------------------------------------------------------------------------------


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=vocab.ConsentPurpose.choices)
    organisation = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required for a referral; for law enforcement, leave empty to cover any police body."),
    )
    covers_identity = forms.BooleanField(label=_("The recipient may see who the person is"), required=False)
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=vocab.ConsentBy.choices, widget=forms.RadioSelect, initial="person"
    )
    language = forms.ChoiceField(label=_("Language it was explained in"), choices=vocab.explanation_languages)

    def __init__(self, *args: Any, owner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _partners(owner_id)  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Refer to"), queryset=Organisation.objects.none())
    services = forms.MultipleChoiceField(
        label=_("Services requested"), choices=vocab.Service.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.ChoiceField(label=_("Reason for the referral"), choices=vocab.ReferralReason.choices)
    override_reason = forms.CharField(
        label=_("Legal basis instead of consent (supervisors only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person has not consented to this organisation, e.g. child protection."),
    )

    def __init__(self, *args: Any, owner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = _partners(owner_id)  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=1000)


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Law-enforcement body"), queryset=Organisation.objects.none())
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.ChoiceField(label=_("Scope"), choices=vocab.ShareScope.choices)
    expires_at = _datetime(label=_("Expires at"))
    override_reason = forms.CharField(
        label=_("Legal basis instead of consent (supervisors only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, owner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        police = _partners(owner_id).filter(org_type=OrgType.LAW_ENFORCEMENT)
        self.fields["organisation"].queryset = police  # type: ignore[attr-defined]


# --- Services, shelter, notes, documents --------------------------------------------------------------------------


class ServiceRecordForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=vocab.Service.choices)
    started_on = _date(label=_("Started on"), initial=timezone.localdate)
    ended_on = _date(label=_("Until"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=vocab.ServiceOutcome.choices)


class ShelterForm(forms.Form):
    started_on = _date(label=_("Stay starts on"), initial=timezone.localdate)


class ShelterExtendForm(forms.Form):
    until = _date(label=_("Extend until"))
    reason = forms.CharField(label=_("Reason for the extension"), max_length=1000)


class AppealForm(forms.Form):
    lodged_on = _date(label=_("Appeal lodged on"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Who appealed, and to whom"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    shared = forms.BooleanField(label=_("Share with the organisations this case is referred to"), required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, plain text, DOCX, XLSX, ODT or ODS, up to 20 MB. It is stored encrypted."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_RULE.accept_attribute()}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Transfer to"), queryset=Organisation.objects.none())
    override_reason = forms.CharField(
        label=_("Legal basis instead of consent (supervisors only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the person has not consented to a referral to this organisation. Never write the "
            "person's name here."
        ),
    )

    def __init__(self, *args: Any, owner_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Organisation.objects.filter(is_active=True).exclude(pk=owner_id).order_by("code")
        self.fields["to_organisation"].queryset = partners  # type: ignore[attr-defined]
