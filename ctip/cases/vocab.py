"""The words a victim case is recorded in.

Where the Human Trafficking Case Data Standard has a picklist, the stored values are its ``value_name`` exactly
(source: HTCDS 2.0, ``htcds_picklists_2.0.csv``, field named in each class docstring), so exports need no mapping.
Values HTCDS lacks are added in the same CamelCase style and say so.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """HTCDS 2.0 ``prs_Gender``."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified or unknown")


class MaritalStatus(models.TextChoices):
    """HTCDS 2.0 ``prs_MaritalStatus``."""

    SINGLE = "Single", _("Single")
    MARRIED = "Married", _("Married")
    WIDOWED = "Widowed", _("Widowed")
    DIVORCED = "Divorced", _("Divorced")
    SEPARATED = "Separated", _("Separated")
    REGISTERED_PARTNERSHIP = "RegisteredPartnership", _("Registered partnership")


class Education(models.TextChoices):
    """HTCDS 2.0 ``prs_HighestLevelOfEducation`` (ISCED 2011 levels)."""

    EARLY_CHILDHOOD = "EarlyChildhoodEducation", _("Early childhood education")
    PRIMARY = "PrimaryEducation", _("Primary education")
    LOWER_SECONDARY = "LowerSecondaryEducation", _("Lower secondary education")
    UPPER_SECONDARY = "UpperSecondaryEducation", _("Upper secondary education")
    POST_SECONDARY = "PostSecondaryNonTertiaryEducation", _("Post-secondary non-tertiary education")
    SHORT_TERTIARY = "ShortCycleTertiaryEducation", _("Short-cycle tertiary education")
    BACHELOR = "BachelorsOrEquivalentLevel", _("Bachelor's or equivalent")
    MASTER = "MastersOrEquivalentLevel", _("Master's or equivalent")
    DOCTORAL = "DoctoralOrEquivalentLevel", _("Doctoral or equivalent")


class DocumentType(models.TextChoices):
    """Identity documents seen in the reference deployment (HTCDS keeps only ``prs_IdentityNumber``)."""

    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER = "other", _("Other document")


class NrmStatus(models.TextChoices):
    """The victim status ladder (OSCE usage). HTCDS ``vic_TraffickingStatus`` maps potential and presumed to
    PossibleVictimOfTrafficking, identified to ActualVictimOfTrafficking, not identified to NotAVictimOfTrafficking."""

    POTENTIAL = "potential", _("Potential victim")
    PRESUMED = "presumed", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


HTCDS_TRAFFICKING_STATUS = {
    NrmStatus.POTENTIAL: "PossibleVictimOfTrafficking",
    NrmStatus.PRESUMED: "PossibleVictimOfTrafficking",
    NrmStatus.IDENTIFIED: "ActualVictimOfTrafficking",
    NrmStatus.NOT_IDENTIFIED: "NotAVictimOfTrafficking",
}


class CaseState(models.TextChoices):
    """HTCDS 2.0 ``cas_Status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred")


class ClosureReason(models.TextChoices):
    """Why a case closes. HTCDS 2.0 keeps ``cas_ReasonForCaseClosure`` as free text, so these values are ctip's;
    the free-text note beside them carries the rest."""

    SERVICES_COMPLETED = "ServicesCompleted", _("Assistance completed")
    SOCIALLY_INCLUDED = "SociallyIncluded", _("Socially included")
    RETURNED = "Returned", _("Returned to the country of origin")
    REFERRED_ELSEWHERE = "ReferredElsewhere", _("Referred to another organisation")
    DECLINED_ASSISTANCE = "DeclinedAssistance", _("The person declined further assistance")
    LOST_CONTACT = "LostContact", _("Contact lost")
    NOT_A_VICTIM = "NotAVictim", _("Not a victim of trafficking")
    DECEASED = "Deceased", _("Deceased")
    OTHER = "Other", _("Other")


class IntakeChannel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    POLICE = "police", _("Police")
    NGO = "ngo", _("Non-governmental organisation")
    CONSULATE = "consulate", _("Consulate")
    SELF = "self", _("Self-referral")
    OTHER = "other", _("Other")


class Exploitation(models.TextChoices):
    """HTCDS 2.0 ``vic_TypeOfExploitation`` plus ForcedCriminality, which HTCDS lacks (forced begging, forced
    marriage and organ removal are HTCDS values)."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service (by non-state actors)")
    ORGAN_REMOVAL = "OrganRemoval", _("Removal of organs")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminality")  # not in HTCDS 2.0
    OTHER = "Other", _("Other")


