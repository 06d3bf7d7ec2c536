"""The Program and Action Plan: program → objectives → actions, their indicators, and the reporting cycle."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from ctip.core import metrics
from ctip.core.i18n import in_language
from ctip.orgs.models import Organisation

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter ISO 4217 currency code, e.g. USD or KGS."))


class Pillar(models.TextChoices):
    PREVENTION = "PREVENTION", _("Prevention")
    PROTECTION = "PROTECTION", _("Protection")
    PROSECUTION = "PROSECUTION", _("Prosecution")
    PARTNERSHIP = "PARTNERSHIP", _("Partnership")


# 4P order: an action tagged with several pillars is placed under the first of them and tagged with the others.
PILLAR_RANK = {value: rank for rank, value in enumerate(Pillar.values)}


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class Program(models.Model):
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=500)
    title_ru = models.CharField(_("title in Russian"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500)
    starts_on = models.DateField(_("start of the period"))
    ends_on = models.DateField(_("end of the period"))
    act_number = models.CharField(_("number of the approving act"), max_length=100, blank=True)
    act_date = models.DateField(_("date of the approving act"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    # Published: the plan and its accepted progress are shown to the public, without login.
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder days before the due date"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Responsible organisations are reminded this many days before reports are due."),
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="plans_program_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=ProgramStatus.values), name="plans_program_status_valid"),
            # A draft is never public; a published program says since when.
            models.CheckConstraint(
                condition=Q(published=False) | (~Q(status=ProgramStatus.DRAFT) & Q(published_at__isnull=False)),
                name="plans_program_published_not_draft",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__gte=1, reminder_days_before__lte=60),
                name="plans_program_reminder_days",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        """The title in the current language (English when it has none in it)."""
        return in_language(self, "title")


class Objective(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=500)
    title_ru = models.CharField(_("title in Russian"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["program", "position", "code"]
        constraints = [models.UniqueConstraint("program", "code", name="plans_objective_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"

    @property
    def title(self) -> str:
        """The title in the current language (English when it has none in it)."""
        return in_language(self, "title")


class Action(models.Model):
    # The program is the objective's; it is kept here too so that the database holds "one code per program".
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="actions", editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=20, help_text=_("For example 2.3.1."))
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=500)
    title_ru = models.CharField(_("title in Russian"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500)
    description_ky = models.TextField(_("description in Kyrgyz"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_actions", verbose_name=_("lead organisation")
    )
    co_executors = models.ManyToManyField(
        Organisation, related_name="co_executed_actions", blank=True, verbose_name=_("co-executors")
    )
    partners = models.ManyToManyField(
        Organisation, related_name="partnered_actions", blank=True, verbose_name=_("partners")
    )
    starts_on = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    expected_result_ky = models.TextField(_("expected result in Kyrgyz"), blank=True)
    expected_result_ru = models.TextField(_("expected result in Russian"), blank=True)
    expected_result_en = models.TextField(_("expected result in English"), blank=True)
    budget = models.DecimalField(
        _("planned budget"), max_digits=16, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="KGS", validators=[currency_code])
    funding_sources = models.TextField(_("funding sources"), blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint("program", "code", name="plans_action_code_unique"),
            models.CheckConstraint(condition=Q(deadline__gte=F("starts_on")), name="plans_action_deadline_after_start"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="plans_action_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"

    @property
    def title(self) -> str:
        """The title in the current language (English when it has none in it)."""
        return in_language(self, "title")

    def clean(self) -> None:
        if self.starts_on and self.deadline and self.deadline < self.starts_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the start.")})


class ActionPillar(models.Model):
    """One of the 4P an action serves; an action has one or more."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="pillars")
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.UniqueConstraint("action", "pillar", name="plans_actionpillar_unique"),
            models.CheckConstraint(condition=Q(pillar__in=Pillar.values), name="plans_actionpillar_valid"),
        ]

    def __str__(self) -> str:
        return self.get_pillar_display()


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Reported by hand")
    METRIC = "metric", _("Computed from ctip's data")


