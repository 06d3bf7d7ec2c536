"""The base for every API view over a protected model: scoping through the model's policy cannot be skipped."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from ctip.api.authentication import acting_membership
from ctip.core.access import Policy, get_for_actor

M = TypeVar("M", bound=models.Model)


def validated(serializer_class: type[BaseSerializer[Any]], request: Request) -> dict[str, Any]:
    """Return the request's data checked by ``serializer_class``; invalid data is a 400 naming the fields."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ScopedViewSet(viewsets.GenericViewSet, Generic[M]):  # type: ignore[type-arg]
    """Rows come only from ``policy.visible``; objects only through ``get_for_actor`` (404 outside, 403 no role).

    Subclasses narrow with ``refine_queryset`` and name the action with ``policy_action``; overriding
    ``get_queryset`` or ``get_object`` is refused when the class is defined.
    """

    policy: ClassVar[Policy[Any]]
    list_action: ClassVar[str] = "view"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "get_object"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} must not override {name}; use refine_queryset / policy_action.")

    def refine_queryset(self, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        return queryset

    def policy_action(self) -> str:
        return "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"

    def get_queryset(self) -> models.QuerySet[M]:
        actor = acting_membership(self.request)
        if getattr(self, "swagger_fake_view", False):
            return self.policy.visible(None, "view")
        if self.action == "list" and actor is not None:
            probe = self.policy.visible(actor, self.list_action)
            if not self._may_list(actor):
                raise PermissionDenied
            return self.refine_queryset(probe)
        return self.refine_queryset(self.policy.visible(actor, "view"))

    def _may_list(self, actor: Any) -> bool:
        return self.policy.can(actor, "list")

    def get_object(self) -> M:
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj: M = get_for_actor(self.policy, acting_membership(self.request), lookup, self.policy_action())
        return obj
