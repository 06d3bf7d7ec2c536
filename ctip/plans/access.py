"""Who may read the plan, edit it, file progress reports, review them, and what the public sees.

Decisions (issue #4; tested in ``tests/test_access.py``):

* **The plan.** A draft program is the coordinator's working copy: only coordinators know it exists (404 for
  everyone else), with its objectives and actions. Once approved, the program — and later, closed, its record — is
  read by every member of every organisation, partners (role PARTNER) included. Only a coordinator edits it.
* **Filing.** An organisation files reports only on actions it leads or co-executes, of an *approved* program
  (a draft has no one reporting yet; a closed one takes no more reports), through a member holding one of
  ``REPORTING_ROLES``. For any other action the action does not exist as far as filing goes (404); a member of a
  responsible organisation without a reporting role gets 403.
* **Reports.** A draft is known only inside its organisation. Submitted and returned reports are also seen by
  coordinators, who review them. Accepted reports are read by every member (partners included). A report is
  edited and submitted by its organisation's reporting roles only.
* **Evidence files** follow their report: whoever sees the report may open its files; its organisation's
  reporting roles add and remove them (the services refuse this once the report is no longer editable).
* **The public** (no login) sees only published programs, their plan, and the accepted reports on them
  (``public_programs()``, ``public_reports()``); never drafts, submitted or returned reports, nor evidence files,
  which may name people.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctip.orgs.models import Membership
from ctip.orgs.roles import REPORT_ROLES, REPORTING_ROLES, Role
from ctip.plans.models import Action, Program, ProgramStatus, ProgressReport, ReportEvidence, ReportStatus

# Who files an organisation's reports: its administrator (usually the focal point), supervisors and analysts.


def is_coordinator(actor: Membership | None) -> bool:
    return actor is not None and actor.has_role(Role.COORDINATOR)


# Who sees the overdue page: the coordinator, and each organisation's analysts (it names late agencies, nothing more).
OVERDUE_ROLES = (Role.COORDINATOR, Role.ANALYST)


def _program_seen(actor: Membership, prefix: str = "") -> Q:
    """Programs an actor knows of: all for a coordinator, all but drafts for every other member."""
    if is_coordinator(actor):
        return Q()
    return ~Q(**{f"{prefix}status": ProgramStatus.DRAFT})


class ProgramPolicy:
    """An approved or closed plan is open to every member; a draft only to coordinators, who alone change it.

    Model-level: only a coordinator may ``"create"`` a program, or ``"import"`` a plan workbook (which creates and
    changes programs).
    """

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Program]:
        if actor is None:
            return Program.objects.none()
        return Program.objects.filter(_program_seen(actor))

    def can(self, actor: Membership | None, action: str, obj: Program | None = None) -> bool:
        if actor is None:
            return False
        if obj is None:
            return action in {"create", "import"} and is_coordinator(actor)
        if action == "view":
            return obj.status != ProgramStatus.DRAFT or is_coordinator(actor)
        return action == "edit" and is_coordinator(actor)


class ActionPolicy:
    """Actions are read by every member who can see their program and edited by the coordinator.

    Model-level: ``"overdue"``, the list of overdue actions, is for ``OVERDUE_ROLES``.
    """

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Action]:
        if actor is None:
            return Action.objects.none()
        return Action.objects.filter(_program_seen(actor, "program__"))

    def can(self, actor: Membership | None, action: str, obj: Action | None = None) -> bool:
        if actor is None:
            return False
        if obj is None:
            return action == "overdue" and actor.has_role(*OVERDUE_ROLES)
        if action == "view":
            return True
        return action == "edit" and is_coordinator(actor)


class ReportingPolicy:
    """The actions an organisation reports on: those it leads or co-executes in an approved program.

    Others are 404 for filing.
    """

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Action]:
        if actor is None:
            return Action.objects.none()
        org = actor.organisation_id
        return Action.objects.filter(
            Q(lead_id=org) | Q(co_executors__id=org), program__status=ProgramStatus.APPROVED
        ).distinct()

    def can(self, actor: Membership | None, action: str, obj: Action | None = None) -> bool:
        # The same with or without an action: which actions is ``visible``'s question, who files is this one.
        return actor is not None and action in {"view", "report"} and actor.has_role(*REPORTING_ROLES)


class ProgressReportPolicy:
    """Model-level: the ``"review"`` queue is the coordinator's."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[ProgressReport]:
        if actor is None:
            return ProgressReport.objects.none()
        seen = Q(organisation_id=actor.organisation_id) | Q(status=ReportStatus.ACCEPTED)
        if is_coordinator(actor):
            seen |= ~Q(status=ReportStatus.DRAFT)
        return ProgressReport.objects.filter(seen)

    def can(self, actor: Membership | None, action: str, obj: ProgressReport | None = None) -> bool:
        if actor is None:
            return False
        if obj is None:
            return action == "review" and is_coordinator(actor)
        own = obj.organisation_id == actor.organisation_id
        if action == "view":
            return own or obj.status == ReportStatus.ACCEPTED or (is_coordinator(actor) and obj.status != "draft")
        if action in {"edit", "submit"}:
            return own and actor.has_role(*REPORTING_ROLES)
        return action == "review" and is_coordinator(actor) and obj.status != ReportStatus.DRAFT


class EvidencePolicy:
    """An evidence file is seen like its report; its organisation's reporting roles manage it."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[ReportEvidence]:
        if actor is None:
            return ReportEvidence.objects.none()
        return ReportEvidence.objects.filter(report__in=reports.visible(actor, "view")).select_related("report")

    def can(self, actor: Membership | None, action: str, obj: ReportEvidence | None = None) -> bool:
        if obj is None:
            return False  # a file is only ever acted on as itself
        if action == "view":
            return reports.can(actor, "view", obj.report)
        return action == "remove" and reports.can(actor, "edit", obj.report)


def public_programs() -> QuerySet[Program]:
    """What anyone may read without logging in: published programs (only approved or closed ones can be)."""
    return Program.objects.filter(published=True).exclude(status=ProgramStatus.DRAFT)


def public_reports() -> QuerySet[ProgressReport]:
    """Accepted progress reports on published programs. Evidence files are never public."""
    return ProgressReport.objects.filter(status=ReportStatus.ACCEPTED, action__program__in=public_programs())


class NationalReportPolicy:
    """Who may generate the national report: coordinators, and analysts of any organisation that sees the program.

    Seeing a program follows ``programs`` (a draft is known only to coordinators); a member who sees it
    without one of ``REPORT_ROLES`` is refused (403).
    """

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Program]:
        return programs.visible(actor, "view")

    def can(self, actor: Membership | None, action: str, obj: Program | None = None) -> bool:
        if obj is None:
            return False  # a national report is always of one program
        if actor is None or not programs.can(actor, "view", obj):
            return False
        return action == "view" or (action == "export" and actor.has_role(*REPORT_ROLES))


programs = ProgramPolicy()
actions = ActionPolicy()
reporting = ReportingPolicy()
reports = ProgressReportPolicy()
evidence = EvidencePolicy()
national_report = NationalReportPolicy()
