"""The rest of a case's work over the API: notes, documents, shelter stays, and transfers of ownership.

Registered in ``ctip/cases/api_urls.py``'s router. Like the rest of the API it is thin: objects come through the
policies (404 for an organisation that does not know the case, 403 without the role, both audited) and every write
goes through the same services as the pages, so the API refuses exactly what the pages refuse.

* ``/cases/{id}/notes/`` — GET the notes the organisation may read (the owner's case workers all of them, a receiver
  of an active referral only the shared ones); POST a note (the owner's case workers).
* ``/cases/{id}/documents/`` — GET the documents' metadata; POST a file (multipart, ``title`` and ``file``);
  ``/cases/{id}/documents/{document_id}/`` downloads one, decrypted for that response, every read audited.
* ``/cases/{id}/shelter-stays/`` — GET the stays; POST starts one; ``…/{stay_id}/extend/`` extends it with a reason.
* ``/cases/{id}/transfers/`` — GET the case's transfers; POST proposes one (consent or a supervisor's legal basis).
* ``/transfers/`` — the transfers the organisation proposed or received (``box``, ``status``); ``accept``,
  ``decline`` (the receiver) and ``cancel`` (the proposer).
"""

from __future__ import annotations

import mimetypes
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ctip.api.authentication import acting_membership, require_membership
from ctip.api.base import ScopedViewSet, validated
from ctip.api.parsers import JSONParser
from ctip.cases import access, selectors, services, validation
from ctip.cases.models import (
    CaseDocument,
    CaseNote,
    OwnershipTransfer,
    ShelterExtension,
    ShelterStay,
    VictimCase,
)
from ctip.cases.vocab import TransferStatus
from ctip.core.access import get_child_for_actor
from ctip.orgs.models import Organisation

# --- Helpers --------------------------------------------------------------------------------------------------------


def _org_field(**kwargs: Any) -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.filter(is_active=True), **kwargs
    )


def _org_code() -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(slug_field="code", read_only=True)


# --- Serializers ----------------------------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer[CaseNote]):
    organisation = _org_code()
    author = serializers.EmailField(source="author.email", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "text", "shared", "organisation", "author", "created_at"]
        read_only_fields = fields


class NoteInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20000, trim_whitespace=True)
    shared = serializers.BooleanField(
        default=False, help_text="Shared with the organisations that receive an active referral of the case."
    )


class DocumentSerializer(serializers.ModelSerializer[CaseDocument]):
    organisation = _org_code()

    class Meta:
        model = CaseDocument
        fields = ["id", "title", "content_type", "size", "sha256", "organisation", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=500)
    file = serializers.FileField(
        help_text=(
            "PDF, JPEG, PNG, plain text, DOCX, XLSX, ODT or ODS, at most 20 MB; kept encrypted. The content decides "
            "the type: the file name's ending and the part's Content-Type must agree with it."
        )
    )


class ShelterExtensionSerializer(serializers.ModelSerializer[ShelterExtension]):
    class Meta:
        model = ShelterExtension
        fields = ["previous_end", "new_end", "at"]
        read_only_fields = fields


class ShelterStaySerializer(serializers.ModelSerializer[ShelterStay]):
    shelter = _org_code()
    extensions = ShelterExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = ShelterStay
        fields = ["id", "shelter", "started_on", "ends_on", "left_on", "extensions"]
        read_only_fields = fields


class ShelterStartSerializer(serializers.Serializer[Any]):
    started_on = serializers.DateField()
    shelter = _org_field(
        required=False, allow_null=True, help_text="The shelter's organisation code; the owner when left out."
    )


class ShelterExtendSerializer(serializers.Serializer[Any]):
    until = serializers.DateField(help_text="The new last day of the stay, after the current one.")
    reason = serializers.CharField(max_length=2000)


class TransferSerializer(serializers.ModelSerializer[OwnershipTransfer]):
    case = serializers.CharField(source="case.code", read_only=True)
    case_id = serializers.IntegerField(read_only=True)
    from_organisation = _org_code()
    to_organisation = _org_code()
    on_consent = serializers.SerializerMethodField()

    class Meta:
        model = OwnershipTransfer
        fields = [
            "id",
            "case",
            "case_id",
            "from_organisation",
            "to_organisation",
            "status",
            "on_consent",
            "proposed_at",
            "responded_at",
        ]
        read_only_fields = fields

    def get_on_consent(self, obj: OwnershipTransfer) -> bool:
        """True when the person's consent is the basis; false when a supervisor recorded a legal basis."""
        return obj.consent_id is not None


