"""Reminders to responsible organisations that their progress reports are due or overdue.

For every reporting period of an approved program, each organisation responsible (lead or co-executor) for an action
running in that period, which has not yet submitted (or had accepted) its report on every such action, is reminded:

* once, ``Program.reminder_days_before`` days or fewer before the due date ("before"), and
* once, after the due date has passed ("overdue"), within ``OVERDUE_WINDOW`` of it.

The mail goes to the organisation's active members holding a reporting role, each in their own language (the
deployment's if they have not chosen one). It carries no personal data: the program, the period, the due date and
how many actions are waiting. Each sending is logged in ``ReportReminder`` (unique per organisation, period and kind)
and audited in the same transaction, so running again sends nothing new. A failed sending rolls its log row back and
is tried again on the next run.

Run it daily: ``ctip plan-reminders`` from cron, or enqueue ``send_plan_reminders`` on the task worker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ctip.audit.services import audit_record
from ctip.core.i18n import in_language, language_of
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import REPORTING_ROLES
from ctip.plans.models import (
    Action,
    ProgramStatus,
    ProgressReport,
    ReminderKind,
    ReportingPeriod,
    ReportReminder,
    ReportStatus,
)

FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass(frozen=True)
class Due:
    """An organisation that owes reports for a period, and how many actions are waiting."""

    organisation: Organisation
    period: ReportingPeriod
    kind: str
    actions: int


# An overdue reminder goes out within this many days after the due date, so that ctip, newly deployed or back after
# an outage, does not write about periods long past; the coordinator's overdue pages still list them.
OVERDUE_WINDOW = dt.timedelta(days=90)


def _kind(period: ReportingPeriod, today: dt.date) -> str | None:
    if today > period.due_on:
        return ReminderKind.OVERDUE if today - period.due_on <= OVERDUE_WINDOW else None
    if today >= period.due_on - dt.timedelta(days=period.program.reminder_days_before):
        return ReminderKind.BEFORE
    return None


def owed(today: dt.date) -> list[Due]:
    """Who owes reports today and has not yet been reminded of that kind."""
    periods = ReportingPeriod.objects.filter(program__status=ProgramStatus.APPROVED).select_related("program")
    result: list[Due] = []
    for period in periods.order_by("due_on", "pk"):
        kind = _kind(period, today)
        if kind is None:
            continue
        running = Action.objects.filter(
            program_id=period.program_id, starts_on__lte=period.ends_on, deadline__gte=period.starts_on
        )
        responsible: dict[int, set[int]] = defaultdict(set)
        for action_id, lead_id in running.values_list("pk", "lead_id"):
            responsible[lead_id].add(action_id)
        for action_id, org_id in Action.co_executors.through.objects.filter(action__in=running).values_list(
            "action_id", "organisation_id"
        ):
            responsible[org_id].add(action_id)
        filed = set(
            ProgressReport.objects.filter(period=period, status__in=FILED).values_list("organisation_id", "action_id")
        )
        reminded = set(
            ReportReminder.objects.filter(period=period, kind=kind).values_list("organisation_id", flat=True)
        )
        waiting = {
            org_id: len({a for a in action_ids if (org_id, a) not in filed})
            for org_id, action_ids in responsible.items()
            if org_id not in reminded
        }
        orgs = Organisation.objects.in_bulk([org_id for org_id, n in waiting.items() if n])
        for org_id in sorted(orgs):
            if orgs[org_id].is_active:
                result.append(Due(orgs[org_id], period, kind, waiting[org_id]))
    return result


def recipients(organisation: Organisation) -> list[Membership]:
    """The organisation's active members with a reporting role and an e-mail address."""
    return list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            user__is_active=True,
            roles__role__in=REPORTING_ROLES,
        )
        .exclude(Q(user__email="") | Q(user__email__isnull=True))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def reminder_message(due: Due, language: str) -> tuple[str, str]:
    """The subject and body of a reminder, in ``language``."""
    with translation.override(language):
        values = {
            "program": due.period.program.title,
            "organisation": in_language(due.organisation, "name"),
            "start": formats.date_format(due.period.starts_on, "DATE_FORMAT"),
            "end": formats.date_format(due.period.ends_on, "DATE_FORMAT"),
            "due": formats.date_format(due.period.due_on, "DATE_FORMAT"),
            "count": due.actions,
        }
        if due.kind == ReminderKind.OVERDUE:
            subject = _("Progress reports overdue since %(due)s") % values
            lead = _(
                "The progress reports of %(organisation)s on the program “%(program)s” for the period %(start)s – "
                "%(end)s were due on %(due)s and have not all been submitted."
            )
        else:
            subject = _("Progress reports due on %(due)s") % values
            lead = _(
                "The progress reports of %(organisation)s on the program “%(program)s” for the period %(start)s – "
                "%(end)s are due on %(due)s."
            )
        body = "\n\n".join(
            [
                lead % values,
                _("Actions still waiting for a submitted report: %(count)s.") % values,
                _("Sign in to ctip and open “Reports due” to file them."),
                _("This message was sent automatically; please do not reply to it."),
            ]
        )
    return subject, body + "\n"


def send_due(due: Due) -> int:
    """Log, audit and send one reminder; return the number of messages sent (0 if already sent or no one to tell)."""
    people = recipients(due.organisation)
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                organisation=due.organisation,
                period=due.period,
                kind=due.kind,
                recipients=len(people),
                actions=due.actions,
            )
            audit_record(
                action="plans.reminder.send",
                organisation=due.organisation,
                obj=reminder,
                details={
                    "period": due.period.pk,
                    "kind": due.kind,
                    "recipients": len(people),
                    "actions": due.actions,
                },
            )
            messages = []
            for membership in people:
                subject, body = reminder_message(due, language_of(membership.user))
                messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email]))
            if messages:
                get_connection(fail_silently=False).send_messages(messages)
    except IntegrityError:
        return 0  # another run logged it first
    return len(people)


def run_reminders(today: dt.date | None = None) -> int:
    """Send every reminder owed today (in the deployment's time zone); return how many messages went out."""
    today = today or timezone.localdate()
    return sum(send_due(due) for due in owed(today))


@task()
def send_plan_reminders(*, today: str | None = None) -> int:
    """The background task; ``today`` (ISO date) is for catching up on a missed day."""
    return run_reminders(dt.date.fromisoformat(today) if today else None)
