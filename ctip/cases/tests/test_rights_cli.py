"""``ctip person_export`` and ``ctip person_erase``: the same rules as the API, from the server's shell."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.services import rights
from ctip.cases.tests.factories import NAME, make_case

pytestmark = pytest.mark.django_db


def _as(membership) -> list[str]:
    return ["--user", membership.user.email, "--org", membership.organisation.code]


def test_export_prints_json_for_a_supervisor(cast, net):
    case = make_case(cast.case_worker_a)
    out = StringIO()
    call_command("person_export", case.code, *_as(net.supervisor_a), "--reason", "Letter 4", stdout=out)
    data = json.loads(out.getvalue())
    assert data["identity"]["name_original"] == NAME
    assert data["cases"][0]["code"] == case.code
    assert AuditEvent.objects.filter(action="cases.person_export", reason="Letter 4").count() == 1


def test_export_writes_a_pdf_file_readable_only_by_its_owner(cast, net, tmp_path):
    case = make_case(cast.case_worker_a)
    target = tmp_path / "export.pdf"
    call_command(
        "person_export",
        case.code,
        *_as(net.supervisor_a),
        "--reason",
        "Letter 4",
        "--format",
        "pdf",
        "--output",
        str(target),
        "--language",
        "ky",
        stderr=StringIO(),
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_case_worker_is_refused_and_the_refusal_audited(cast, net):
    case = make_case(cast.case_worker_a)
    with pytest.raises(CommandError, match="Only a supervisor"):
        call_command("person_export", case.code, *_as(cast.case_worker_a), "--reason", "Letter 4")
    assert AuditEvent.objects.filter(action="access.denied").count() == 1
    assert not AuditEvent.objects.filter(action="cases.person_export").exists()


def test_another_organisation_hears_of_no_such_case(cast, net):
    case = make_case(cast.case_worker_a)
    with pytest.raises(CommandError, match=f"No case {case.code} is known to police-b"):
        call_command("person_export", case.code, *_as(cast.case_worker_b), "--reason", "Letter 4")


def test_erase_needs_yes_and_a_closed_case(cast, net):
    case = make_case(cast.case_worker_a)
    with pytest.raises(CommandError, match="add --yes"):
        call_command("person_erase", case.code, *_as(net.supervisor_a), "--reason", "Letter 9")
    with pytest.raises(CommandError, match=f"case: Close case {case.code} before erasing the identity."):
        call_command("person_erase", case.code, *_as(net.supervisor_a), "--reason", "Letter 9", "--yes")
    assert rights.person_of_case(case).name_original == NAME

    services.case_close(actor=cast.case_worker_a, case=case, reason="Returned")
    out = StringIO()
    call_command("person_erase", case.code, *_as(net.supervisor_a), "--reason", "Letter 9", "--yes", stdout=out)
    assert f"Erased the identity behind {case.code}" in out.getvalue()
    assert rights.is_erased(rights.person_of_case(case))
