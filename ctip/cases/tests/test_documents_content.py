"""A case document is what its content says, and its name and declared type must agree (issue #10, finding 7).

Tried through every door — the page, the API and the service — a refused file leaves no row, no file on disk and
no audit event, and the refusal names the ``file`` field with what is wrong.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.cases import services
from ctip.cases.models import CaseDocument
from ctip.cases.services import document_dir
from ctip.cases.tests.factories import make_case
from ctip.conftest import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode"
TEXT = "Встреча с адвокатом 12 мая.\n".encode()
NOT_ACCEPTED = (
    "The file {name} is not a PDF, JPEG, PNG, plain text, DOCX, XLSX, ODT or ODS file "
    "(judged by its content, not its name or declared type)."
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# (file name, content, declared type) -> the one error on the file field
REFUSED = [
    pytest.param("scan.pdf", EXE, "application/pdf", NOT_ACCEPTED.format(name="scan.pdf"), id="executable-as-pdf"),
    pytest.param("setup.exe", EXE, "application/x-msdownload", NOT_ACCEPTED.format(name="setup.exe"), id="exe"),
    pytest.param(
        "page.html",
        b"<html><script>alert(1)</script>",
        "text/html",
        "The file page.html contains plain text but its name does not end in .txt.",
        id="html",
    ),
    pytest.param(
        "page.txt",
        b"<html><script>alert(1)</script>",
        "text/html",
        "The file page.txt contains plain text but was sent as text/html.",
        id="html-named-txt",
    ),
    pytest.param(
        "photo.pdf",
        PNG,
        "application/pdf",
        "The file photo.pdf contains PNG but its name does not end in .png.",
        id="png-named-pdf",
    ),
    pytest.param(
        "statement.pdf",
        PDF,
        "image/png",
        "The file statement.pdf contains PDF but was sent as image/png.",
        id="pdf-declared-png",
    ),
    pytest.param(
        "notes.txt",
        PDF,
        "text/plain",
        "The file notes.txt contains PDF but its name does not end in .pdf.",
        id="pdf-named-txt",
    ),
]


def api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def page_for(membership):
    browser = client_for(membership)
    browser.cookies["ctip_language"] = "en"
    return browser


def stored_files() -> list[str]:
    folder = document_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def nothing_stored() -> tuple[int, list[str], int]:
    return CaseDocument.objects.count(), stored_files(), AuditEvent.objects.filter(action="cases.document_add").count()


# --- The API --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "declared", "message"), REFUSED)
def test_the_api_refuses_content_that_disagrees_and_stores_nothing(cast, name, content, declared, message):
    case = make_case(cast.case_worker_a)
    upload = SimpleUploadedFile(name, content, content_type=declared)

    response = api(cast.case_worker_a).post(f"/api/v1/cases/{case.pk}/documents/", {"title": "Scan", "file": upload})

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"], error["message"]) == (400, "invalid", "The request has invalid fields.")
    assert error["fields"] == {"file": [message]}
    assert nothing_stored() == (0, [], 0)


@pytest.mark.parametrize(
    ("name", "content", "declared", "kind"),
    [
        pytest.param("statement.pdf", PDF, "application/pdf", "application/pdf", id="pdf"),
        pytest.param("passport.jpg", JPEG, "image/jpeg", "image/jpeg", id="jpeg"),
        pytest.param("passport.jpeg", JPEG, "image/jpg", "image/jpeg", id="jpeg-informal-type"),
        pytest.param("chart.png", PNG, "application/octet-stream", "image/png", id="png-undeclared"),
        pytest.param("notes.txt", TEXT, "text/plain", "text/plain", id="text"),
        pytest.param("contract.docx", _docx(), DOCX_TYPE, DOCX_TYPE, id="docx"),
    ],
)
def test_the_api_keeps_a_file_under_the_type_its_content_has(cast, name, content, declared, kind):
    case = make_case(cast.case_worker_a)
    upload = SimpleUploadedFile(name, content, content_type=declared)

    response = api(cast.case_worker_a).post(f"/api/v1/cases/{case.pk}/documents/", {"title": "Scan", "file": upload})

    assert response.status_code == 201
    assert (response.json()["content_type"], response.json()["size"]) == (kind, len(content))
    assert CaseDocument.objects.get().content_type == kind
    assert len(stored_files()) == 1


# --- The page -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "declared", "message"), REFUSED)
def test_the_page_refuses_content_that_disagrees_on_the_file_field(cast, name, content, declared, message):
    case = make_case(cast.case_worker_a)
    upload = SimpleUploadedFile(name, content, content_type=declared)

    response = page_for(cast.case_worker_a).post(
        reverse("cases:document_add", args=[case.pk]), {"title": "Passport copy", "file": upload}
    )

    assert response.status_code == 200
    form = response.context["document_form"]
    assert form.errors == {"file": [message]}
    assert form["title"].value() == "Passport copy"
    assert nothing_stored() == (0, [], 0)


def test_the_page_stores_a_file_whose_content_name_and_type_agree(cast):
    case = make_case(cast.case_worker_a)
    upload = SimpleUploadedFile("passport.png", PNG, content_type="image/png")

    response = page_for(cast.case_worker_a).post(
        reverse("cases:document_add", args=[case.pk]), {"title": "Passport copy", "file": upload}
    )

    assert response.status_code == 302
    assert CaseDocument.objects.get().content_type == "image/png"
    assert len(stored_files()) == 1


def test_the_page_says_which_types_it_takes(cast):
    case = make_case(cast.case_worker_a)
    response = page_for(cast.case_worker_a).get(reverse("cases:detail", args=[case.pk]) + "?tab=documents")
    html = response.content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png,.txt,.docx,.xlsx,.odt,.ods"' in html
    assert "PDF, JPEG, PNG, plain text, DOCX, XLSX, ODT or ODS, up to 20 MB. It is stored encrypted." in html


# --- The service (every other door) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "declared", "message"), REFUSED)
def test_the_service_refuses_content_that_disagrees(cast, name, content, declared, message):
    case = make_case(cast.case_worker_a)
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            actor=cast.case_worker_a, case=case, title="Scan", content=content, content_type=declared, file_name=name
        )
    assert refused.value.message_dict == {"file": [message]}
    assert nothing_stored() == (0, [], 0)


def test_the_service_refuses_an_empty_or_oversized_file(cast, settings):
    case = make_case(cast.case_worker_a)
    big = PDF + b"0" * (services.MAX_DOCUMENT_BYTES - len(PDF) + 1)

    def refusal(content: bytes) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as refused:
            services.document_add(
                actor=cast.case_worker_a,
                case=case,
                title="Scan",
                content=content,
                content_type="application/pdf",
                file_name="scan.pdf",
            )
        return refused.value.message_dict

    assert refusal(b"") == {"file": ["The file scan.pdf is empty."]}
    assert refusal(big) == {"file": ["The file scan.pdf is 20.0 MB; the limit is 20.0 MB."]}
    assert nothing_stored() == (0, [], 0)


def test_the_service_keeps_the_type_the_content_has_not_the_one_declared(cast):
    case = make_case(cast.case_worker_a)
    document = services.document_add(
        actor=cast.case_worker_a,
        case=case,
        title="Scan",
        content=PDF,
        content_type="application/octet-stream",
        file_name="scan.pdf",
    )
    assert document.content_type == "application/pdf"
    assert services.document_read(actor=cast.case_worker_a, document=document) == PDF
