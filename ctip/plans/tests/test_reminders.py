"""Reminders: before the due date and when overdue, once each, to the responsible organisations' reporters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from ctip.audit.models import AuditEvent
from ctip.orgs.roles import Role
from ctip.plans.models import ReminderKind, ReportReminder
from ctip.plans.services import report_return, report_save_draft, report_submit
from ctip.plans.tasks import run_reminders, send_plan_reminders
from ctip.testing import member

pytestmark = pytest.mark.django_db

D = dt.date
# The plan fixture's first period, January–June 2024, is due on 15 July 2024; reminders go 7 days before.
WEEK_BEFORE, DUE, DAY_AFTER = D(2024, 7, 8), D(2024, 7, 15), D(2024, 7, 16)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def reporters(cast, plan) -> list[str]:
    """Everyone who should hear about the action: reporting roles of its lead (A) and co-executor (B)."""
    return sorted(m.user.email for m in (cast.admin_a, cast.admin_b, plan.reporter_a, plan.reporter_b))


def test_nothing_is_sent_before_the_reminder_window(plan):
    assert run_reminders(WEEK_BEFORE - dt.timedelta(days=1)) == 0
    assert mail.outbox == []
    assert not ReportReminder.objects.exists()


def test_a_week_before_the_due_date_the_responsible_reporters_are_reminded_once(cast, plan, reporters):
    assert run_reminders(WEEK_BEFORE) == 4
    assert recipients() == reporters  # not the viewer, the case worker, the coordinator, nor uninvolved org C
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)
    assert {(r.organisation_id, r.kind, r.recipients, r.actions) for r in ReportReminder.objects.all()} == {
        (cast.org_a.pk, ReminderKind.BEFORE, 2, 1),
        (cast.org_b.pk, ReminderKind.BEFORE, 2, 1),
    }
    assert run_reminders(WEEK_BEFORE) == 0
    assert run_reminders(DUE) == 0  # the "before" reminder was already sent
    assert len(mail.outbox) == 4
    assert AuditEvent.objects.filter(action="plans.reminder.send").count() == 2


def test_when_overdue_each_organisation_is_reminded_once_more(cast, plan, reporters):
    run_reminders(WEEK_BEFORE)
    mail.outbox.clear()
    assert run_reminders(DAY_AFTER) == 4
    assert recipients() == reporters
    # Nobody here chose a language, so the mail speaks the deployment's (Russian by default).
    with translation.override(settings.LANGUAGE_CODE):
        overdue = translation.gettext("Progress reports overdue since %(due)s").split("%(due)s")[0]
    assert all(message.subject.startswith(overdue) for message in mail.outbox)
    assert run_reminders(DAY_AFTER) == 0
    assert run_reminders(DAY_AFTER + dt.timedelta(days=30)) == 0


def test_periods_long_overdue_are_not_written_about(plan):
    assert run_reminders(DUE + dt.timedelta(days=91)) == 0
    assert run_reminders(DUE + dt.timedelta(days=90)) == 4
    assert ReportReminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 2


def test_an_organisation_that_submitted_is_not_reminded_but_a_draft_or_returned_one_is(cast, plan):
    submitted = report_submit(
        actor=plan.reporter_a, report=report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1)
    )
    report_save_draft(actor=plan.reporter_b, action=plan.action, period=plan.h1)  # a draft is not filed
    run_reminders(WEEK_BEFORE)
    assert recipients() == sorted([cast.admin_b.user.email, plan.reporter_b.user.email])
    report_return(actor=cast.coordinator, report=submitted, comment="Add the figures")
    mail.outbox.clear()
    run_reminders(DAY_AFTER)
    assert len(recipients()) == 4  # returned is owed again


def test_inactive_members_and_a_draft_program_get_nothing(cast, plan):
    from ctip.plans.tests.factories import make_action, make_objective, make_program

    draft = make_program(cast.coordinator, starts_on=D(2024, 1, 1), ends_on=D(2024, 6, 30))
    make_action(cast.coordinator, make_objective(cast.coordinator, draft), cast.org_a, deadline=D(2024, 6, 30))
    for membership in (cast.admin_a, plan.reporter_b):
        membership.is_active = False
        membership.save()
    cast.admin_b.user.is_active = False
    cast.admin_b.user.save()
    run_reminders(WEEK_BEFORE)
    assert recipients() == [plan.reporter_a.user.email]
    assert ReportReminder.objects.count() == 2  # org B is logged as reminded, to no one


def test_actions_not_running_in_the_period_are_not_owed(cast, plan):
    from ctip.plans.tests.factories import make_action

    later = make_action(
        cast.coordinator, plan.action.objective, plan.reporter_c.organisation, code="2.3.2", starts_on=D(2025, 1, 1)
    )
    assert later.starts_on > plan.h1.ends_on
    run_reminders(WEEK_BEFORE)
    assert plan.reporter_c.user.email not in recipients()


def test_the_mail_speaks_the_recipients_language_and_names_no_one(cast, plan):
    russian = member(cast.org_a, Role.SUPERVISOR, language="ru", email="ru@example.org")
    english = member(cast.org_a, Role.SUPERVISOR, language="en", email="en@example.org")
    run_reminders(WEEK_BEFORE)
    by_address = {message.to[0]: message for message in mail.outbox}
    english_body = by_address[english.user.email].body
    russian_body = by_address[russian.user.email].body
    assert "July 15, 2024" in english_body or "15 July 2024" in english_body
    assert "15 июля 2024" in russian_body
    assert "Program" in english_body
    assert "Shelter A" in english_body
    assert "Приют А" in russian_body  # the organisation's own name in Russian
    for message in mail.outbox:
        for person in (cast.admin_a, cast.admin_b, plan.reporter_a, plan.reporter_b, russian, english):
            assert person.user.full_name not in message.body
            assert person.user.email not in message.body


@pytest.mark.parametrize(("deployment", "due"), [("ru", "15 июля 2024"), ("en", "July 15, 2024")])
def test_a_user_without_a_language_gets_the_deployments(cast, plan, settings, deployment, due):
    settings.LANGUAGE_CODE = deployment
    run_reminders(WEEK_BEFORE)
    assert len(mail.outbox) == 4
    assert all(due in message.body for message in mail.outbox)


def test_the_command_and_the_task(plan):
    from io import StringIO

    out = StringIO()
    call_command("plan_reminders", "--date", "2024-07-08", stdout=out)
    assert "Sent 4 reminder message(s)." in out.getvalue()
    with pytest.raises(CommandError, match=r"--date: '15\.07\.2024' is not a date in the form YYYY-MM-DD"):
        call_command("plan_reminders", "--date", "15.07.2024")
    call_command("plan_reminders", "--enqueue", stdout=out)  # in tests the task runs at once; 2024 is long past
    assert "Enqueued reminders as task" in out.getvalue()
    result = send_plan_reminders.enqueue(today="2024-07-16")
    assert result.return_value == 4
    assert len(mail.outbox) == 8


def test_a_reminder_already_logged_by_another_run_is_not_sent_again(cast, plan):
    from ctip.plans.tasks import owed, send_due

    [first, second] = owed(WEEK_BEFORE)
    ReportReminder.objects.create(organisation=first.organisation, period=first.period, kind=first.kind)
    assert send_due(first) == 0
    assert send_due(second) == 2
    assert recipients() == sorted(m.user.email for m in (cast.admin_b, plan.reporter_b))
    assert AuditEvent.objects.filter(action="plans.reminder.send").count() == 1
