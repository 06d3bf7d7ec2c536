"""The national progress report: three formats that open, only accepted narratives, its language, who may make it."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.orgs.roles import Role
from ctip.plans.models import ProgressReport
from ctip.plans.tests.test_dashboard import (
    ACCEPTED_NARRATIVE,
    DRAFT_NARRATIVE,
    WAITING_NARRATIVE,
    Scene,
    add_funding,
    make_scene,
)
from ctip.testing import member

pytestmark = pytest.mark.django_db


def download(scene: Scene, membership, **params: object):
    url = reverse("plans:national_report", args=[scene.program.pk])
    return client_for(membership).get(url, {"period": scene.h1_2024.pk, **params})


def docx_text(content: bytes) -> tuple[list[str], str]:
    """Return the document's headings and all its text (paragraphs and table cells)."""
    doc = Document(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in doc.paragraphs] + cells)


def xlsx_cells(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_pdf_opens_and_holds_accepted_narratives_only(cast):
    scene = make_scene(cast)
    response = download(scene, cast.coordinator, format="pdf", lang="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed; the PDF's text is not checked")
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert ACCEPTED_NARRATIVE in flat
    assert DRAFT_NARRATIVE not in flat
    assert WAITING_NARRATIVE not in flat  # the coordinator sees it for review, but it is not accepted
    assert "State Program" in flat
    assert "Implementation by pillar" in flat


def test_the_docx_opens_with_the_sections_and_accepted_narratives_only(cast):
    scene = make_scene(cast)
    response = download(scene, cast.coordinator, format="docx", lang="en")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'national-report-{scene.program.pk}-2024-01-01-en.docx"')
    headings, text = docx_text(response.content)
    assert headings[:2] == ["National progress report", "State Program"]
    assert {"Summary", "Actions", "Indicators", "Funding", "What each agency reported"} <= set(headings)
    assert ACCEPTED_NARRATIVE in text
    assert DRAFT_NARRATIVE not in text
    assert WAITING_NARRATIVE not in text
    assert "Officers trained" in text


def test_the_xlsx_opens_with_numbers_as_numbers_and_text_never_a_formula(cast):
    scene = make_scene(cast)
    ProgressReport.objects.filter(narrative=ACCEPTED_NARRATIVE).update(narrative='=HYPERLINK("http://x","y")')
    response = download(scene, cast.coordinator, format="xlsx", lang="en")
    assert response.status_code == 200
    sheets = xlsx_cells(response.content)
    assert list(sheets)[:2] == ["Report", "In brief"]
    narratives = sheets["What each agency reported"]
    assert narratives[0] == ("Code", "Agency", "Role", "Status", "Per cent", "Narrative")
    assert narratives[1:] == [
        ("1.1.1", "Police B", "Lead", "Completed", 100, None),
        ("2.3.1", "Shelter A", "Lead", "In progress", 40, '=HYPERLINK("http://x","y")'),
        ("2.3.1", "Police B", "Co-executor", "No accepted report", None, None),  # its draft is not shown
        ("3.1.1", "Shelter A", "Lead", "No accepted report", None, None),  # submitted, not yet accepted
    ]
    book = load_workbook(io.BytesIO(response.content))
    cell = book["What each agency reported"]["F3"]
    assert cell.data_type == "s"  # kept as the text the agency wrote, not run as a formula
    indicators = sheets["Indicators against their target"]  # Excel's 31-character limit
    assert indicators[1] == ("2.3.1", "Officers trained", "people", 0, 40, 100, 40)


def test_the_report_has_a_funding_section_by_donor_and_gap(cast):
    scene = make_scene(cast)
    add_funding(cast, scene)
    sheets = xlsx_cells(download(scene, cast.coordinator, format="xlsx", lang="en").content)
    assert sheets["Funding by donor"][2] == ("INL", "USD", 1_000_000, 1_000_000, 600, 250_000)
    assert sheets["Funding gaps by pillar"][2][:6] == ("Protection", "USD", 1, 1000, 600, 400)
    headings, text = docx_text(download(scene, cast.coordinator, format="docx", lang="en").content)
    assert "Funding by donor" in headings
    assert "1,000,000" in text


def test_the_language_parameter_changes_the_headings_and_names(cast):
    scene = make_scene(cast)
    english = docx_text(download(scene, cast.coordinator, format="docx", lang="en").content)
    russian = docx_text(download(scene, cast.coordinator, format="docx", lang="ru").content)
    assert "State Program" in english[0]
    assert "Госпрограмма" in russian[0]
    assert "Prevention" in english[1]
    assert "Предупреждение" in russian[1]
    assert "Приют А" in russian[1]
    assert "Shelter A" not in russian[1]
    assert english[0] != russian[0]
    assert "Actions" in english[0]
    assert "Действия" in russian[0]  # a section heading the catalogue already translates
    sheets = xlsx_cells(download(scene, cast.coordinator, format="xlsx", lang="ky").content)
    first_sheet = next(iter(sheets.values()))  # named in Kyrgyz too
    assert first_sheet[1] == ("Программа",)  # the program's Kyrgyz title


def test_generating_the_report_is_audited_as_an_export(cast):
    scene = make_scene(cast)
    analyst_b = member(cast.org_b, Role.ANALYST)
    assert download(scene, analyst_b, format="xlsx", lang="ru").status_code == 200
    event = AuditEvent.objects.get(action="plans.national_report.export")
    assert event.actor == analyst_b.user
    assert event.object_id == str(scene.program.pk)
    assert event.details == {"period": scene.h1_2024.pk, "format": "xlsx", "language": "ru", "actions": 3}


@pytest.mark.parametrize("who", ["viewer_a", "case_worker_a", "admin_a", "admin_b"])
def test_members_who_are_neither_coordinators_nor_analysts_are_refused(cast, who):
    scene = make_scene(cast)
    response = download(scene, getattr(cast, who), format="pdf")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="plans.national_report.export").exists()
    denial = AuditEvent.objects.get(action="access.denied")
    assert denial.details["status"] == 403


def test_anonymous_visitors_are_sent_to_log_in(cast):
    scene = make_scene(cast)
    response = Client().get(reverse("plans:national_report", args=[scene.program.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"lang": "de"}, "lang"), ({"format": "odt"}, "format"), ({"period": "abc"}, "period")],
)
def test_bad_parameters_are_named_and_nothing_is_generated(cast, params, field):
    scene = make_scene(cast)
    client = client_for(cast.coordinator)
    client.cookies["ctip_language"] = "en"
    response = client.get(reverse("plans:national_report", args=[scene.program.pk]), params)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert "The report was not generated" in response.content.decode()
    assert not AuditEvent.objects.filter(action="plans.national_report.export").exists()


def test_a_period_of_another_program_is_refused(cast):
    scene = make_scene(cast)
    other = make_scene(cast)
    response = download(scene, cast.coordinator, period=other.h1_2024.pk)
    assert response.status_code == 400
    assert "not one of them" in response.content.decode() or response.context["form"].errors["period"]


def test_without_parameters_it_is_a_pdf_of_the_current_period_in_the_page_language(cast):
    scene = make_scene(cast)
    page = client_for(cast.coordinator, language="ru")
    response = page.get(reverse("plans:national_report", args=[scene.program.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="plans.national_report.export")
    assert event.details["period"] == scene.last.pk
    assert event.details["language"] == "ru"  # the page's language
