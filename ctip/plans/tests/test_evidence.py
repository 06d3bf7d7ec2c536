"""Evidence files on progress reports: what is accepted, where it is kept, who may add, open and remove it."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404

from ctip.audit.models import AuditEvent
from ctip.plans.models import EVIDENCE_MAX_BYTES, ReportEvidence
from ctip.plans.services import (
    evidence_add,
    evidence_open,
    evidence_remove,
    report_accept,
    report_return,
    report_save_draft,
    report_submit,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(plan):
    return report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, percent=10)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Report.PDF", PDF, "application/pdf"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("chart.png", PNG, "image/png"),
        ("minutes.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("table.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("letter.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("sheet.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_each_accepted_type_is_stored_under_a_random_name(plan, draft, media, name, content, kind):
    evidence = evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload(name, content))
    assert (evidence.original_name, evidence.content_type, evidence.size) == (name, kind, len(content))
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == plan.reporter_a.user
    [path] = stored_files(media)
    assert path.read_bytes() == content
    relative = str(path.relative_to(media))
    assert name.split(".")[0].lower() not in relative.lower()
    assert re.fullmatch(r"plans/evidence/[0-9a-f]{4}/[A-Za-z0-9_-]{32}", relative.replace("\\", "/"))
    event = AuditEvent.objects.get(action="plans.evidence.add")
    assert event.details == {"report": draft.pk, "type": kind, "size": len(content)}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "not a PDF, DOCX, XLSX, ODT, ODS, JPEG or PNG"),
        ("page.html", b"<html><script>alert(1)</script>", "not a PDF"),
        ("archive.docx", zipped({"secret.txt": b"x"}), "not a PDF"),
        ("fake.odt", zipped({"mimetype": b"application/x-evil"}), "not a PDF"),
        ("broken.xlsx", b"PK\x03\x04garbage", "not a PDF"),
        ("photo.pdf", PNG, "contains PNG but its name does not end in .png"),
        ("report.exe", PDF, "does not end in .pdf"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_other_content_is_refused_whatever_its_name(plan, draft, media, name, content, message):
    with pytest.raises(ValidationError, match=message) as refused:
        evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload(name, content))
    assert "file" in refused.value.message_dict
    assert not ReportEvidence.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_10_mb_is_refused(plan, draft, media):
    big = PDF + b"0" * (EVIDENCE_MAX_BYTES - len(PDF) + 1)
    with pytest.raises(ValidationError, match=r"big.pdf is 10.0 MB; the limit is 10.0 MB"):
        evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("big.pdf", big))
    exactly = upload("limit.pdf", big[:EVIDENCE_MAX_BYTES])
    assert evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=exactly).size == EVIDENCE_MAX_BYTES
    assert len(stored_files(media)) == 1


def test_the_name_keeps_no_directories_or_control_characters(plan, draft):
    evidence = evidence_add(
        actor=plan.reporter_a, report=draft, uploaded_file=upload("..\\..\\etc/pass\x00wd\n.pdf", PDF)
    )
    assert evidence.original_name == "passwd.pdf"


def test_files_are_added_only_while_the_report_is_editable(cast, plan, draft, media):
    evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("a.pdf", PDF))
    report = report_submit(actor=plan.reporter_a, report=draft)
    with pytest.raises(ValidationError, match="only while the report is a draft or has been returned"):
        evidence_add(actor=plan.reporter_a, report=report, uploaded_file=upload("b.pdf", PDF))
    report = report_return(actor=cast.coordinator, report=report, comment="Attach the list")
    evidence_add(actor=plan.reporter_a, report=report, uploaded_file=upload("c.pdf", PDF))
    report = report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=report))
    with pytest.raises(ValidationError, match=r"accepted on .* and is locked"):
        evidence_add(actor=plan.reporter_a, report=report, uploaded_file=upload("d.pdf", PDF))
    evidence = ReportEvidence.objects.first()
    with pytest.raises(ValidationError, match="locked"):
        evidence_remove(actor=plan.reporter_a, evidence=evidence)
    assert sorted(ReportEvidence.objects.values_list("original_name", flat=True)) == ["a.pdf", "c.pdf"]
    assert len(stored_files(media)) == 2


def test_only_the_reports_organisations_reporters_add_files(cast, plan, draft, media):
    with pytest.raises(PermissionDenied):
        evidence_add(actor=cast.viewer_a, report=draft, uploaded_file=upload("a.pdf", PDF))
    with pytest.raises(Http404):
        evidence_add(actor=plan.reporter_b, report=draft, uploaded_file=upload("a.pdf", PDF))
    with pytest.raises(Http404):
        evidence_add(actor=cast.coordinator, report=draft, uploaded_file=upload("a.pdf", PDF))
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="access.denied").count() == 3


def test_removing_deletes_the_file_after_the_commit(cast, plan, draft, media, django_capture_on_commit_callbacks):
    evidence = evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("a.pdf", PDF))
    with pytest.raises(PermissionDenied):
        evidence_remove(actor=cast.viewer_a, evidence=evidence)
    with pytest.raises(Http404):
        evidence_remove(actor=plan.reporter_b, evidence=evidence)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(actor=plan.reporter_a, evidence=evidence)
    assert not ReportEvidence.objects.exists()
    assert len(stored_files(media)) == 1  # still there until the transaction commits
    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="plans.evidence.remove").count() == 1


def test_a_removal_rolled_back_keeps_the_file(plan, draft, media, django_capture_on_commit_callbacks):
    evidence = evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("a.pdf", PDF))

    def remove_then_fail() -> None:
        with transaction.atomic():
            evidence_remove(actor=plan.reporter_a, evidence=evidence)
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        remove_then_fail()
    assert callbacks == []
    assert ReportEvidence.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_opening_a_file_is_allowed_like_the_report_and_audited(cast, plan, draft):
    evidence = evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("a.pdf", PDF))
    found, handle = evidence_open(actor=cast.viewer_a, evidence=evidence.pk)
    with handle:
        assert handle.read() == PDF
    assert found.original_name == "a.pdf"
    with pytest.raises(Http404):
        evidence_open(actor=cast.coordinator, evidence=evidence)  # a draft's file, like the draft, is not theirs
    report_submit(actor=plan.reporter_a, report=draft)
    found, handle = evidence_open(actor=cast.coordinator, evidence=evidence)
    handle.close()
    assert AuditEvent.objects.filter(action="plans.evidence.open").count() == 2


def sniff_evidence_type(stream):
    from ctip.core import files
    from ctip.plans.services import EVIDENCE_RULE

    return files.sniff(stream, EVIDENCE_RULE.types)


def test_sniffing_reads_the_content_not_the_name():
    assert sniff_evidence_type(io.BytesIO(PDF)) == "application/pdf"
    assert sniff_evidence_type(io.BytesIO(b"MZ\x90\x00")) is None
    assert sniff_evidence_type(io.BytesIO(b"")) is None
    stream = io.BytesIO(DOCX)
    sniff_evidence_type(stream)
    assert stream.tell() == 0


def test_a_very_long_name_is_shortened_keeping_its_ending(plan, draft):
    evidence = evidence_add(actor=plan.reporter_a, report=draft, uploaded_file=upload("a" * 300 + ".pdf", PDF))
    assert evidence.original_name == "a" * 251 + ".pdf"