class Sector(models.TextChoices):
    """HTCDS 2.0 ``vic_ForcedLabourIndustry`` (ISIC Rev. 4 sections)."""

    A = "A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("Mining and quarrying")
    C = "C_Manufacturing", _("Manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("Electricity, gas, steam and air conditioning supply")
    E = "E_WaterSupplySewerageWasteManagement", _("Water supply, sewerage and waste management")
    F = "F_Construction", _("Construction")
    G = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("Wholesale and retail trade, repair of vehicles")
    H = "H_TransportationAndStorage", _("Transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("Accommodation and food services")  # noqa: E741
    J = "J_InformationAndCommunication", _("Information and communication")
    K = "K_FinancialAndInsuranceActivities", _("Financial and insurance activities")
    L = "L_RealEstateActivities", _("Real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("Professional, scientific and technical activities")
    N = "N_AdministrativeAndSupportServiceActivities", _("Administrative and support services")
    O = "O_PublicAdministrationAndDefence", _("Public administration and defence")  # noqa: E741
    P = "P_Education", _("Education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("Human health and social work")
    R = "R_ArtsEntertainmentAndRecreation", _("Arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("Other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("Households as employers (domestic work)")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("Extraterritorial organisations")


class Recruitment(models.TextChoices):
    """HTCDS 2.0 ``vic_MethodOfRecruitment``."""

    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    TELEVISION = "ThroughATelevisionAdvert", _("Through a television advertisement")
    NEWSPAPER = "ThroughANewspaperAdvert", _("Through a newspaper advertisement")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class MeansOfControl(models.TextChoices):
    """HTCDS 2.0 ``vic_MethodsOfControl``."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCES = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class RelationshipToRecruiter(models.TextChoices):
    """HTCDS 2.0 ``vic_RelationshipToTrafficker`` (the standard's own spelling of Unaquainted is kept)."""

    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")


class ReferralReason(models.TextChoices):
    """HTCDS 2.0 ``cas_ReasonForOutgoingReferral``."""

    ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("Additional services required")
    MIGRATION = "MigrationOrChangeOfLocation", _("Migration or change of location")
    OTHER = "Other", _("Other")


class Service(models.TextChoices):
    """The service catalogue of the referral mechanism (OSCE/ODIHR NRM handbook, 2022: assistance measures)."""

    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    DOCUMENTS = "documents", _("Identity documents")
    RETURN = "return", _("Return")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    FINANCIAL = "financial", _("Financial help")


class ServiceOutcome(models.TextChoices):
    PROVIDED = "provided", _("Provided")
    ONGOING = "ongoing", _("Ongoing")
    DECLINED = "declined", _("Declined by the person")
    NOT_AVAILABLE = "not_available", _("Not available")


class ConsentPurpose(models.TextChoices):
    PROCESSING = "processing", _("Processing by the owning organisation")
    REFERRAL = "referral", _("Referral to a named organisation")
    LAW_ENFORCEMENT = "law_enforcement", _("Sharing with law enforcement")
    FOLLOW_UP = "follow_up", _("Follow-up contact")
    STATISTICS = "statistics", _("Use in statistics")


class ConsentBy(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("A parent or guardian")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")
    REVOKED = "revoked", _("Revoked")


ACTIVE_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class DecisionOutcome(models.TextChoices):
    IDENTIFIED = "identified", _("Identified as a victim of trafficking")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim of trafficking")


class ShareScope(models.TextChoices):
    CASE = "case", _("The case without the identity")
    CASE_AND_IDENTITY = "case_and_identity", _("The case and the identity")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class EndReason(models.TextChoices):
    """Why a referral or a share ended other than by its own course."""

    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    ENDED_BY_OWNER = "ended_by_owner", _("Ended by the owning organisation")
    OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")


def explanation_languages() -> list[tuple[str, str]]:
    """The languages consent can be explained in: the interface's, and those of the region's migrants."""
    from django.conf import settings

    return [*((code, str(name)) for code, name in settings.LANGUAGES), ("uz", str(_("Uzbek"))), ("tg", str(_("Tajik")))]
