"""Shelter stays, case notes and encrypted documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.cases import conf
from ctip.cases.models import (
    CaseDocument,
    CaseNote,
    ShelterExtension,
    ShelterStay,
    VictimCase,
)
from ctip.cases.services._common import (
    _audit,
    _locked,
    _require,
    _required_text,
    _writable,
)
from ctip.core import files
from ctip.crypto.cipher import decrypt, encrypt
from ctip.orgs.models import Membership, Organisation

# --- Shelter ------------------------------------------------------------------------------------------------------


def shelter_stay_start(
    *, actor: Membership, case: VictimCase, started_on: dt.date, shelter: Organisation | None = None
) -> ShelterStay:
    """Open a shelter stay of the configured length (CTIP_SHELTER_DAYS)."""
    _require(actor, "shelter", case)
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": [_("The stay cannot start in the future.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        stay = ShelterStay.objects.create(
            case=locked,
            shelter=shelter or locked.owner,
            started_on=started_on,
            ends_on=started_on + dt.timedelta(days=conf.shelter_days()),
        )
        _audit(actor, "shelter_start", locked, stay, ends_on=str(stay.ends_on))
    return stay


def shelter_stay_extend(*, actor: Membership, stay: ShelterStay, until: dt.date, reason: str) -> ShelterStay:
    """Extend a stay (for the investigation or trial, say); the reason is kept."""
    _require(actor, "shelter", stay.case)
    reason = _required_text(reason, "reason", _("Say why the stay is extended."))
    with transaction.atomic():
        locked_case = _locked(stay.case)
        _writable(locked_case)
        locked = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        if locked.left_on is not None:
            raise ValidationError({"stay": [_("The person has left the shelter; open a new stay instead.")]})
        if until <= locked.ends_on:
            raise ValidationError(
                {"until": [_("An extension ends after the current end (%(end)s).") % {"end": locked.ends_on}]}
            )
        ShelterExtension.objects.create(
            stay=locked, previous_end=locked.ends_on, new_end=until, reason=reason, by=actor.user
        )
        previous = locked.ends_on
        locked.ends_on = until
        locked.save(update_fields=["ends_on"])
        _audit(actor, "shelter_extend", locked_case, locked, previous_end=str(previous), new_end=str(until))
    return locked


# --- Notes and documents ------------------------------------------------------------------------------------------


def note_add(*, actor: Membership, case: VictimCase, text: str, shared: bool = False) -> CaseNote:
    _require(actor, "note", case)
    text = _required_text(text, "text", _("The note is empty."))
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        note = CaseNote.objects.create(
            case=locked, text=text, shared=shared, organisation=actor.organisation, author=actor.user
        )
        _audit(actor, "note_add", locked, note, shared=shared)
    return note


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DOCUMENT_RULE = files.UploadRule(
    types=(files.PDF, files.JPEG, files.PNG, files.TEXT, files.DOCX, files.XLSX, files.ODT, files.ODS),
    max_bytes=MAX_DOCUMENT_BYTES,
    not_accepted=gettext_lazy(
        "The file %(name)s is not a PDF, JPEG, PNG, plain text, DOCX, XLSX, ODT or ODS file "
        "(judged by its content, not its name or declared type)."
    ),
)


# Types a browser may be handed as they are when a document is downloaded; anything else goes out as plain bytes, an
# attachment, so a stored file can never run in ctip's origin.
INLINE_SAFE_TYPES = frozenset({files.PDF, files.JPEG, files.PNG, files.TEXT})


def document_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "cases"


def document_add(
    *, actor: Membership, case: VictimCase, title: str, content: bytes, content_type: str, file_name: str
) -> CaseDocument:
    """Keep a file encrypted on disk under a random name (the name says nothing of the case or the person).

    The content decides the type (``DOCUMENT_RULE``); the file name's ending and the declared ``content_type``
    must agree with it, else nothing is stored.
    """
    _require(actor, "document", case)
    title = _required_text(title, "title", _("Give the document a title."))
    kind = files.check_upload(
        DOCUMENT_RULE,
        name=files.clean_file_name(file_name),
        size=len(content),
        stream=io.BytesIO(content),
        declared_type=content_type,
    )
    name = secrets.token_hex(20)
    path = document_dir() / name
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(encrypt(content, context=f"cases.document.{name}"), encoding="ascii")
        try:
            document = CaseDocument.objects.create(
                case=locked,
                title=title,
                content_type=kind,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                storage_name=name,
                organisation=actor.organisation,
                uploaded_by=actor.user,
            )
            _audit(actor, "document_add", locked, document, size=len(content))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return document


def document_read(*, actor: Membership, document: CaseDocument) -> bytes:
    """Return a document's bytes to the owner's case workers; every read is audited."""
    case = document.case
    _require(actor, "document", case)
    token = (document_dir() / document.storage_name).read_text(encoding="ascii")
    content = decrypt(token, context=f"cases.document.{document.storage_name}")
    with transaction.atomic():
        _audit(actor, "document_read", case, document)
    return content
