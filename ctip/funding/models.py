"""Donor commitments to the plan, what they allocate to each action, and what has been disbursed.

Amounts are in the commitment's currency. ctip converts nothing: a gap is computed only against allocations in the
action's own currency, and allocations in other currencies are shown beside it (docs/coordination-and-funding.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ctip.orgs.models import Organisation
from ctip.plans.models import Action, Program, currency_code

POSITIVE = [MinValueValidator(Decimal("0.01"))]


class CommitmentStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    SIGNED = "signed", _("Signed")


class Commitment(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="commitments")
    donor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commitments_given", verbose_name=_("donor")
    )
    implementer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitments_implemented",
        verbose_name=_("implementing organisation"),
    )
    title = models.CharField(_("project title"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, validators=POSITIVE)
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.PLEDGED
    )

    class Meta:
        verbose_name = _("donor commitment")
        verbose_name_plural = _("donor commitments")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_commitment_amount_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="funding_commitment_dates"),
            models.CheckConstraint(condition=Q(status__in=CommitmentStatus.values), name="funding_commitment_status"),
        ]

    def __str__(self) -> str:
        return self.title


class Allocation(models.Model):
    """The part of a commitment meant for one action, in the commitment's currency."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="allocations")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("action"))
    amount = models.DecimalField(_("allocated amount"), max_digits=16, decimal_places=2, validators=POSITIVE)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["commitment", "action__code"]
        constraints = [
            models.UniqueConstraint("commitment", "action", name="funding_allocation_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_allocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} → {self.action_id}: {self.amount}"


class Disbursement(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="disbursements")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, validators=POSITIVE)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["commitment", "date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.amount} on {self.date}"
