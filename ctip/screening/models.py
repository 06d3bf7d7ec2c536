"""Indicator catalogues (versioned, frozen once used) and the screenings made against them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.i18n import in_language
from ctip.crypto.fields import EncryptedTextField
from ctip.orgs.models import Organisation, Region
from ctip.screening import engine

CATALOGUE_CODE = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*\Z", _("Use lower-case Latin letters, digits, hyphens and underscores (e.g. ilo-2009).")
)
INDICATOR_ID = RegexValidator(
    r"^[a-z0-9_]+(\.[a-z0-9_]+)*\Z",
    _("Use lower-case Latin letters, digits and underscores, in parts separated by dots (e.g. al.dr.wages)."),
)
DIMENSION_LIST = RegexValidator(
    r"^(dr|cr|vr|ex|cd|vd)(,(dr|cr|vr|ex|cd|vd))*\Z",
    _("List dimension codes (dr, cr, vr, ex, cd, vd) separated by commas, e.g. cd,vd."),
)
LANGUAGE_TAG = RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z", _("Use a language code such as ky, ru, en or uz."))
RULE_LIMITS = [MinValueValidator(1), MaxValueValidator(99)]

DEFAULT_CATALOGUE = "ilo-2009"
RULE_FIELDS = (
    "rule_strong",
    "rule_strong_with_other",
    "rule_other_with_strong",
    "rule_medium",
    "rule_medium_with_weak",
    "rule_weak_with_medium",
)
ROLE_FIELDS = ("adult_recruitment", "adult_exploitation", "adult_destination", "child_exploitation")


class IndicatorList(models.TextChoices):
    ADULT_LABOUR = engine.ADULT, _("Adult labour exploitation")
    CHILD_LABOUR = engine.CHILD, _("Child labour exploitation")


class Dimension(models.TextChoices):
    DR = "dr", engine.DIMENSION_LABELS["dr"]
    CR = "cr", engine.DIMENSION_LABELS["cr"]
    VR = "vr", engine.DIMENSION_LABELS["vr"]
    EX = "ex", engine.DIMENSION_LABELS["ex"]
    CD = "cd", engine.DIMENSION_LABELS["cd"]
    VD = "vd", engine.DIMENSION_LABELS["vd"]


class Strength(models.TextChoices):
    STRONG = engine.STRONG, _("Strong")
    MEDIUM = engine.MEDIUM, _("Medium")
    WEAK = engine.WEAK, _("Weak")


class Outcome(models.TextChoices):
    TRAFFICKING_INDICATED = engine.TRAFFICKING_INDICATED, _("Trafficking indicated")
    NOT_INDICATED = engine.NOT_INDICATED, _("Not indicated")


def _in(field: str, values: list[str]) -> models.Q:
    return models.Q(**{f"{field}__in": values})


class IndicatorCatalogue(models.Model):
    """One version of a set of identification criteria and the rules that combine them.

    Frozen (``frozen_at``) when the first screening uses it; from then on neither its rules nor its indicators
    change, so every screening can be re-read against exactly the criteria it was made with.
    """

    code = models.CharField(
        _("code"), max_length=40, validators=[CATALOGUE_CODE], help_text=_("e.g. ilo-2009, or a national code")
    )
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    # The four alternatives that make a dimension positive (README: S>=2, S>=1 and M+W>=1, M>=3, M>=2 and W>=1).
    rule_strong = models.PositiveSmallIntegerField(
        _("positive with at least N strong"), default=2, validators=RULE_LIMITS
    )
    rule_strong_with_other = models.PositiveSmallIntegerField(
        _("or at least N strong …"), default=1, validators=RULE_LIMITS
    )
    rule_other_with_strong = models.PositiveSmallIntegerField(
        _("… and N medium or weak"), default=1, validators=RULE_LIMITS
    )
    rule_medium = models.PositiveSmallIntegerField(_("or at least N medium"), default=3, validators=RULE_LIMITS)
    rule_medium_with_weak = models.PositiveSmallIntegerField(
        _("or at least N medium …"), default=2, validators=RULE_LIMITS
    )
    rule_weak_with_medium = models.PositiveSmallIntegerField(_("… and N weak"), default=1, validators=RULE_LIMITS)
    adult_recruitment = models.CharField(
        _("recruitment dimensions (adults)"), max_length=20, default="dr,cr,vr", validators=[DIMENSION_LIST]
    )
    adult_exploitation = models.CharField(
        _("exploitation dimensions (adults)"), max_length=20, default="ex", validators=[DIMENSION_LIST]
    )
    adult_destination = models.CharField(
        _("destination dimensions (adults)"), max_length=20, default="cd,vd", validators=[DIMENSION_LIST]
    )
    child_exploitation = models.CharField(
        _("exploitation dimensions (children)"), max_length=20, default="ex", validators=[DIMENSION_LIST]
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    RULE_FIELDS = RULE_FIELDS
    ROLE_FIELDS = ROLE_FIELDS

    class Meta:
        verbose_name = _("indicator catalogue")
        verbose_name_plural = _("indicator catalogues")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint("code", "version", name="screening_catalogue_code_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="screening_catalogue_version_positive"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 99}), name=f"screening_catalogue_{f}_range"
                )
                for f in RULE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def title(self) -> str:
        """Return the title in the active language, falling back to English."""
        return in_language(self, "title")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def rules(self) -> engine.Rules:
        return engine.Rules(
            dimension=engine.DimensionRule(
                strong=self.rule_strong,
                strong_with_other=self.rule_strong_with_other,
                other_with_strong=self.rule_other_with_strong,
                medium=self.rule_medium,
                medium_with_weak=self.rule_medium_with_weak,
                weak_with_medium=self.rule_weak_with_medium,
            ),
            adult_recruitment=frozenset(self.adult_recruitment.split(",")),
            adult_exploitation=frozenset(self.adult_exploitation.split(",")),
            adult_destination=frozenset(self.adult_destination.split(",")),
            child_exploitation=frozenset(self.child_exploitation.split(",")),
        )


class Indicator(models.Model):
    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("catalogue")
    )
    code = models.CharField(
        _("indicator id"), max_length=100, validators=[INDICATOR_ID], help_text=_("e.g. al.dr.nature_of_job")
    )
    list = models.CharField(_("list"), max_length=20, choices=IndicatorList.choices)
    dimension = models.CharField(_("dimension"), max_length=2, choices=Dimension.choices)
    strength = models.CharField(_("strength"), max_length=6, choices=Strength.choices)
    label_en = models.CharField(_("label in English"), max_length=300)
    label_ru = models.CharField(_("label in Russian"), max_length=300)
    label_ky = models.CharField(_("label in Kyrgyz"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"), default=True, help_text=_("Checked against the original publication.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # The interview asks in plain words; the label is the indicator's technical name.
    question_en = models.TextField(_("question in English"), blank=True)
    question_ru = models.TextField(_("question in Russian"), blank=True)
    question_ky = models.TextField(_("question in Kyrgyz"), blank=True)
    short = models.BooleanField(
        _("in the short version"), default=False, help_text=_("Asked at first contact (hotline, outreach).")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["catalogue", "position", "code"]
        constraints = [
            models.UniqueConstraint("catalogue", "code", name="screening_indicator_catalogue_code_unique"),
            models.CheckConstraint(condition=_in("list", IndicatorList.values), name="screening_indicator_list_valid"),
            models.CheckConstraint(
                condition=_in("dimension", Dimension.values), name="screening_indicator_dimension_valid"
            ),
            models.CheckConstraint(
                condition=_in("strength", Strength.values), name="screening_indicator_strength_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return in_language(self, "label")

    @property
    def question(self) -> str:
        """Return the plain-language question in the active language (the label when none is written)."""
        return in_language(self, "question", fallback=self.label)

    def definition(self) -> engine.IndicatorDef:
        return engine.IndicatorDef(
            id=self.code,
            list=self.list,
            dimension=self.dimension,
            strength=self.strength,
            label_en=self.label_en,
            label_ru=self.label_ru,
            label_ky=self.label_ky,
            verified=self.verified,
        )


class ScreeningKind(models.TextChoices):
    FULL = "full", _("Full screening")
    SHORT = "short", _("Short screening (first contact)")


class ConsentBy(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("A parent or guardian")


class ScreeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Screening(models.Model):
    """One screening interview of one person, by the organisation that made it. Sensitive: reads are audited.

    Carries no name: the pseudonymous ``reference`` is what the referral mechanism links to a person and a case.
    The result is stored as computed, against the catalogue version it was made with.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="screenings", verbose_name=_("organisation")
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.PROTECT, related_name="screenings", verbose_name=_("catalogue")
    )
    list = models.CharField(_("list"), max_length=20, choices=IndicatorList.choices)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(engine.MAX_AGE)]
    )
    possible_minor = models.BooleanField(_("reasons to believe the person is a child"), default=False)
    act = models.BooleanField(_("act of recruitment, transportation, transfer, harbouring or receipt"), default=True)
    result = models.JSONField(_("result"))
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, db_index=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("interviewer")
    )
    interviewed_on = models.DateField(_("date of the interview"))
    place = models.CharField(_("place"), max_length=20, choices=Region.choices)
    language = models.CharField(_("language of the interview"), max_length=35, validators=[LANGUAGE_TAG])
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ScreeningStatus.choices, default=ScreeningStatus.OPEN)
    kind = models.CharField(_("kind"), max_length=5, choices=ScreeningKind.choices, default=ScreeningKind.FULL)
    # The short version ends in a recommendation, not an assessment.
    refer_for_full = models.BooleanField(_("refer for full screening"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent to the interview given at"), null=True, blank=True)
    consent_by = models.CharField(_("consent given by"), max_length=10, choices=ConsentBy.choices, blank=True)
    consent_language = models.CharField(
        _("language the purpose was explained in"), max_length=35, blank=True, validators=[LANGUAGE_TAG]
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-interviewed_on", "-id"]
        indexes = [models.Index(fields=["organisation", "-interviewed_on"], name="screening_org_date_idx")]
        constraints = [
            models.CheckConstraint(condition=_in("list", IndicatorList.values), name="screening_list_valid"),
            models.CheckConstraint(condition=_in("outcome", Outcome.values), name="screening_outcome_valid"),
            models.CheckConstraint(condition=_in("status", ScreeningStatus.values), name="screening_status_valid"),
            models.CheckConstraint(condition=_in("place", Region.values), name="screening_place_valid"),
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__lte=engine.MAX_AGE), name="screening_age_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(corrects=models.F("id")), name="screening_does_not_correct_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ScreeningAnswer(models.Model):
    """An indicator found present in a screening, with the interviewer's note (encrypted: it may identify)."""

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="answers", verbose_name=_("screening")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="answers", verbose_name=_("indicator")
    )
    note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint("screening", "indicator", name="screening_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.screening_id}: {self.indicator_id}"
