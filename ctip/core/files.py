"""What an uploaded file is, judged by its content: the one check behind every upload ctip keeps.

The platform knows file formats, not the apps that take uploads: each app states what it accepts in an
``UploadRule`` (its types, its size limit, and the sentence that lists them for its users) and calls
``check_upload``, which refuses on the ``file`` field an empty or oversized file, content that is none of the
accepted types, a name whose ending does not agree with the content and, when the sender declared a type, a
declared type that does not agree either. The content decides; names and declared types only have to agree.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"


@dataclass(frozen=True)
class FileType:
    """A format ctip can recognise: its name for people and the file name endings that may carry it."""

    label: str | Promise
    endings: tuple[str, ...]


TYPES: dict[str, FileType] = {
    PDF: FileType("PDF", (".pdf",)),
    DOCX: FileType("DOCX", (".docx",)),
    XLSX: FileType("XLSX", (".xlsx",)),
    ODT: FileType("ODT", (".odt",)),
    ODS: FileType("ODS", (".ods",)),
    JPEG: FileType("JPEG", (".jpg", ".jpeg")),
    PNG: FileType("PNG", (".png",)),
    TEXT: FileType(gettext_lazy("plain text"), (".txt",)),
}

# Declared types that say nothing about the content (a browser's answer for an ending it does not know).
_UNDECLARED = frozenset({"", "application/octet-stream"})
# Older or informal names some clients still send for a type.
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG, "application/x-pdf": PDF}

_ODF_TYPES = {ODT.encode(), ODS.encode()}
# Control characters that plain text does not contain (tab, line feed, vertical tab, form feed and carriage
# return are allowed). Executables, images and archives contain them within their first bytes.
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class UploadRule:
    """What one kind of upload accepts.

    ``not_accepted`` is the refusal for any other content, with ``%(name)s`` for the file's name; it lists the
    accepted types in words for the app's users.
    """

    types: tuple[str, ...]
    max_bytes: int
    not_accepted: str | Promise

    def accept_attribute(self) -> str:
        """Return the endings of the accepted types, for a file input's ``accept`` attribute."""
        return ",".join(ending for kind in self.types for ending in TYPES[kind].endings)


def sniff(stream: IO[bytes], accepted: Collection[str]) -> str | None:
    """Return which of the accepted types the content is, by its magic bytes (and a ZIP's table of contents).

    ODF files start with an uncompressed ``mimetype`` entry naming their type; Office Open XML files carry
    ``[Content_Types].xml`` and their main part (``word/document.xml`` or ``xl/workbook.xml``). Plain text is
    considered only when accepted: the whole content must be free of control characters. The stream is left at
    its start.
    """
    kind = _sniff_binary(stream)
    if kind is None and TEXT in accepted and _is_text(stream):
        kind = TEXT
    return kind if kind in accepted else None


def _sniff_binary(stream: IO[bytes]) -> str | None:
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).strip()
                return declared.decode() if declared in _ODF_TYPES else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        stream.seek(0)
    return None


def _is_text(stream: IO[bytes]) -> bool:
    stream.seek(0)
    content = stream.read()
    stream.seek(0)
    return bool(content) and _NOT_TEXT.search(content) is None


def clean_file_name(name: str) -> str:
    """Return the base name only, without control characters, at most 255 characters (keeping the ending)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "file"
    if len(base) > 255:
        stem, dot, ending = base.rpartition(".")
        base = (stem[: 254 - len(ending)] + dot + ending) if dot and len(ending) < 16 else base[:255]
    return base


def check_upload(rule: UploadRule, *, name: str, size: int, stream: IO[bytes], declared_type: str | None = None) -> str:
    """Return the type of the uploaded file; refuse it (ValidationError on ``file``) saying what is wrong.

    ``name`` is the cleaned file name (``clean_file_name``). ``declared_type`` is the type the sender gave
    (a multipart part's Content-Type); None when the door has none to check.
    """
    if size == 0:
        raise _refused(_("The file %(name)s is empty.") % {"name": name})
    if size > rule.max_bytes:
        raise _refused(
            _("The file %(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(rule.max_bytes)}
        )
    kind = sniff(stream, rule.types)
    if kind is None:
        raise _refused(str(rule.not_accepted) % {"name": name})
    endings = TYPES[kind].endings
    if not name.lower().endswith(endings):
        raise _refused(
            _("The file %(name)s contains %(kind)s but its name does not end in %(endings)s.")
            % {"name": name, "kind": TYPES[kind].label, "endings": " / ".join(endings)}
        )
    if declared_type is not None and not _declares(declared_type, kind):
        raise _refused(
            _("The file %(name)s contains %(kind)s but was sent as %(declared)s.")
            % {"name": name, "kind": TYPES[kind].label, "declared": declared_type[:100]}
        )
    return kind


def _declares(declared_type: str, kind: str) -> bool:
    declared = declared_type.split(";", 1)[0].strip().lower()
    return declared in _UNDECLARED or _ALIASES.get(declared, declared) == kind


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
