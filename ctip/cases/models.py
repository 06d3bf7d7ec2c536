"""The National Referral Mechanism: persons, victim cases and everything done for them.

A person's identity lives only in ``Person`` (encrypted columns, blind indexes for exact look-up). Everywhere else,
including the audit trail, a person appears by the pseudonymous case code. Rows are written only by
``ctip.cases.services``; who may read what is decided in ``ctip.cases.access``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.cases import vocab
from ctip.crypto.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    normalize_document,
    normalize_phone,
)
from ctip.orgs.models import Membership, Organisation, Region


def _in(field: str, values: list[str]) -> models.Q:
    return models.Q(**{f"{field}__in": values})


class CaseCounter(models.Model):
    """The last case number given in a year; its row is locked while the next number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Person(models.Model):
    """Who the person is. Every identifying column is encrypted; nothing here is ever listed or exported."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    name_original = EncryptedTextField(_("name as written"), help_text=_("In Kyrgyz or Russian Cyrillic."))
    name_latin = EncryptedTextField(_("name in Latin script"), blank=True, default="")
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_year = EncryptedTextField(_("approximate year of birth"), blank=True, default="")
    # Kept in the clear on purpose: the statistics every report needs are by sex (UNODC GLOTIP, U.S. TIP report),
    # and on its own it identifies no one.
    gender = models.CharField(_("sex or gender"), max_length=30, choices=vocab.Gender.choices)
    citizenships = EncryptedJSONField(_("citizenships"), default=list, blank=True)
    document_type = EncryptedTextField(_("identity document"), blank=True, default="")
    document_number = EncryptedTextField(_("document number"), blank=True, default="")
    document_bidx = BlindIndexField(source="document_number", normalizer=normalize_document)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    phone_bidx = BlindIndexField(source="phone", normalizer=normalize_phone)
    address = EncryptedTextField(_("address"), blank=True, default="")
    languages = EncryptedJSONField(_("languages"), default=list, blank=True)
    education = EncryptedTextField(_("highest level of education"), blank=True, default="")
    marital_status = EncryptedTextField(_("marital status"), blank=True, default="")
    children = EncryptedTextField(_("number of children"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [models.CheckConstraint(condition=_in("gender", vocab.Gender.values), name="cases_person_gender")]

    def __str__(self) -> str:
        return f"person {self.pk}"  # never the name: this string ends up in logs and admin messages


class VictimCase(models.Model):
    """One person's path through the referral mechanism, owned by one organisation."""

    code = models.CharField(_("case code"), max_length=20, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person"))
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="victim_cases", verbose_name=_("owner")
    )
    case_worker = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("case worker")
    )
    status = models.CharField(
        _("NRM status"), max_length=20, choices=vocab.NrmStatus.choices, default=vocab.NrmStatus.POTENTIAL
    )
    state = models.CharField(
        _("case state"), max_length=20, choices=vocab.CaseState.choices, default=vocab.CaseState.ACTIVE
    )
    intake_channel = models.CharField(_("how the case came in"), max_length=20, choices=vocab.IntakeChannel.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    screenings = models.ManyToManyField(
        "screening.Screening", blank=True, related_name="victim_cases", verbose_name=_("screenings")
    )
    # Multi-valued picklists that are read with the case, not filtered on (exploitation is: see CaseExploitation).
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
    countries_of_transit = models.JSONField(_("countries of transit"), default=list, blank=True)
    countries_of_exploitation = models.JSONField(_("countries of exploitation"), default=list, blank=True)
    internal_trafficking = models.BooleanField(_("internal trafficking"), default=False)
    relationship_to_recruiter = models.CharField(
        _("relationship to the recruiter"), max_length=20, choices=vocab.RelationshipToRecruiter.choices, blank=True
    )
    # Child safeguards. A child's case can do nothing else until the child-protection body has been notified.
    is_child = models.BooleanField(_("a child"), default=False)
    age_at_recruitment = models.PositiveSmallIntegerField(_("age at recruitment"), null=True, blank=True)
    unaccompanied = models.BooleanField(_("unaccompanied"), null=True, blank=True)
    guardian = EncryptedTextField(_("guardian"), blank=True, default="")
    child_protection_notified_at = models.DateTimeField(_("child-protection body notified at"), null=True, blank=True)
    child_protection_body = models.CharField(_("child-protection body"), max_length=200, blank=True)
    # Dates of the ladder and the deadlines they start.
    presumed_on = models.DateField(_("presumed on"), null=True, blank=True)
    identified_on = models.DateField(_("decided on"), null=True, blank=True)
    reflection_ends_on = models.DateField(_("recovery and reflection period ends on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=30, choices=vocab.ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closure note"), blank=True, default="")
    follow_up_until = models.DateField(_("follow-up until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("victim case")
        verbose_name_plural = _("victim cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status", "-created_at"], name="cases_owner_status_created"),
            models.Index(fields=["owner", "-created_at"], name="cases_owner_created"),
            models.Index(fields=["owner", "region", "-created_at"], name="cases_owner_region_created"),
            models.Index(fields=["owner", "reflection_ends_on"], name="cases_owner_reflection"),
            models.Index(fields=["case_worker", "reflection_ends_on"], name="cases_worker_reflection"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in("status", vocab.NrmStatus.values), name="cases_case_status"),
            models.CheckConstraint(condition=_in("state", vocab.CaseState.values), name="cases_case_state"),
            models.CheckConstraint(condition=_in("region", Region.values), name="cases_case_region"),
            models.CheckConstraint(
                condition=_in("intake_channel", vocab.IntakeChannel.values), name="cases_case_intake"
            ),
            models.CheckConstraint(
                condition=models.Q(closure_reason="") | _in("closure_reason", vocab.ClosureReason.values),
                name="cases_case_closure_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(age_at_recruitment__isnull=True) | models.Q(age_at_recruitment__lte=120),
                name="cases_case_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.state in (vocab.CaseState.CLOSED, vocab.CaseState.CLOSED_REFERRED)

    @property
    def awaits_child_notice(self) -> bool:
        return self.is_child and self.child_protection_notified_at is None


class CaseExploitation(models.Model):
    """A form of exploitation of a case: a row each, so that lists filter on it through an index."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="exploitations")
    type = models.CharField(_("form of exploitation"), max_length=40, choices=vocab.Exploitation.choices)

    class Meta:
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")
        indexes = [models.Index(fields=["type", "case"], name="cases_exploitation_type")]
        constraints = [
            models.UniqueConstraint("case", "type", name="cases_exploitation_unique"),
            models.CheckConstraint(condition=_in("type", vocab.Exploitation.values), name="cases_exploitation_valid"),
        ]

    def __str__(self) -> str:
        return self.type


class StatusChange(models.Model):
    """One step on the status ladder: from, to, when, by whom, why."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(_("previous status"), max_length=20, choices=vocab.NrmStatus.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=20, choices=vocab.NrmStatus.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"), blank=True, default="")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_status", "at"], name="cases_statuschange_to_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class IdentificationDecision(models.Model):
    """The competent body's formal decision. The screening result only ever supports it."""

    case = models.ForeignKey(VictimCase, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=vocab.DecisionOutcome.choices)
    decided_on = models.DateField(_("date of the decision"))
    reasons = EncryptedTextField(_("reasons"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by (body)")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    appeal_lodged_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    appeal_note = EncryptedTextField(_("appeal"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["outcome", "decided_on"], name="cases_decision_outcome_on")]
        constraints = [
            models.CheckConstraint(
                condition=_in("outcome", vocab.DecisionOutcome.values), name="cases_decision_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class Consent(models.Model):
    """The person's consent to one purpose (for a referral or a share: to one named organisation)."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=vocab.ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recipient")
    )
    covers_identity = models.BooleanField(_("the recipient may see the identity"), default=False)
    given_by = models.CharField(_("given by"), max_length=10, choices=vocab.ConsentBy.choices)
    language = models.CharField(_("language it was explained in"), max_length=35)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_in("purpose", vocab.ConsentPurpose.values), name="cases_consent_purpose"),
            models.CheckConstraint(condition=_in("given_by", vocab.ConsentBy.values), name="cases_consent_by"),
            models.CheckConstraint(
                condition=~models.Q(purpose=vocab.ConsentPurpose.REFERRAL) | models.Q(organisation__isnull=False),
                name="cases_consent_referral_names_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def language_label(self) -> str:
        return dict(vocab.explanation_languages()).get(self.language, self.language)


class ServiceOffer(models.Model):
    """The service directory: an organisation gives a service in a region."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_offers")
    service = models.CharField(_("service"), max_length=30, choices=vocab.Service.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("service directory")
        indexes = [models.Index(fields=["service", "region"], name="cases_offer_service_region")]
        constraints = [
            models.UniqueConstraint("organisation", "service", "region", name="cases_offer_unique"),
            models.CheckConstraint(condition=_in("service", vocab.Service.values), name="cases_offer_service"),
            models.CheckConstraint(condition=_in("region", Region.values), name="cases_offer_region"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.service} in {self.region}"


class Referral(models.Model):
    """A request from the owner to another organisation to give services to the person."""

    case = models.ForeignKey(VictimCase, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received")
    status = models.CharField(
        _("status"), max_length=10, choices=vocab.ReferralStatus.choices, default=vocab.ReferralStatus.SENT
    )
    reason = models.CharField(_("reason for referral"), max_length=40, choices=vocab.ReferralReason.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    # Without consent: a supervisor's recorded legal basis (e.g. child protection).
    override_reason = EncryptedTextField(_("legal basis"), blank=True, default="")
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = EncryptedTextField(_("reason for rejection"), blank=True, default="")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("revoked or ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=vocab.EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "-sent_at"], name="cases_referral_inbox"),
            models.Index(fields=["from_organisation", "status", "-sent_at"], name="cases_referral_outbox"),
            models.Index(fields=["case", "status"], name="cases_referral_case_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in("status", vocab.ReferralStatus.values), name="cases_referral_status"),
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | models.Q(override_by__isnull=False),
                name="cases_referral_consent_or_legal_basis",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")), name="cases_referral_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in vocab.ACTIVE_REFERRAL


class ReferralService(models.Model):
    """A service a referral asks for."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=30, choices=vocab.Service.choices)

    class Meta:
        verbose_name = _("service requested")
        verbose_name_plural = _("services requested")
        constraints = [
            models.UniqueConstraint("referral", "service", name="cases_referralservice_unique"),
            models.CheckConstraint(condition=_in("service", vocab.Service.values), name="cases_referralservice_valid"),
        ]

    def __str__(self) -> str:
        return self.service


class ServiceRecord(models.Model):
    """A service given to the person, by the owner or by the receiver of a referral."""

    case = models.ForeignKey(VictimCase, on_delete=models.PROTECT, related_name="services_given")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.CharField(_("service"), max_length=30, choices=vocab.Service.choices)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=vocab.ServiceOutcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=_in("service", vocab.Service.values), name="cases_servicerecord_service"),
            models.CheckConstraint(
                condition=_in("outcome", vocab.ServiceOutcome.values), name="cases_servicerecord_outcome"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="cases_servicerecord_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.service


class DeadlineReminder(models.Model):
    """That a case worker was reminded of one deadline of one case, so the daily run never mails it twice."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("deadline"), max_length=20)  # "reflection" or "shelter"
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint("case", "kind", "due_on", name="cases_reminder_once"),
            models.CheckConstraint(condition=_in("kind", ["reflection", "shelter"]), name="cases_reminder_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_on}"


class ShelterStay(models.Model):
    """A stay in a shelter, with the day it ends; extending it needs a reason (ShelterExtension)."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="shelter_stays")
    shelter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("until"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        indexes = [models.Index(fields=["left_on", "ends_on"], name="cases_stay_open_ends")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("started_on")), name="cases_stay_dates")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.started_on}–{self.ends_on}"


class ShelterExtension(models.Model):
    stay = models.ForeignKey(ShelterStay, on_delete=models.CASCADE, related_name="extensions")
    previous_end = models.DateField()
    new_end = models.DateField()
    reason = EncryptedTextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extension of a shelter stay")
        verbose_name_plural = _("extensions of shelter stays")

    def __str__(self) -> str:
        return f"{self.previous_end} → {self.new_end}"


class Share(models.Model):
    """Read access for a law-enforcement organisation, for a purpose, to a scope, until it expires or consent ends."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_shares")
    purpose = EncryptedTextField(_("purpose"))
    scope = models.CharField(_("scope"), max_length=20, choices=vocab.ShareScope.choices)
    expires_at = models.DateTimeField(_("expires at"))
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="shares")
    override_reason = EncryptedTextField(_("legal basis"), blank=True, default="")
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=vocab.EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("share with law enforcement")
        verbose_name_plural = _("shares with law enforcement")
        indexes = [models.Index(fields=["organisation", "ended_at", "expires_at"], name="cases_share_holder")]
        constraints = [
            models.CheckConstraint(condition=_in("scope", vocab.ShareScope.values), name="cases_share_scope"),
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | models.Q(override_by__isnull=False),
                name="cases_share_consent_or_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"share {self.pk}"


class OwnershipTransfer(models.Model):
    """Handing the case to another organisation: proposed by the owner, effective only when the receiver accepts."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_transfers_in")
    status = models.CharField(
        max_length=10, choices=vocab.TransferStatus.choices, default=vocab.TransferStatus.PROPOSED
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_reason = EncryptedTextField(_("legal basis"), blank=True, default="")
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transfer of ownership")
        verbose_name_plural = _("transfers of ownership")
        indexes = [models.Index(fields=["to_organisation", "status"], name="cases_transfer_inbox")]
        constraints = [
            models.CheckConstraint(condition=_in("status", vocab.TransferStatus.values), name="cases_transfer_status"),
            models.UniqueConstraint(
                "case", condition=models.Q(status="proposed"), name="cases_transfer_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk}"


class CaseNote(models.Model):
    """A note by the owner; seen by receivers of active referrals only when shared."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    shared = models.BooleanField(_("shared with receiving organisations"), default=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class CaseDocument(models.Model):
    """A file kept encrypted on disk under a random name; the database keeps its encrypted title and the name."""

    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="documents")
    title = EncryptedTextField(_("title"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"document {self.pk}"
