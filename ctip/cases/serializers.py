"""The API's view of victim cases. Cases appear by code; the identity only through the reveal endpoint.

Input serializers check only the shape of a request (types, dates, known organisations); the services decide
everything else, so the API refuses exactly what the pages refuse.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ctip.cases import vocab
from ctip.cases.models import (
    Consent,
    IdentificationDecision,
    Person,
    Referral,
    ServiceRecord,
    Share,
    VictimCase,
)
from ctip.orgs.models import Organisation, Region


def _org_field(**kwargs: Any) -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True), **kwargs
    )


def _org_code(**kwargs: Any) -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


# --- Output -------------------------------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer[VictimCase]):
    """A list row: plain columns only, no names."""

    class Meta:
        model = VictimCase
        fields = [
            "id",
            "code",
            "status",
            "state",
            "region",
            "intake_channel",
            "is_child",
            "presumed_on",
            "reflection_ends_on",
            "created_at",
        ]
        read_only_fields = fields


class CaseDetailSerializer(serializers.ModelSerializer[VictimCase]):
    owner = _org_code()
    case_worker = serializers.EmailField(source="case_worker.user.email", read_only=True, default=None)
    exploitation = serializers.SerializerMethodField()
    screenings = serializers.SerializerMethodField()

    class Meta:
        model = VictimCase
        fields = [
            *CaseListSerializer.Meta.fields,
            "owner",
            "case_worker",
            "exploitation",
            "sectors",
            "recruitment_methods",
            "means_of_control",
            "country_of_origin",
            "countries_of_transit",
            "countries_of_exploitation",
            "internal_trafficking",
            "relationship_to_recruiter",
            "age_at_recruitment",
            "unaccompanied",
            "child_protection_notified_at",
            "child_protection_body",
            "identified_on",
            "closed_at",
            "closure_reason",
            "follow_up_until",
            "screenings",
        ]
        read_only_fields = fields

    def get_exploitation(self, obj: VictimCase) -> list[str]:
        return sorted(e.type for e in obj.exploitations.all())

    def get_screenings(self, obj: VictimCase) -> list[str]:
        """The references (SCR-…) of the linked screenings: decision support, never the decision."""
        return sorted(obj.screenings.values_list("reference", flat=True))


class IdentitySerializer(serializers.ModelSerializer[Person]):
    """The identity, returned only by the reveal endpoint (audited with its reason)."""

    class Meta:
        model = Person
        fields = [
            "name_original",
            "name_latin",
            "birth_date",
            "birth_year",
            "gender",
            "citizenships",
            "document_type",
            "document_number",
            "phone",
            "address",
            "languages",
            "education",
            "marital_status",
            "children",
        ]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    organisation = _org_code(allow_null=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "organisation",
            "covers_identity",
            "given_by",
            "language",
            "given_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    case = serializers.CharField(source="case.code", read_only=True)
    case_id = serializers.IntegerField(read_only=True)
    from_organisation = _org_code()
    to_organisation = _org_code()
    services = serializers.SerializerMethodField()
    on_consent = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "case_id",
            "from_organisation",
            "to_organisation",
            "status",
            "reason",
            "services",
            "on_consent",
            "sent_at",
            "responded_at",
            "rejection_reason",
            "done_at",
            "ended_at",
            "end_reason",
        ]
        read_only_fields = fields

    def get_services(self, obj: Referral) -> list[str]:
        return sorted(s.service for s in obj.services.all())

    def get_on_consent(self, obj: Referral) -> bool:
        """False: sent on a supervisor's recorded legal basis instead of consent."""
        return obj.consent_id is not None


class ServiceRecordSerializer(serializers.ModelSerializer[ServiceRecord]):
    provider = _org_code()

    class Meta:
        model = ServiceRecord
        fields = ["id", "service", "provider", "started_on", "ended_on", "outcome", "referral", "recorded_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer[IdentificationDecision]):
    organisation = _org_code()

    class Meta:
        model = IdentificationDecision
        fields = ["id", "outcome", "decided_on", "organisation", "appeal_lodged_on", "created_at"]
        read_only_fields = fields


class ShareSerializer(serializers.ModelSerializer[Share]):
    organisation = _org_code()
    on_consent = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = ["id", "organisation", "scope", "expires_at", "on_consent", "created_at", "ended_at", "end_reason"]
        read_only_fields = fields

    def get_on_consent(self, obj: Share) -> bool:
        return obj.consent_id is not None


# --- Input --------------------------------------------------------------------------------------------------------


class PersonInputSerializer(serializers.Serializer[Any]):
    name_original = serializers.CharField(max_length=300)
    gender = serializers.ChoiceField(choices=vocab.Gender.choices)
    name_latin = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    citizenships = serializers.ListField(child=serializers.CharField(max_length=2), required=False, default=list)
    document_type = serializers.CharField(required=False, default="", allow_blank=True)
    document_number = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=35), required=False, default=list)
    education = serializers.CharField(required=False, default="", allow_blank=True)
    marital_status = serializers.CharField(required=False, default="", allow_blank=True)
    children = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)


