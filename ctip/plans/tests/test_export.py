"""The plan export: the template's sheets (re-importable unchanged) plus the progress the reader may see; audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.orgs.roles import Role
from ctip.plans import services
from ctip.plans.export import plan_export
from ctip.plans.models import Action, Program
from ctip.plans.tests.test_workbook import state, xlsx
from ctip.plans.workbook import plan_import
from ctip.testing import member


@pytest.fixture
def reported(cast):
    """An approved imported plan; org A's draft on 1.1, org B's accepted report on 2.1."""
    plan_import(actor=cast.coordinator, source=xlsx())
    program = Program.objects.get()
    services.program_approve(actor=cast.coordinator, program=program)
    period = program.periods.order_by("starts_on").first()
    services.report_save_draft(actor=cast.admin_a, action=Action.objects.get(code="1.1"), period=period, percent=20)
    accepted = services.report_save_draft(
        actor=cast.admin_b, action=Action.objects.get(code="2.1"), period=period, narrative="=1+1 trained"
    )
    services.report_submit(actor=cast.admin_b, report=accepted)
    services.report_accept(actor=cast.coordinator, report=accepted)
    program.refresh_from_db()
    return program


def _progress(content: bytes) -> list[tuple[object, ...]]:
    rows = list(load_workbook(io.BytesIO(content))["Progress"].iter_rows(values_only=True))
    header = rows[0]
    return [tuple(dict(zip(header, r, strict=True))[k] for k in ("action", "organisation", "status")) for r in rows[1:]]


@pytest.mark.django_db
def test_an_export_imports_back_unchanged(cast, reported):
    content = plan_export(actor=cast.coordinator, program=reported)
    before = state()

    result = plan_import(actor=cast.coordinator, source=content)

    assert not result.changed
    assert not result.warnings
    assert state() == before


@pytest.mark.django_db
def test_the_progress_sheet_shows_only_the_reports_the_reader_may_see(cast, reported):
    assert _progress(plan_export(actor=cast.coordinator, program=reported)) == [("2.1", "police-b", "accepted")]
    assert _progress(plan_export(actor=cast.viewer_a, program=reported)) == [
        ("1.1", "shelter-a", "draft"),
        ("2.1", "police-b", "accepted"),
    ]


@pytest.mark.django_db
def test_text_is_never_written_as_a_formula(cast, reported):
    ws = load_workbook(io.BytesIO(plan_export(actor=cast.coordinator, program=reported)))["Progress"]
    narrative = [c for c in ws[2] if c.value == "=1+1 trained"]
    assert narrative
    assert narrative[0].data_type == "s"


@pytest.mark.django_db
def test_exports_are_audited(cast, reported):
    plan_export(actor=cast.viewer_a, program=reported)
    event = AuditEvent.objects.filter(action="plans.program.export").latest("id")
    assert (event.actor, event.organisation, event.object_id) == (cast.viewer_a.user, cast.org_a, str(reported.pk))
    assert event.details == {"format": "xlsx", "actions": 2, "reports": 2}


@pytest.mark.django_db
def test_any_member_downloads_an_approved_program(cast, reported):
    response = client_for(cast.case_worker_b).get(reverse("plans:export"), {"program": reported.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith(f'attachment; filename="plan-{reported.pk}-')
    assert _progress(response.content) == [("2.1", "police-b", "accepted")]


@pytest.mark.django_db
def test_a_draft_program_is_a_404_for_members_who_are_not_coordinators(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    program = Program.objects.get()
    client = client_for(cast.admin_a)

    assert client.get(reverse("plans:export"), {"program": program.pk}).status_code == 404
    assert client.get(reverse("plans:export"), {"program": 987654}).status_code == 404
    assert client.get(reverse("plans:export"), {"program": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action="plans.program.export").exists()
    denial = AuditEvent.objects.filter(action="access.denied").order_by("id").first()
    assert denial is not None
    assert denial.details["object_id"] == str(program.pk)
    assert client_for(cast.coordinator).get(reverse("plans:export"), {"program": program.pk}).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(cast, reported):
    from django.test import Client

    response = Client().get(reverse("plans:export"), {"program": reported.pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_export_command_writes_the_workbook(cast, reported, tmp_path: Path):
    out = tmp_path / "plan.xlsx"

    call_command("plan_export", str(reported.pk), str(out))
    assert _progress(out.read_bytes()) == [("2.1", "police-b", "accepted")]  # no member: accepted only

    call_command("plan_export", str(reported.pk), str(out), "--user", "admin.a@example.org", "--org", "shelter-a")
    assert [r[0] for r in _progress(out.read_bytes())] == ["1.1", "2.1"]

    with pytest.raises(CommandError, match=r"There is no program 987654\."):
        call_command("plan_export", "987654", str(out))


@pytest.mark.django_db
def test_the_export_command_hides_draft_programs_from_members(cast, tmp_path: Path):
    plan_import(actor=cast.coordinator, source=xlsx())
    analyst = member(cast.org_a, Role.ANALYST, email="analyst.a@example.org")
    with pytest.raises(CommandError, match="There is no program"):
        call_command(
            "plan_export",
            str(Program.objects.get().pk),
            str(tmp_path / "x.xlsx"),
            "--user",
            analyst.user.email,
            "--org",
            "shelter-a",
        )
