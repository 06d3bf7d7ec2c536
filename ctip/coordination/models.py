"""Coordination bodies, their meetings and decisions (each a follow-up task), and partners' own activities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.i18n import in_language
from ctip.orgs.models import Organisation, Region
from ctip.plans.models import Action, Pillar


class BodyKind(models.TextChoices):
    NATIONAL_COUNCIL = "national_council", _("National council")
    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    WORKING_GROUP = "working_group", _("Interagency working group")
    OTHER = "other", _("Other body")


class CoordinationBody(models.Model):
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, help_text=_("Only for a regional council.")
    )
    members = models.ManyToManyField(
        Organisation, related_name="coordination_bodies", blank=True, verbose_name=_("member organisations")
    )
    chair = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="chaired_bodies",
        null=True,
        blank=True,
        verbose_name=_("chair organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        ordering = ["kind", "name_en"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values), name="coordination_body_kind_valid"),
            # A regional council names its oblast; a national body names none.
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.REGIONAL_COUNCIL) | (~Q(region="") & ~Q(region=Region.NATIONAL)),
                name="coordination_body_regional_has_region",
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values), name="coordination_body_region_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class Meeting(models.Model):
    body = models.ForeignKey(CoordinationBody, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    attended = models.ManyToManyField(
        Organisation, related_name="meetings_attended", blank=True, verbose_name=_("member organisations present")
    )
    others_invited = models.TextField(
        _("others invited"), blank=True, help_text=_("Guests who are not members, one per line.")
    )
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="coordination_meeting_status"),
            # Minutes exist only for a meeting that took place.
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.HELD) | Q(minutes=""), name="coordination_meeting_minutes_if_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = (DecisionStatus.DONE, DecisionStatus.CANCELLED)


class Decision(models.Model):
    """A decision of a meeting: a follow-up task for one responsible organisation, tracked until it is closed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="coordination_decisions", verbose_name=_("responsible")
    )
    deadline = models.DateField(_("deadline"))
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        related_name="coordination_decisions",
        null=True,
        blank=True,
        verbose_name=_("plan action"),
    )
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint("meeting", "number", name="coordination_decision_number_unique"),
            models.CheckConstraint(condition=Q(status__in=DecisionStatus.values), name="coordination_decision_status"),
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_STATUSES, closed_on__isnull=False)
                | (~Q(status__in=CLOSED_STATUSES) & Q(closed_on__isnull=True)),
                name="coordination_decision_closed_iff_closed_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} № {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: object = None) -> bool:
        return not self.is_closed and self.deadline < (today or timezone.localdate())  # type: ignore[operator]


class DecisionUpdate(models.Model):
    """A follow-up note on a decision with the status it moved to; kept as a history, never edited."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField(_("note"))
    status = models.CharField(_("new status"), max_length=12, choices=DecisionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DecisionStatus.values), name="coordination_update_status"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.status}"


class PartnerActivity(models.Model):
    """What a partner organisation does where and when, optionally under a plan action."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partner_activities")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        related_name="partner_activities",
        null=True,
        blank=True,
        verbose_name=_("plan action"),
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("of whom men"), null=True, blank=True)
    girls = models.PositiveIntegerField(_("of whom girls"), null=True, blank=True)
    boys = models.PositiveIntegerField(_("of whom boys"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner activity")
        verbose_name_plural = _("partner activities")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="coordination_activity_dates"),
            models.CheckConstraint(condition=Q(pillar__in=Pillar.values), name="coordination_activity_pillar"),
            models.CheckConstraint(condition=Q(region__in=Region.values), name="coordination_activity_region"),
            models.CheckConstraint(
                condition=Q(
                    beneficiaries__gte=Coalesce(F("women"), 0)
                    + Coalesce(F("men"), 0)
                    + Coalesce(F("girls"), 0)
                    + Coalesce(F("boys"), 0)
                ),
                name="coordination_activity_breakdown_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.title
