"""The shape every app's access policy takes, and the one way views fetch a protected object.

A policy answers two questions about the acting membership (a user acting for one organisation):

* ``visible(actor, action)`` — which records the actor may know exist. Everything else is a 404,
  exactly like a record that does not exist.
* ``can(actor, action, obj)`` — whether the actor may do ``action`` to a record they can see. No is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from ctip.orgs.models import Membership

M = TypeVar("M", bound=models.Model)
M_co = TypeVar("M_co", bound=models.Model, covariant=True)


class Policy(Protocol, Generic[M]):
    def visible(self, actor: Membership | None, action: str) -> models.QuerySet[M]: ...

    def can(self, actor: Membership | None, action: str, obj: M) -> bool: ...


def get_for_actor(policy: Policy[M], actor: Membership | None, pk: object, action: str = "view") -> M:
    """Return the object if the actor may ``action`` it; 404 if they may not see it, 403 if they may not act."""
    try:
        obj = policy.visible(actor, "view").get(pk=pk)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not policy.can(actor, action, obj):
        raise PermissionDenied
    return obj