class TransferInputSerializer(serializers.Serializer[Any]):
    to_organisation = _org_field()
    consent = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The consent to rely on; found when left out."
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="A supervisor's legal basis when the person has not consented (never the person's name).",
    )


# --- A case's notes, documents, shelter stays and transfers --------------------------------------------------------

# The policy action each view asks for (a GET asks for the first, a POST for the second).
CARE_ACTIONS: dict[str, tuple[str, str]] = {
    "notes": ("read_notes", "note"),  # in the owner only case workers and supervisors read notes
    "documents": ("document", "document"),
    "document_download": ("document", "document"),
    "shelter_stays": ("view", "shelter"),
    "shelter_extend": ("shelter", "shelter"),
    "transfers": ("transfer", "transfer"),
}


class CaseCareViewSet(ScopedViewSet[VictimCase]):
    """The parts of one case under ``/cases/{id}/``: no list and no detail of its own (``CaseViewSet`` has them)."""

    policy = access.cases
    http_method_names: ClassVar[list[str]] = ["get", "post", "head", "options"]  # type: ignore[misc]

    def policy_action(self) -> str:
        reading, writing = CARE_ACTIONS.get(self.action, ("edit", "edit"))
        if self.request.method not in ("GET", "HEAD"):
            return writing
        return reading

    def _case(self) -> VictimCase:
        case: VictimCase = self.get_object()
        return case

    @extend_schema(methods=["GET"], request=None, responses=NoteSerializer(many=True), summary="The notes you may read")
    @extend_schema(methods=["POST"], request=NoteInputSerializer, responses={201: NoteSerializer}, summary="Add a note")
    @action(detail=True, methods=["get", "post"])
    def notes(self, request: Request, pk: str) -> Response:
        """The owner's case workers read every note and write them; a receiver reads only the shared ones."""
        case, actor = self._case(), require_membership(request)
        if request.method == "GET":
            rows = selectors.notes_for(actor, case).select_related("author", "organisation")
            return Response(NoteSerializer(rows, many=True).data)
        data = validated(NoteInputSerializer, request)
        note = services.note_add(actor=actor, case=case, text=data["text"], shared=data["shared"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses=DocumentSerializer(many=True), summary="The case's documents"
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Upload a document (kept encrypted)",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def documents(self, request: Request, pk: str) -> Response:
        """GET: the documents' titles, types and sizes (never their content). POST: store a file, encrypted."""
        case, actor = self._case(), require_membership(request)
        if request.method == "GET":
            rows = case.documents.select_related("organisation")
            return Response(DocumentSerializer(rows, many=True).data)
        data = validated(DocumentUploadSerializer, request)
        upload = data["file"]
        document = services.document_add(
            actor=actor,
            case=case,
            title=data["title"],
            content=upload.read(),
            content_type=upload.content_type or "",
            file_name=upload.name or "",
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment named by the case code."
            )
        },
        summary="Download a document (audited)",
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)")
    def document_download(self, request: Request, pk: str, document_id: str) -> HttpResponse:
        """The file decrypted for this response only, always as an attachment; every read is audited."""
        case = self._case()
        refusal = exceptions.NotFound(_("This case has no document %(id)s.") % {"id": document_id})
        document = get_child_for_actor(
            require_membership(request), case.documents, int(document_id), self.policy_action(), refusal=refusal
        )
        content = services.document_read(actor=require_membership(request), document=document)
        safe = document.content_type in services.INLINE_SAFE_TYPES
        kind = document.content_type if safe else "application/octet-stream"
        response = HttpResponse(content, content_type=kind)
        # The title may name the person: the file name carries only the case code.
        extension = mimetypes.guess_extension(kind) or ".bin"
        response["Content-Disposition"] = f'attachment; filename="{case.code}-{document.pk}{extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(
        methods=["GET"], request=None, responses=ShelterStaySerializer(many=True), summary="The shelter stays"
    )
    @extend_schema(
        methods=["POST"],
        request=ShelterStartSerializer,
        responses={201: ShelterStaySerializer},
        summary="Start a shelter stay of the configured length",
    )
    @action(detail=True, methods=["get", "post"], url_path="shelter-stays")
    def shelter_stays(self, request: Request, pk: str) -> Response:
        case = self._case()
        if request.method == "GET":
            rows = case.shelter_stays.select_related("shelter").prefetch_related("extensions").order_by("-started_on")
            return Response(ShelterStaySerializer(rows, many=True).data)
        data = validated(ShelterStartSerializer, request)
        stay = services.shelter_stay_start(
            actor=require_membership(request), case=case, started_on=data["started_on"], shelter=data.get("shelter")
        )
        return Response(ShelterStaySerializer(stay).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShelterExtendSerializer, responses=ShelterStaySerializer, summary="Extend a shelter stay")
    @action(detail=True, methods=["post"], url_path=r"shelter-stays/(?P<stay_id>\d+)/extend")
    def shelter_extend(self, request: Request, pk: str, stay_id: str) -> Response:
        """Extend a stay past its end (for the investigation or the trial, say); the reason is kept."""
        case = self._case()
        refusal = exceptions.ValidationError({"stay": [_("This case has no shelter stay %(id)s.") % {"id": stay_id}]})
        stay = get_child_for_actor(
            require_membership(request), case.shelter_stays, int(stay_id), self.policy_action(), refusal=refusal
        )
        data = validated(ShelterExtendSerializer, request)
        stay = services.shelter_stay_extend(
            actor=require_membership(request), stay=stay, until=data["until"], reason=data["reason"]
        )
        return Response(ShelterStaySerializer(stay).data)

    @extend_schema(
        methods=["GET"], request=None, responses=TransferSerializer(many=True), summary="The case's transfers"
    )
    @extend_schema(
        methods=["POST"],
        request=TransferInputSerializer,
        responses={201: TransferSerializer},
        summary="Propose to transfer the case to another organisation",
    )
    @action(detail=True, methods=["get", "post"])
    def transfers(self, request: Request, pk: str) -> Response:
        """The case changes hands only when the other organisation accepts (``POST /transfers/{id}/accept/``)."""
        case = self._case()
        if request.method == "GET":
            rows = case.transfers.select_related("case", "from_organisation", "to_organisation")
            return Response(TransferSerializer(rows.order_by("-proposed_at", "-id"), many=True).data)
        data = validated(TransferInputSerializer, request)
        consent = None
        if data["consent"] is not None:
            refusal = exceptions.ValidationError(
                {"consent": [_("This case has no consent %(id)s.") % {"id": data["consent"]}]}
            )
            consent = get_child_for_actor(
                require_membership(request), case.consents, data["consent"], self.policy_action(), refusal=refusal
            )
        transfer = services.transfer_propose(
            actor=require_membership(request),
            case=case,
            to_organisation=data["to_organisation"],
            consent=consent,
            override_reason=data["override_reason"],
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


# --- Transfers the organisation proposed or received ---------------------------------------------------------------


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[OwnershipTransfer]):
    """Transfers of ownership the acting organisation proposed (outbox) or received (inbox); case workers and
    supervisors only. ``?box=inbox&status=proposed`` lists those waiting for its answer."""

    policy = access.transfers
    serializer_class = TransferSerializer

    def policy_action(self) -> str:
        return "view" if self.request.method in ("GET", "HEAD") else self.action

    def refine_queryset(self, queryset: QuerySet[OwnershipTransfer]) -> QuerySet[OwnershipTransfer]:
        actor = acting_membership(self.request)
        if self.action == "list":
            assert actor is not None  # noqa: S101  (ScopedViewSet asked the policy for "list")
            box = self.request.query_params.get("box", "")
            if box == "inbox":
                queryset = queryset.filter(to_organisation_id=actor.organisation_id)
            elif box == "outbox":
                queryset = queryset.filter(from_organisation_id=actor.organisation_id)
            elif box:
                raise exceptions.ValidationError({"box": [_("Choose inbox or outbox.")]})
            wanted = self.request.query_params.get("status", "")
            if wanted:
                validation.choice(wanted, TransferStatus, "status")
                queryset = queryset.filter(status=wanted)
        rows = queryset.select_related("case", "from_organisation", "to_organisation")
        return rows.order_by("-proposed_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("box", OpenApiTypes.STR, enum=["inbox", "outbox"]),
            OpenApiParameter("status", OpenApiTypes.STR, enum=TransferStatus.values),
        ],
        summary="Transfers proposed or received, newest first",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _answer(self, verb: Any) -> Response:
        transfer = self.get_object()
        transfer = verb(actor=require_membership(self.request), transfer=transfer)
        return Response(TransferSerializer(transfer).data)

    @extend_schema(request=None, summary="Accept a transfer: the case becomes your organisation's")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._answer(services.transfer_accept)

    @extend_schema(request=None, summary="Decline a transfer: the case stays with its owner")
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._answer(services.transfer_decline)

    @extend_schema(request=None, summary="Cancel a transfer your organisation proposed")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._answer(services.transfer_cancel)
