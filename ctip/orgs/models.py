from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.i18n import in_language
from ctip.orgs.roles import Role


class OrgType(models.TextChoices):
    """HTCDS 2.0 ``org_Type`` values, plus the two kinds of partner the standard does not list."""

    NGO = "NGO", _("Non-governmental organisation")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH = "HealthServiceOrganisation", _("Health service organisation")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government organisation")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government organisation")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    CORPORATE = "CorporateBusiness", _("Corporate business")
    SCHOOL = "SchoolOrCollege", _("School or college")
    INTERNATIONAL = "InternationalOrganisation", _("International organisation")
    DONOR = "Donor", _("Donor")


class Region(models.TextChoices):
    """First-level divisions of the reference deployment (the Kyrgyz Republic)."""

    NATIONAL = "national", _("Whole country")
    BISHKEK = "bishkek", _("Bishkek city")
    OSH_CITY = "osh_city", _("Osh city")
    BATKEN = "batken", _("Batken oblast")
    CHUY = "chuy", _("Chuy oblast")
    ISSYK_KUL = "issyk_kul", _("Issyk-Kul oblast")
    JALAL_ABAD = "jalal_abad", _("Jalal-Abad oblast")
    NARYN = "naryn", _("Naryn oblast")
    OSH = "osh", _("Osh oblast")
    TALAS = "talas", _("Talas oblast")


class Organisation(models.Model):
    code = models.SlugField(
        _("short code"),
        max_length=32,
        unique=True,
        help_text=_("Latin letters, digits, hyphens and underscores, e.g. mvd or unodc."),
    )
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    org_type = models.CharField(_("type"), max_length=40, choices=OrgType.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, default=Region.NATIONAL)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(Lower("code"), name="orgs_organisation_code_ci_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language, falling back to English."""
        return in_language(self, "name")


class Membership(models.Model):
    """A user acting for an organisation. Everything a user may do is decided by their active membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint("user", "organisation", name="orgs_membership_user_org_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.code}"

    @property
    def role_set(self) -> frozenset[str]:
        """Return the membership's roles; uses prefetched roles when present."""
        return frozenset(r.role for r in self.roles.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint("membership", "role", name="orgs_membershiprole_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="orgs_membershiprole_valid"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class Invitation(models.Model):
    """An organisation's offer of membership to a person who already has an account; it binds only once accepted.

    An organisation administrator cannot simply attach someone else's existing account to their organisation: that
    would let them act in that person's name and hand them roles they never asked for. The person answers here.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    roles = models.JSONField(_("roles"), default=list)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "organisation",
                condition=models.Q(status="pending"),
                name="orgs_invitation_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="orgs_invitation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation.code} ({self.status})"

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]
