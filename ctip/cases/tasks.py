"""Reminders of the referral mechanism's deadlines, sent to each case worker by e-mail (codes only, never names)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ctip.core.i18n import language_of


@task()
def send_deadline_reminders(*, on: str, days: int) -> int:
    """E-mail every active case worker whose cases reach a deadline from ``on`` (ISO date) to ``days`` later.

    Each deadline is written about once: a second run the same day, or the next day, sends nothing new (the
    ``DeadlineReminder`` log). A message and its log rows are one transaction, so a failed sending is retried on
    the next run. Returns the number of messages sent. Run once a day (``ctip case_reminders``).
    """
    from ctip.audit.services import audit_record
    from ctip.cases.models import DeadlineReminder
    from ctip.cases.selectors import case_workers_with_deadlines
    from ctip.orgs.models import Membership

    due = case_workers_with_deadlines(dt.date.fromisoformat(on), days=days)
    every_case = {d.case_id for found in due.values() for d in found}
    already = set(DeadlineReminder.objects.filter(case_id__in=every_case).values_list("case_id", "kind", "due_on"))
    members = Membership.objects.filter(pk__in=due, user__is_active=True).select_related("user", "organisation")
    sent = 0
    for membership in members:
        fresh = [d for d in due[membership.pk] if (d.case_id, d.kind, d.due) not in already]
        if not fresh:
            continue
        with translation.override(language_of(membership.user)):
            lines = [f"{d.code}: {d.label} {d.due.isoformat()}" for d in fresh]
            subject = _("ctip: %(n)s case deadlines coming up") % {"n": len(lines)}
            body = "\n".join([_("These deadlines of your cases are near:"), "", *lines, "", settings.CTIP_BASE_URL])
        with transaction.atomic():
            DeadlineReminder.objects.bulk_create(
                DeadlineReminder(case_id=d.case_id, kind=d.kind, due_on=d.due) for d in fresh
            )
            audit_record(
                action="cases.deadline_reminder",
                actor=None,
                organisation=membership.organisation,
                obj=membership,
                details={"deadlines": len(fresh), "codes": [d.code for d in fresh]},
            )
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email], fail_silently=False)
    return sent
