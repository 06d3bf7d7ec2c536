"""The one content check behind every upload: what a file is, and when its name or declared type disagree."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from ctip.core import files

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode"
TEXT = "Встреча с адвокатом, 12 мая.\r\n\tAdvocate meeting, 12 May.\n".encode()


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": files.ODT.encode(), "content.xml": b"<x/>"})
ODS = zipped({"mimetype": files.ODS.encode(), "content.xml": b"<x/>"})

EVERYTHING = tuple(files.TYPES)
RULE = files.UploadRule(
    types=(files.PDF, files.PNG, files.TEXT), max_bytes=100, not_accepted="%(name)s is not a PDF, PNG or text file."
)


def check(name: str, content: bytes, declared: str | None = None) -> str:
    return files.check_upload(RULE, name=name, size=len(content), stream=io.BytesIO(content), declared_type=declared)


def refusal(name: str, content: bytes, declared: str | None = None) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        check(name, content, declared)
    return refused.value.message_dict


# --- Sniffing -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, files.PDF),
        (PNG, files.PNG),
        (JPEG, files.JPEG),
        (DOCX, files.DOCX),
        (XLSX, files.XLSX),
        (ODT, files.ODT),
        (ODS, files.ODS),
        (TEXT, files.TEXT),
        (b"caf\xe9 \xe0 Bichkek", files.TEXT),  # a single-byte encoding (Latin-1, Windows-1251) is text too
    ],
)
def test_sniffing_names_each_type_by_its_content(content, kind):
    stream = io.BytesIO(content)
    assert files.sniff(stream, EVERYTHING) == kind
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 16,
        b"",
        b"PK\x03\x04garbage",
        zipped({"secret.txt": b"x"}),
        zipped({"mimetype": b"application/x-evil"}),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00",
        "Unicode text in UTF-16".encode("utf-16"),  # NUL bytes between the letters
        b"plain text, then a control character \x1b[31m",
    ],
)
def test_sniffing_knows_nothing_else(content):
    assert files.sniff(io.BytesIO(content), EVERYTHING) is None


def test_sniffing_answers_only_with_an_accepted_type():
    assert files.sniff(io.BytesIO(PNG), (files.PDF, files.TEXT)) is None
    assert files.sniff(io.BytesIO(TEXT), (files.PDF, files.PNG)) is None
    assert files.sniff(io.BytesIO(ODT), (files.ODT,)) == files.ODT
    assert files.sniff(io.BytesIO(ODS), (files.ODT,)) is None


def test_a_pdf_is_a_pdf_even_when_it_is_all_text():
    assert files.sniff(io.BytesIO(b"%PDF-1.4 a statement"), EVERYTHING) == files.PDF


# --- The check ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "declared", "kind"),
    [
        ("statement.pdf", PDF, "application/pdf", files.PDF),
        ("statement.PDF", PDF, None, files.PDF),
        ("statement.pdf", PDF, "", files.PDF),
        ("statement.pdf", PDF, "application/octet-stream", files.PDF),
        ("statement.pdf", PDF, "Application/PDF", files.PDF),
        ("chart.png", PNG, "image/x-png", files.PNG),
        ("notes.txt", TEXT, "text/plain; charset=utf-8", files.TEXT),
    ],
)
def test_a_file_whose_name_and_declared_type_agree_with_its_content_passes(name, content, declared, kind):
    assert check(name, content, declared) == kind


@pytest.mark.parametrize(
    ("name", "content", "declared", "message"),
    [
        ("empty.pdf", b"", "application/pdf", "The file empty.pdf is empty."),
        ("big.pdf", PDF + b"0" * 100, "application/pdf", "The file big.pdf is 0.0 MB; the limit is 0.0 MB."),
        ("setup.pdf", EXE, "application/pdf", "setup.pdf is not a PDF, PNG or text file."),
        ("photo.jpg", JPEG, "image/jpeg", "photo.jpg is not a PDF, PNG or text file."),
        ("photo.pdf", PNG, None, "The file photo.pdf contains PNG but its name does not end in .png."),
        ("notes.pdf", TEXT, "text/plain", "The file notes.pdf contains plain text but its name does not end in .txt."),
        ("report", PDF, "application/pdf", "The file report contains PDF but its name does not end in .pdf."),
        ("scan.pdf", PDF, "image/png", "The file scan.pdf contains PDF but was sent as image/png."),
        ("scan.png", PNG, "text/html", "The file scan.png contains PNG but was sent as text/html."),
    ],
)
def test_a_file_is_refused_on_the_file_field_saying_what_is_wrong(name, content, declared, message):
    assert refusal(name, content, declared) == {"file": [message]}


def test_the_limit_is_inclusive():
    assert check("limit.pdf", PDF + b"0" * (100 - len(PDF))) == files.PDF
    assert refusal("over.pdf", PDF + b"0" * (101 - len(PDF))) == {
        "file": ["The file over.pdf is 0.0 MB; the limit is 0.0 MB."]
    }


def test_the_declared_type_is_checked_only_when_there_is_one():
    assert check("scan.pdf", PDF, None) == files.PDF
    assert refusal("scan.pdf", PDF, "image/jpeg") == {
        "file": ["The file scan.pdf contains PDF but was sent as image/jpeg."]
    }


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("..\\..\\etc/pass\x00wd\n.pdf", "passwd.pdf"),
        ("", "file"),
        ("   ", "file"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
        ("b" * 300, "b" * 255),
    ],
)
def test_a_file_name_keeps_no_directories_or_control_characters(raw, clean):
    assert files.clean_file_name(raw) == clean


def test_the_accept_attribute_lists_every_ending_of_the_accepted_types():
    assert RULE.accept_attribute() == ".pdf,.png,.txt"
    assert files.UploadRule(types=(files.JPEG,), max_bytes=1, not_accepted="").accept_attribute() == ".jpg,.jpeg"


def test_the_platform_module_imports_no_domain_app():
    tree = ast.parse(Path(files.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert sorted(name for name in imported if name.startswith("ctip.")) == []