class ChildInputSerializer(serializers.Serializer[Any]):
    is_child = serializers.BooleanField(required=False, default=False)
    age_at_recruitment = serializers.IntegerField(required=False, allow_null=True, default=None)
    unaccompanied = serializers.BooleanField(required=False, allow_null=True, default=None)
    guardian = serializers.CharField(required=False, default="", allow_blank=True)
    notified_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    body = serializers.CharField(required=False, default="", allow_blank=True)


class CaseCreateSerializer(serializers.Serializer[Any]):
    person = PersonInputSerializer()
    intake_channel = serializers.ChoiceField(choices=vocab.IntakeChannel.choices)
    region = serializers.ChoiceField(choices=Region.choices)
    child = ChildInputSerializer(required=False)
    screening = serializers.CharField(required=False, help_text="the reference (SCR-…) of the organisation's screening")


class CaseUpdateSerializer(serializers.Serializer[Any]):
    """Any of the case's description fields; the service checks each value."""

    exploitation = serializers.ListField(child=serializers.CharField(), required=False)
    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    recruitment_methods = serializers.ListField(child=serializers.CharField(), required=False)
    means_of_control = serializers.ListField(child=serializers.CharField(), required=False)
    country_of_origin = serializers.CharField(required=False, allow_blank=True)
    countries_of_transit = serializers.ListField(child=serializers.CharField(), required=False)
    countries_of_exploitation = serializers.ListField(child=serializers.CharField(), required=False)
    relationship_to_recruiter = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False)
    age_at_recruitment = serializers.IntegerField(required=False, allow_null=True)
    unaccompanied = serializers.BooleanField(required=False, allow_null=True)
    guardian = serializers.CharField(required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, help_text="why; kept in the audit trail: no names")


class PresumeSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class ChildNoticeSerializer(serializers.Serializer[Any]):
    notified_at = serializers.DateTimeField()
    body = serializers.CharField(max_length=200)


class ConsentInputSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=vocab.ConsentPurpose.choices)
    given_by = serializers.ChoiceField(choices=vocab.ConsentBy.choices)
    language = serializers.CharField(max_length=35)
    organisation = _org_field(required=False, allow_null=True, default=None)
    covers_identity = serializers.BooleanField(required=False, default=False)
    given_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ReferralInputSerializer(serializers.Serializer[Any]):
    to_organisation = _org_field()
    services = serializers.ListField(child=serializers.CharField())
    reason = serializers.ChoiceField(
        choices=vocab.ReferralReason.choices, default=vocab.ReferralReason.ADDITIONAL_SERVICES
    )
    consent = serializers.IntegerField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="a supervisor's legal basis, without consent"
    )


class ServiceInputSerializer(serializers.Serializer[Any]):
    service = serializers.ChoiceField(choices=vocab.Service.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=vocab.ServiceOutcome.choices)


class DecisionInputSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=vocab.DecisionOutcome.choices)
    decided_on = serializers.DateField()
    reasons = serializers.CharField(max_length=10000)


class AppealInputSerializer(serializers.Serializer[Any]):
    lodged_on = serializers.DateField()
    note = serializers.CharField(max_length=5000, help_text="who appealed and to whom")


class ShareInputSerializer(serializers.Serializer[Any]):
    organisation = _org_field()
    purpose = serializers.CharField(max_length=2000)
    scope = serializers.ChoiceField(choices=vocab.ShareScope.choices)
    expires_at = serializers.DateTimeField()
    consent = serializers.IntegerField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(required=False, default="", allow_blank=True)


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=vocab.ClosureReason.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    follow_up_until = serializers.DateField(required=False, allow_null=True, default=None)


class ExportInputSerializer(ReasonSerializer):
    format = serializers.ChoiceField(choices=[("json", "JSON"), ("pdf", "PDF")], default="json")


class ErasureSerializer(serializers.Serializer[Any]):
    cases = serializers.ListField(child=serializers.CharField())
    notes_deleted = serializers.IntegerField()
    documents_deleted = serializers.IntegerField()
    referrals_ended = serializers.ListField(child=serializers.IntegerField())
    shares_ended = serializers.ListField(child=serializers.IntegerField())
