"""Downloading a case document: decrypted for this response only, never shown inline, every read audited."""

from __future__ import annotations

import mimetypes

from django.http import HttpResponse

from ctip.cases import selectors, services
from ctip.core.access import get_child_for_actor
from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest


@membership_required
def document_download(request: MemberRequest, pk: int, document: int) -> HttpResponse:
    case = selectors.case_get_for_actor(request.membership, pk, action="document")
    found = get_child_for_actor(request.membership, case.documents, document, "document")
    content = services.document_read(actor=request.membership, document=found)
    kind = found.content_type if found.content_type in services.INLINE_SAFE_TYPES else "application/octet-stream"
    extension = mimetypes.guess_extension(kind) or ".bin"
    response = HttpResponse(content, content_type=kind)
    # The title may name the person: the file name carries only the case code.
    response["Content-Disposition"] = f'attachment; filename="{case.code}-{found.pk}{extension}"'
    return response
