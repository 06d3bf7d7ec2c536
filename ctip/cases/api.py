"""The referral mechanism over the API, under ``/api/v1/cases/`` and ``/api/v1/referrals/``.

Thin: every view fetches through ``ctip.cases.access`` (404 for an organisation that does not know the case, 403
without the role, both audited) and writes through the same services as the pages. Cases are named by code; the
identity is returned only by ``POST /cases/{id}/reveal/`` with a reason. Revealing and a person's rights (export,
erasure) ask a browser session for a fresh second factor, like the pages; a bearer token stands for a membership an
administrator issued it to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from ctip.accounts.middleware import second_factor_is_fresh
from ctip.api.authentication import acting_membership, require_membership
from ctip.api.base import ScopedViewSet, validated
from ctip.cases import access, selectors, services, validation
from ctip.cases import serializers as s
from ctip.cases.models import Consent, IdentificationDecision, Referral, VictimCase
from ctip.cases.services import rights
from ctip.cases.vocab import Exploitation, NrmStatus, ReferralStatus
from ctip.core.access import get_child_for_actor
from ctip.orgs.models import Membership, Region
from ctip.screening.selectors import screening_get_by_reference


def _step_up(request: Request) -> None:
    """A browser session must have given its second factor in the last few minutes (tokens are exempt)."""
    if request.auth is None and not second_factor_is_fresh(request._request):
        raise exceptions.PermissionDenied(
            _("Give your second factor again (at /accounts/mfa/?step_up=1), then repeat the request."),
            code="step_up_required",
        )


def _filters(params: Any) -> selectors.CaseFilters:
    deadline: dt.date | None = None
    if params.get("deadline_before"):
        try:
            deadline = dt.date.fromisoformat(params["deadline_before"])
        except ValueError:
            raise exceptions.ValidationError(
                {"deadline_before": [_("Give a date as YYYY-MM-DD.")]}, code="invalid"
            ) from None
    return selectors.CaseFilters(
        status=params.get("status", ""),
        exploitation=params.get("exploitation", ""),
        region=params.get("region", ""),
        deadline_before=deadline,
        open_only=params.get("open") in {"1", "true"},
    )


def _consent(actor: Membership, case: VictimCase, pk: int | None, action: str) -> Consent | None:
    """Return the case's consent ``pk`` (None for none); another case's, or none at all, is a 400, audited."""
    if pk is None:
        return None
    refusal = exceptions.ValidationError({"consent": [_("This case has no consent %(id)s.") % {"id": pk}]})
    return get_child_for_actor(actor, case.consents, pk, action, refusal=refusal)


# The policy action each view asks for; a GET on a write action's URL asks only to read.
ACTIONS = {
    "retrieve": "view",
    "partial_update": "edit",
    "presume": "edit",
    "child_notice": "edit",
    "reveal": "identity",
    "consents": "consent",
    "consent_withdraw": "consent",
    "referrals": "refer",
    "services_given": "record_service",
    "decisions": "view",  # identification_decide refuses a body that is not authorised, with a clear message
    "decision_appeal": "edit",  # the owner's case workers; the designated body's officers ask "decide"
    "shares": "share",
    "share_end": "share",
    "close": "close",
    "person_export": rights.RIGHTS_ACTION,
    "person_erase": rights.RIGHTS_ACTION,
}
FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=NrmStatus.values),
    OpenApiParameter("exploitation", OpenApiTypes.STR, enum=Exploitation.values),
    OpenApiParameter("region", OpenApiTypes.STR, enum=Region.values),
    OpenApiParameter("deadline_before", OpenApiTypes.DATE, description="reflection period ending on or before"),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="only active cases"),
]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[VictimCase]):
    """Victim cases by code. The list is the acting organisation's own cases; a case's page is every case it knows
    (owned, received on an active referral, or shared with it). Every read of one case is audited."""

    policy = access.cases
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return s.CaseListSerializer if self.action == "list" else s.CaseDetailSerializer

    def policy_action(self) -> str:
        if self.request.method == "GET" and self.action != "shares":  # shares are the owner's case workers' business
            return "view"
        if self.action == "decision_appeal":
            return access.decision_action(acting_membership(self.request))
        return ACTIONS.get(self.action, "edit")

    def refine_queryset(self, queryset: QuerySet[VictimCase]) -> QuerySet[VictimCase]:
        if self.action != "list":
            return queryset
        # Narrower than the policy's visible set: the organisation's own cases, on the list's indexes.
        return selectors.cases_of_organisation(require_membership(self.request), _filters(self.request.query_params))

    @extend_schema(parameters=FILTERS, summary="The organisation's cases, newest first (codes, no names)")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseDetailSerializer}, summary="Open a case")
    def create(self, request: Request) -> Response:
        actor = require_membership(request)
        data = validated(s.CaseCreateSerializer, request)
        screening = None
        if data.get("screening"):
            try:
                screening = screening_get_by_reference(actor, data["screening"])
            except Http404:
                raise exceptions.ValidationError({"screening": [_("There is no such screening.")]}) from None
        child = data.get("child")
        case = services.case_create(
            actor=actor,
            person=services.PersonData(**data["person"]),
            intake_channel=data["intake_channel"],
            region=data["region"],
            child=services.ChildSafeguards(**child) if child else None,
            screening=screening,
        )
        return Response(s.CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseUpdateSerializer, responses=s.CaseDetailSerializer, summary="Describe the case")
    def partial_update(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        changes = validated(s.CaseUpdateSerializer, request)
        case = services.case_update(actor=require_membership(request), case=case, changes=changes)
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(request=s.PresumeSerializer, responses=s.CaseDetailSerializer, summary="Mark a presumed victim")
    @action(detail=True, methods=["post"])
    def presume(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = validated(s.PresumeSerializer, request)
        case = services.case_mark_presumed(
            actor=require_membership(request), case=case, reason=data["reason"], on=data["on"]
        )
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(request=s.ChildNoticeSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="child-notice")
    def child_notice(self, request: Request, pk: str) -> Response:
        """Record when the child-protection body was notified; a child's case can do nothing else before."""
        case = self.get_object()
        data = validated(s.ChildNoticeSerializer, request)
        case = services.case_child_notice_record(
            actor=require_membership(request), case=case, notified_at=data["notified_at"], body=data["body"]
        )
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.IdentitySerializer, summary="Reveal who the person is")
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        """Return the identity behind the case for a stated reason; the reason (never the name) is audited."""
        _step_up(request)
        case = self.get_object()
        data = validated(s.ReasonSerializer, request)
        person = services.identity_reveal(actor=require_membership(request), case=case, reason=data["reason"])
        return Response(s.IdentitySerializer(person).data)

    @extend_schema(request=s.ConsentInputSerializer, responses=s.ConsentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def consents(self, request: Request, pk: str) -> Response:
        """GET: the case's consents (a receiver sees those naming it). POST: record a consent."""
        case = self.get_object()
        actor = require_membership(request)
        if request.method == "GET":
            rows = case.consents.select_related("organisation")
            if not access.cases.grants(actor, case).owner:
                rows = rows.filter(organisation_id=actor.organisation_id)
            return Response(s.ConsentSerializer(rows, many=True).data)
        data = validated(s.ConsentInputSerializer, request)
        consent = services.consent_give(actor=actor, case=case, **data)
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ConsentSerializer)
    @action(detail=True, methods=["post"], url_path=r"consents/(?P<consent_id>\d+)/withdraw")
    def consent_withdraw(self, request: Request, pk: str, consent_id: str) -> Response:
        """Withdraw a consent: the referrals and shares resting on it end at once."""
        case = self.get_object()
        consent = _consent(require_membership(request), case, int(consent_id), self.policy_action())
        assert consent is not None  # noqa: S101  (_consent refuses a missing one)
        consent = services.consent_withdraw(actor=require_membership(request), consent=consent)
        return Response(s.ConsentSerializer(consent).data)

    @extend_schema(request=s.ReferralInputSerializer, responses={201: s.ReferralSerializer})
    @action(detail=True, methods=["post"])
    def referrals(self, request: Request, pk: str) -> Response:
        """Refer the person to another organisation, within consent or a supervisor's legal basis."""
        case = self.get_object()
        data = validated(s.ReferralInputSerializer, request)
        data["consent"] = _consent(require_membership(request), case, data["consent"], self.policy_action())
        referral = services.referral_send(actor=require_membership(request), case=case, **data)
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ServiceInputSerializer, responses=s.ServiceRecordSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="services")
    def services_given(self, request: Request, pk: str) -> Response:
        """GET: services given to the person. POST: record one the acting organisation gave."""
        case = self.get_object()
        if request.method == "GET":
            rows = case.services_given.select_related("provider")
            return Response(s.ServiceRecordSerializer(rows, many=True).data)
        data = validated(s.ServiceInputSerializer, request)
        record = services.service_record(actor=require_membership(request), case=case, **data)
        return Response(s.ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DecisionInputSerializer, responses=s.DecisionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def decisions(self, request: Request, pk: str) -> Response:
        """GET: identification decisions. POST: the designated body records one (the screening only supports it)."""
        case = self.get_object()
        if request.method == "GET":
            rows: QuerySet[IdentificationDecision] = selectors.decisions(case)
            return Response(s.DecisionSerializer(rows, many=True).data)
        data = validated(s.DecisionInputSerializer, request)
        decision = services.identification_decide(actor=require_membership(request), case=case, **data)
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AppealInputSerializer, responses=s.DecisionSerializer)
    @action(detail=True, methods=["post"], url_path=r"decisions/(?P<decision_id>\d+)/appeal")
    def decision_appeal(self, request: Request, pk: str, decision_id: str) -> Response:
        """Note that a decision was appealed, when and by whom (the owner or the body)."""
        case, actor = self.get_object(), require_membership(request)
        refusal = exceptions.ValidationError(
            {"decision": [_("This case has no decision %(id)s.") % {"id": decision_id}]}
        )
        decisions = IdentificationDecision.objects.filter(case=case).select_related("case")
        decision = get_child_for_actor(actor, decisions, decision_id, self.policy_action(), refusal=refusal)
        data = validated(s.AppealInputSerializer, request)
        decision = services.decision_appeal_note(actor=actor, decision=decision, **data)
        return Response(s.DecisionSerializer(decision).data)

    @extend_schema(request=s.ShareInputSerializer, responses=s.ShareSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def shares(self, request: Request, pk: str) -> Response:
        """GET: the case's shares with law enforcement. POST: share it for a purpose, a scope and a time."""
        case = self.get_object()
        if request.method == "GET":
            return Response(s.ShareSerializer(case.shares.select_related("organisation"), many=True).data)
        data = validated(s.ShareInputSerializer, request)
        data["consent"] = _consent(require_membership(request), case, data["consent"], self.policy_action())
        share = services.share_create(actor=require_membership(request), case=case, **data)
        return Response(s.ShareSerializer(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ShareSerializer)
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_id>\d+)/end")
    def share_end(self, request: Request, pk: str, share_id: str) -> Response:
        case = self.get_object()
        refusal = exceptions.ValidationError({"share": [_("This case has no share %(id)s.") % {"id": share_id}]})
        share = get_child_for_actor(
            require_membership(request), case.shares, share_id, self.policy_action(), refusal=refusal
        )
        share = services.share_end(actor=require_membership(request), share=share)
        return Response(s.ShareSerializer(share).data)

    @extend_schema(request=s.CloseSerializer, responses=s.CaseDetailSerializer, summary="Close the case")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = validated(s.CloseSerializer, request)
        case = services.case_close(actor=require_membership(request), case=case, **data)
        return Response(s.CaseDetailSerializer(case).data)

    @extend_schema(
        request=s.ExportInputSerializer,
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="everything held"),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
        },
        summary="A person's right of access: everything held about them",
    )
    @action(detail=True, methods=["post"], url_path="person-export")
    def person_export(self, request: Request, pk: str) -> Response | HttpResponse:
        """A supervisor of the owner, with a reason (no names in it): JSON, or a PDF in the current language."""
        _step_up(request)
        case = self.get_object()
        data = validated(s.ExportInputSerializer, request)
        actor, person = require_membership(request), rights.person_of_case(case)
        if data["format"] == "pdf":
            pdf = rights.person_export_pdf(actor=actor, person=person, reason=data["reason"])
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{case.code}.pdf"'
            return response
        return Response(rights.person_export(actor=actor, person=person, reason=data["reason"]))

    @extend_schema(request=s.ReasonSerializer, responses=s.ErasureSerializer, summary="Erase the person's identity")
    @action(detail=True, methods=["post"], url_path="person-erase")
    def person_erase(self, request: Request, pk: str) -> Response:
        """Erase the identity everywhere (the case must be closed); pseudonymous statistical rows stay."""
        _step_up(request)
        case = self.get_object()
        data = validated(s.ReasonSerializer, request)
        result = rights.person_erase(
            actor=require_membership(request), person=rights.person_of_case(case), reason=data["reason"]
        )
        return Response(s.ErasureSerializer(result).data)


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Referral]):
    """Referrals the acting organisation sent (outbox) or received (inbox); case workers and supervisors only."""

    policy = access.referrals
    serializer_class = s.ReferralSerializer

    def policy_action(self) -> str:
        return "view" if self.request.method == "GET" else self.action

    def refine_queryset(self, queryset: QuerySet[Referral]) -> QuerySet[Referral]:
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
            status_ = self.request.query_params.get("status", "")
            if status_:
                validation.choice(status_, ReferralStatus, "status")
                queryset = queryset.filter(status=status_)
        return queryset.select_related("case", "from_organisation", "to_organisation").prefetch_related("services")

    @extend_schema(
        parameters=[
            OpenApiParameter("box", OpenApiTypes.STR, enum=["inbox", "outbox"]),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReferralStatus.values),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _answer(self, verb: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        referral = verb(actor=require_membership(self.request), referral=referral, **kwargs)
        return Response(s.ReferralSerializer(referral).data)

    @extend_schema(request=None, summary="Accept a referral received")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._answer(services.referral_accept)

    @extend_schema(request=s.ReasonSerializer, summary="Reject a referral received, with a reason")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = validated(s.ReasonSerializer, request)
        return self._answer(services.referral_reject, reason=data["reason"])

    @extend_schema(request=None, summary="Mark an accepted referral done")
    @action(detail=True, methods=["post"], url_path="done")
    def complete(self, request: Request, pk: str) -> Response:
        return self._answer(services.referral_complete)

    @extend_schema(request=None, summary="Revoke a referral sent")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        return self._answer(services.referral_revoke)