class PlanIndicator(models.Model):
    """A monitoring indicator of exactly one action or one objective."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators", null=True, blank=True)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators", null=True, blank=True)
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=500)
    name_ru = models.CharField(_("name in Russian"), max_length=500)
    name_en = models.CharField(_("name in English"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices, default="manual")
    metric_name = models.CharField(_("metric"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, objective__isnull=True)
                | Q(action__isnull=True, objective__isnull=False),
                name="plans_indicator_on_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(source="manual", metric_name="") | (Q(source="metric") & ~Q(metric_name="")),
                name="plans_indicator_metric_iff_computed",
            ),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="plans_indicator_direction"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """The name in the current language (English when it has none in it)."""
        return in_language(self, "name")

    def clean(self) -> None:
        if (self.action_id is None) == (self.objective_id is None):
            raise ValidationError(_("An indicator belongs to exactly one action or one objective."))
        if self.source == IndicatorSource.METRIC:
            if self.metric_name not in metrics.names():
                raise ValidationError({"metric_name": _("There is no metric with this name.")})
        elif self.metric_name:
            raise ValidationError({"metric_name": _("Only a computed indicator names a metric.")})


class ReportingPeriod(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    due_on = models.DateField(_("reports due"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["program", "starts_on"]
        constraints = [
            models.UniqueConstraint("program", "starts_on", name="plans_period_start_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="plans_period_ends_after_start"),
            models.CheckConstraint(condition=Q(due_on__gte=F("ends_on")), name="plans_period_due_after_end"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
        if self.ends_on and self.due_on and self.due_on < self.ends_on:
            raise ValidationError({"due_on": _("Reports cannot be due before the period ends.")})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# Plain values (not members) so that ``in`` and ``__in`` agree for strings read from the database and for members.
FINISHED = (ProgressStatus.COMPLETED.value, ProgressStatus.CANCELLED.value)  # an action past its deadline is not late
# An action's status when it has no report to speak for it: the status filter's value and the dashboard's key.
NO_REPORT = "none"
# A report that counts as sent for a period; a returned one is owed again, as a draft is.
SENT = (ReportStatus.SUBMITTED.value, ReportStatus.ACCEPTED.value)


def latest_report_first(via: str = "") -> list[OrderBy]:
    """Return the order that puts the latest report first: period ending last, then accepted last, then newest row.

    ``via`` is the path from the rows being ordered to their report (``"report__"`` for indicator values); the last
    key is the rows' own id. Null acceptance dates (reports not accepted) come last on every database.
    """
    return [F(name).desc(nulls_last=True) for name in (f"{via}period__ends_on", f"{via}accepted_at", "pk")]


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def latest_first(self) -> ProgressReportQuerySet:
        return self.order_by(*latest_report_first())


class ProgressReport(models.Model):
    """One responsible organisation's report on one action for one period."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plan_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    progress = models.CharField(
        _("progress"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("per cent done"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("narrative"), blank=True)
    return_comment = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint("action", "organisation", "period", name="plans_report_unique"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="plans_report_percent"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="plans_report_status_valid"),
            models.CheckConstraint(condition=Q(progress__in=ProgressStatus.values), name="plans_report_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} / {self.organisation.code} / {self.period}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [models.UniqueConstraint("report", "indicator", name="plans_indicatorvalue_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


# --- Evidence files ------------------------------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class EvidenceType(models.TextChoices):
    """The file types accepted as evidence, by media type; the content's magic bytes decide, not the name."""

    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
    ODT = "application/vnd.oasis.opendocument.text", "ODT"
    ODS = "application/vnd.oasis.opendocument.spreadsheet", "ODS"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


def evidence_path(instance: ReportEvidence, filename: str) -> str:
    """A random name that says nothing of the report, the organisation or the original file name."""
    return f"plans/evidence/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


class ReportEvidence(models.Model):
    """A file attached to a progress report as evidence of the work done."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, choices=EvidenceType.choices)
    size = models.PositiveIntegerField(
        _("size in bytes"), validators=[MinValueValidator(1), MaxValueValidator(EVIDENCE_MAX_BYTES)]
    )
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$", _("Not a SHA-256 digest."))]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=EVIDENCE_MAX_BYTES), name="plans_evidence_size_limit"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=EvidenceType.values), name="plans_evidence_type_allowed"
            ),
            models.UniqueConstraint("file", name="plans_evidence_file_unique"),
        ]

    def __str__(self) -> str:
        return self.original_name


# --- Reminders -----------------------------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")


class ReportReminder(models.Model):
    """That an organisation was reminded of a period's reports; each kind is sent at most once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plan_reminders")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    actions = models.PositiveIntegerField(_("actions without a report"), default=0)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint("organisation", "period", "kind", name="plans_reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="plans_reminder_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} / {self.period} / {self.kind}"
