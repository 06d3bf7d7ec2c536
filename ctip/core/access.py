"""The shape every app's access policy takes, and the one way views fetch a protected object.

A policy answers two questions about the acting membership (a user acting for one organisation):

* ``visible(actor, action)`` — which records the actor may know exist. Everything else is a 404,
  exactly like a record that does not exist.
* ``can(actor, action, obj)`` — whether the actor may do ``action`` to a record they can see. No is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404

if TYPE_CHECKING:
    from ctip.orgs.models import Membership

M = TypeVar("M", bound=models.Model)
M_co = TypeVar("M_co", bound=models.Model, covariant=True)


class Policy(Protocol, Generic[M]):
    def visible(self, actor: Membership | None, action: str) -> models.QuerySet[M]: ...

    def can(self, actor: Membership | None, action: str, obj: M) -> bool: ...


# A policy with ``sensitive = True`` makes every successful fetch through get_for_actor an audited read.


def get_for_actor(policy: Policy[M], actor: Membership | None, pk: object, action: str = "view") -> M:
    """Return the object if the actor may ``action`` it; 404 if they may not see it, 403 if they may not act.

    A refusal of a record that exists is written to the audit trail (the caller sees nothing of it).
    """
    visible = policy.visible(actor, "view")
    try:
        obj = visible.get(pk=pk)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        _record_denial(visible.model, actor, pk, action, 404)
        raise Http404 from None
    if not policy.can(actor, action, obj):
        _record_denial(visible.model, actor, pk, action, 403)
        raise PermissionDenied
    if getattr(policy, "sensitive", False):
        _record_read(obj, actor, action)
    return obj


def _record_read(obj: models.Model, actor: Membership | None, action: str) -> None:
    """Reading a sensitive record (a person, a case) leaves a trace, whoever reads it."""
    from ctip.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            action="record.read",
            actor=actor.user if actor is not None else None,
            organisation=actor.organisation if actor is not None else None,
            obj=obj,
            details={"action": action},
        )


def _record_denial(model: type[models.Model], actor: Membership | None, pk: object, action: str, status: int) -> None:
    from ctip.audit.services import audit_record

    try:
        exists = model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if not exists:
        return  # a mistyped address, not an attempt on a record
    with transaction.atomic():
        audit_record(
            action="access.denied",
            actor=actor.user if actor is not None else None,
            organisation=actor.organisation if actor is not None else None,
            details={"model": model._meta.label_lower, "object_id": str(pk), "action": action, "status": status},
        )
