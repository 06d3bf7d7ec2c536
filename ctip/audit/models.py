from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing that happened. Rows are only ever added; they never hold decrypted identity data.

    Each row carries the hash of the row before it and its own hash over both (see ``ctip.audit.chain``), so
    changing, deleting or slipping in a row breaks the chain where ``ctip audit verify`` finds it. Write rows only
    through ``ctip.audit.services.audit_record``.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acting organisation"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    # Rows written any other way than through audit_record keep these empty and fail verification.
    prev_hash = models.CharField(_("hash of the previous event"), max_length=64, default="", editable=False)
    row_hash = models.CharField(_("hash of this event"), max_length=64, default="", editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        constraints = [
            # The chain cannot fork: no two events follow the same predecessor.
            models.UniqueConstraint(
                fields=["prev_hash"], condition=~models.Q(prev_hash=""), name="audit_auditevent_prev_hash_unique"
            ),
        ]
        indexes = [
            # An organisation administrator's page: one organisation's events, newest first.
            models.Index(fields=["organisation", "id"], name="audit_event_org_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"
