from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ctip.api.authentication import acting_membership
from ctip.api.base import ScopedViewSet
from ctip.api.serializers import MembershipSerializer, MeSerializer, OrganisationSerializer
from ctip.orgs import access
from ctip.orgs.models import Membership, Organisation


@extend_schema(responses=MeSerializer, summary="Who is calling, and for which organisation")
@api_view(["GET"])
def me(request: Request) -> Response:
    membership = acting_membership(request)
    if membership is None:  # IsMember has refused already; this keeps the type checker honest
        raise NotAuthenticated
    user = membership.user
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "organisation": OrganisationSerializer(membership.organisation).data,
        "roles": sorted(membership.role_set),
    }
    return Response(MeSerializer(data).data)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Organisation]):
    """The directory of active organisations."""

    policy = access.organisations
    serializer_class = OrganisationSerializer


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Membership]):
    """Members of the organisation the caller acts for (organisation administrators only)."""

    policy = access.memberships
    serializer_class = MembershipSerializer

    def refine_queryset(self, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
        return queryset.select_related("user", "organisation").prefetch_related("roles").order_by("user__email")
