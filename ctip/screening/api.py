"""The screening API: try the engine (``POST /api/v1/screening/assess``) and read the organisation's screenings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import api_view, parser_classes
from rest_framework.request import Request
from rest_framework.response import Response

from ctip.api.base import ScopedViewSet
from ctip.api.parsers import JSONParser
from ctip.screening import access, engine, selectors
from ctip.screening.models import Outcome, Screening
from ctip.screening.serializers import (
    AssessInputSerializer,
    AssessResultSerializer,
    ScreeningDetailSerializer,
    ScreeningListSerializer,
)


class StrictJSONParser(JSONParser):
    """JSON in which a key given twice is an error, not silently the last value; as deep as any API body."""

    def decode(self, text: str) -> Any:
        try:
            return engine.decode_json(text)
        except engine.AssessmentError as error:  # a key given twice: named like any other bad field
            raise _refusal(error) from None


def _refusal(error: engine.AssessmentError | selectors.CatalogueNotFoundError, field: str | None = None) -> Exception:
    if isinstance(error, engine.AssessmentError):
        return exceptions.ValidationError({error.field: [error.message]}, code=error.code)
    return exceptions.ValidationError({field or "catalog": [str(error)]}, code="unknown_catalogue")


@extend_schema(
    request=AssessInputSerializer,
    responses=AssessResultSerializer,
    parameters=[
        OpenApiParameter(
            "catalog", OpenApiTypes.STR, description="CODE or CODE:VERSION; the latest ilo-2009 by default"
        )
    ],
    summary="Assess indicators against a catalogue; stores nothing",
)
@api_view(["POST"])
@parser_classes([StrictJSONParser])
def assess(request: Request) -> Response:
    """Return the engine's result for one person, in the shape ``ctip screen`` prints."""
    try:
        catalogue = selectors.catalogue_from_spec(request.query_params.get("catalog"))
        result = selectors.assessment(catalogue=catalogue, data=request.data)
    except (engine.AssessmentError, selectors.CatalogueNotFoundError) as error:
        raise _refusal(error) from None
    return Response(result.as_dict())


class ScreeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Screening]):
    """The acting organisation's screenings (case workers and supervisors); reading one is audited."""

    policy = access.screenings

    def get_serializer_class(self) -> type[ScreeningListSerializer]:
        return ScreeningDetailSerializer if self.action == "retrieve" else ScreeningListSerializer

    @extend_schema(
        parameters=[OpenApiParameter("outcome", OpenApiTypes.STR, enum=Outcome.values)],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def refine_queryset(self, queryset: QuerySet[Screening]) -> QuerySet[Screening]:
        outcome = self.request.query_params.get("outcome")
        if outcome is not None:
            if outcome not in Outcome.values:
                message = _("Choose one of %(choices)s, not %(value)s.") % {
                    "choices": ", ".join(Outcome.values),
                    "value": engine.shown(outcome),
                }
                raise exceptions.ValidationError({"outcome": [message]})
            queryset = queryset.filter(outcome=outcome)
        return queryset.select_related("catalogue").order_by("-interviewed_on", "-id")
