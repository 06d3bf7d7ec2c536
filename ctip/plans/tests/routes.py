"""The plan's parameterised routes in the access matrix (ctip/core/tests/test_access_matrix.py).

The approved plan is read by every member of every organisation (``outsider_status=200``); reports, filing and
evidence are known only to the organisation, the coordinator (once submitted) and, when accepted, every member.

Not in the matrix: ``plans:public_program`` is a public page (no login; an anonymous visitor gets 200, never the
login page), which the matrix's model cannot express; it needs an EXEMPT entry in the core matrix test
("public: published programs and accepted progress only; tested in plans/tests/test_public.py").
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.conftest import Cast
from ctip.plans import services
from ctip.plans.models import Action, Objective, PlanIndicator, ProgressReport, ReportEvidence, ReportingPeriod
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.testing import Route

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def approved_action(c: Cast) -> Action:
    """An action of an approved program, led by organisation A."""
    program = make_program(c.coordinator)
    action = make_action(c.coordinator, make_objective(c.coordinator, program), c.org_a)
    services.program_approve(actor=c.coordinator, program=program)
    return action


def first_period(action: Action) -> ReportingPeriod:
    return action.program.periods.order_by("starts_on").first()  # type: ignore[return-value]


def draft_report(c: Cast) -> ProgressReport:
    action = approved_action(c)
    return services.report_save_draft(actor=c.admin_a, action=action, period=first_period(action), percent=10)


def submitted_report(c: Cast) -> ProgressReport:
    return services.report_submit(actor=c.admin_a, report=draft_report(c))


def evidence(c: Cast) -> ReportEvidence:
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    return services.evidence_add(actor=c.admin_a, report=draft_report(c), uploaded_file=upload)


def action_with_indicator(c: Cast) -> Action:
    action = approved_action(c)
    services.indicator_create(
        actor=c.coordinator, action=action, name_ky="Саны", name_ru="Число", name_en="Number", unit="persons"
    )
    return action


def _child(model: Any, parent: str, pk: Any) -> int:
    found = model.objects.filter(**{parent: pk}).values_list("pk", flat=True).first()
    return found or 987654


def _report_kwargs(pk: Any) -> dict[str, Any]:
    # Any period will do: for a missing or foreign action the answer is 404 before the period is looked at.
    period = ReportingPeriod.objects.order_by("pk").values_list("pk", flat=True).first()
    return {"pk": pk, "period_pk": period or 1}


READ_BY_EVERY_MEMBER: dict[str, Any] = {"permitted": "viewer_a", "without_role": None, "outsider_status": 200}
FILING = {"progress": "in_progress", "percent": "20", "narrative": "Trainings held", "save": "1"}

# The plan is edited by coordinators only; everyone else sees the approved plan, so they get 403, not 404.
EDITED_BY_COORDINATOR: dict[str, Any] = {"permitted": "coordinator", "without_role": "viewer_a", "outsider_status": 403}

ROUTES: dict[str, Route] = {
    "plans:program": Route(target=lambda c: approved_action(c).program, **READ_BY_EVERY_MEMBER),
    "plans:action": Route(target=approved_action, **READ_BY_EVERY_MEMBER),
    # Filing: another organisation's action is a 404, a member without a reporting role gets 403.
    "plans:report": Route(
        target=approved_action,
        permitted="admin_a",
        without_role="viewer_a",
        methods=("get", "post"),
        data=FILING,
        kwargs=_report_kwargs,
    ),
    # A draft is known only inside its organisation, where every member reads it.
    "plans:report_detail": Route(target=draft_report, permitted="viewer_a", without_role=None),
    "plans:review_report": Route(
        target=submitted_report,
        permitted="coordinator",
        without_role="admin_a",
        methods=("get", "post"),
        data={"decision": "return", "comment": "Add the numbers"},
    ),
    "plans:evidence_add": Route(target=draft_report, permitted="admin_a", without_role="viewer_a", methods=("post",)),
    "plans:evidence_open": Route(target=evidence, permitted="viewer_a", without_role=None),
    "plans:evidence_remove": Route(target=evidence, permitted="admin_a", without_role="viewer_a", methods=("post",)),
    "plans:program_edit": Route(target=lambda c: approved_action(c).program, **EDITED_BY_COORDINATOR),
    "plans:program_step": Route(
        target=lambda c: approved_action(c).program,
        methods=("post",),
        data={"step": "publish"},
        **EDITED_BY_COORDINATOR,
    ),
    "plans:objective_create": Route(target=lambda c: approved_action(c).program, **EDITED_BY_COORDINATOR),
    "plans:objective_edit": Route(
        target=lambda c: approved_action(c).program,
        kwargs=lambda pk: {"pk": pk, "objective_pk": _child(Objective, "program_id", pk)},
        **EDITED_BY_COORDINATOR,
    ),
    "plans:action_create": Route(target=lambda c: approved_action(c).program, **EDITED_BY_COORDINATOR),
    "plans:action_edit": Route(target=approved_action, **EDITED_BY_COORDINATOR),
    "plans:indicator_create": Route(target=approved_action, **EDITED_BY_COORDINATOR),
    "plans:indicator_edit": Route(
        target=action_with_indicator,
        kwargs=lambda pk: {"pk": pk, "indicator_pk": _child(PlanIndicator, "action_id", pk)},
        **EDITED_BY_COORDINATOR,
    ),
    # The dashboard and the national report (views/dashboard.py): the dashboard is for every member who sees the
    # program; the report for coordinators and analysts (others who see the program get 403).
    "plans:dashboard": Route(target=lambda c: approved_action(c).program, **READ_BY_EVERY_MEMBER),
    "plans:national_report": Route(target=lambda c: approved_action(c).program, **EDITED_BY_COORDINATOR),
}
