"""Class-based page views over protected models: the object always comes through the model's policy."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest
from django.views.generic.detail import SingleObjectMixin

from ctip.core.access import Policy, get_for_actor


class PolicyObjectMixin(SingleObjectMixin):  # type: ignore[type-arg]
    """``get_object`` asks ``policy`` (404 outside the organisation, 403 without the role) with ``policy_action``.

    A subclass that defines ``get_object`` or ``get_queryset`` is refused when the class is created, so the
    scoping cannot be replaced by accident.
    """

    policy: ClassVar[Policy[Any]]
    policy_action: ClassVar[str] = "view"
    request: HttpRequest
    kwargs: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get_object", "get_queryset"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} must not override {name}; scoping belongs to {cls.__name__}.policy")

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.policy.visible(getattr(self.request, "membership", None), "view")

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> Any:
        pk = self.kwargs.get(self.pk_url_kwarg)
        return get_for_actor(self.policy, getattr(self.request, "membership", None), pk, self.policy_action)
