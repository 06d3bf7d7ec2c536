"""The shape every app's access policy takes, and the one way views fetch a protected object.

A policy answers two questions about the acting membership (a user acting for one organisation):

* ``visible(actor, action="view")`` — which records the actor may know exist. Everything else is a 404,
  exactly like a record that does not exist.
* ``can(actor, action, obj=None)`` — whether the actor may do ``action``: to a record they can see, or, with no
  record, at all (``"list"``, ``"create"`` …: model-level). No is a 403. There are no other questions: a rule that
  needs one is an action of ``can``.

A part of a record reached through its address (a case's document at ``/cases/<id>/documents/<id>/``) is fetched
with ``get_child_for_actor`` from the parent that ``get_for_actor`` returned. Every refusal, of a record or of a
part, is audited, and in the same way whether or not the record exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404

if TYPE_CHECKING:
    from ctip.orgs.models import Membership

M = TypeVar("M", bound=models.Model)


class Policy(Protocol, Generic[M]):
    def visible(self, actor: Membership | None, action: str = "view") -> models.QuerySet[M]: ...

    def can(self, actor: Membership | None, action: str, obj: M | None = None) -> bool: ...


# A policy with ``sensitive = True`` makes every successful fetch through get_for_actor an audited read.


def get_for_actor(policy: Policy[M], actor: Membership | None, pk: object, action: str = "view") -> M:
    """Return the object if the actor may ``action`` it; 404 if they may not see it, 403 if they may not act.

    Every refusal is written to the audit trail (the caller sees nothing of it), whether or not the record exists.
    """
    visible = policy.visible(actor, "view")
    obj = _fetch(visible, actor, pk, action, Http404())
    if not policy.can(actor, action, obj):
        _record_denial(visible.model, actor, pk, action, 403)
        raise PermissionDenied
    if getattr(policy, "sensitive", False):
        _record_read(obj, actor, action)
    return obj


def get_child_for_actor(
    actor: Membership | None,
    children: models.QuerySet[M] | models.Manager[M],
    pk: object,
    action: str = "view",
    *,
    refusal: Exception | None = None,
) -> M:
    """Return the child ``pk`` among ``children``, the rows of a parent already fetched through ``get_for_actor``.

    A child that is not among them (another parent's, or none at all) is refused like a record the actor may not
    see: 404, or ``refusal`` where a route answers otherwise (its ``status_code`` goes to the audit row), and the
    refusal is audited the same whether or not the record exists. ``action`` is what the parent was fetched for.
    """
    return _fetch(children, actor, pk, action, refusal if refusal is not None else Http404())


def _fetch(
    rows: models.QuerySet[M] | models.Manager[M], actor: Membership | None, pk: object, action: str, refusal: Exception
) -> M:
    if pk is None:
        raise refusal  # not an id at all, like the URL resolver's own 404: no attempt on a record
    try:
        return rows.get(pk=pk)
    except (ValueError, TypeError):
        raise refusal from None  # the same: no record can have this id
    except models.ObjectDoesNotExist:
        # Recorded without asking whether the record exists: the trail, and the time the refusal takes, would tell.
        _record_denial(rows.model, actor, pk, action, getattr(refusal, "status_code", 404))
        raise refusal from None


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
    """Write the refusal; the same row for a record that exists and for one that does not (nothing tells them apart)."""
    from ctip.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            action="access.denied",
            actor=actor.user if actor is not None else None,
            organisation=actor.organisation if actor is not None else None,
            details={"model": model._meta.label_lower, "object_id": str(pk), "action": action, "status": status},
        )
