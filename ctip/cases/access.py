"""Who may see and do what with a victim case. The only place that knows these rules.

A case is known to three kinds of organisation, and to nobody else (404, as for a case that does not exist):

* the **owner** — case workers and supervisors read and write, and see the identity after giving a reason;
  viewers and analysts read the case without the identity; other members get 403;
* the **receiver of an active referral** (sent or accepted) — case workers and supervisors read the case, see the
  identity only when the consent behind the referral covers it, and record services once they have accepted;
* the **holder of a share** with law enforcement that has not ended or expired — investigators, prosecutors, case
  workers and supervisors read the case, and the identity when the share's scope includes it.

Formal identification decisions are recorded only by an organisation listed in ``CTIP_IDENTIFICATION_BODIES`` that
knows the case by one of those three ways. Every read of one case is audited (``sensitive``).
"""

from __future__ import annotations

from enum import Enum

from django.db.models import Q, QuerySet
from django.utils import timezone

from ctip.cases import conf
from ctip.cases.models import OwnershipTransfer, Referral, Share, VictimCase
from ctip.cases.vocab import ACTIVE_REFERRAL, ReferralStatus, ShareScope
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role

CASE_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)
READ_ROLES = (*CASE_ROLES, Role.VIEWER, Role.ANALYST)
SHARE_ROLES = (*CASE_ROLES, Role.INVESTIGATOR, Role.PROSECUTOR)
DECISION_ROLES = SHARE_ROLES

# Actions the owner's case workers and supervisors may take (writes to the case and its parts).
OWNER_WRITES = frozenset(
    {"edit", "consent", "refer", "note", "document", "close", "shelter", "share", "transfer", "identity"}
)


class Relation(Enum):
    OWNER = "owner"
    RECEIVER = "receiver"
    HOLDER = "holder"


def _active_referrals(actor: Membership) -> QuerySet[Referral]:
    return Referral.objects.filter(to_organisation_id=actor.organisation_id, status__in=ACTIVE_REFERRAL)


def live_shares(actor: Membership) -> QuerySet[Share]:
    """The shares through which the actor's organisation reads cases right now."""
    return _live_shares(actor)


def _live_shares(actor: Membership) -> QuerySet[Share]:
    return Share.objects.filter(
        organisation_id=actor.organisation_id, ended_at__isnull=True, expires_at__gt=timezone.now()
    )


def relations(actor: Membership, case: VictimCase) -> set[Relation]:
    """Return every way the actor's organisation knows the case (empty: it does not)."""
    found: set[Relation] = set()
    if case.owner_id == actor.organisation_id:
        found.add(Relation.OWNER)
    if _active_referrals(actor).filter(case=case).exists():
        found.add(Relation.RECEIVER)
    if _live_shares(actor).filter(case=case).exists():
        found.add(Relation.HOLDER)
    return found


class VictimCasePolicy:
    sensitive = True

    def visible(self, actor: Membership | None, action: str) -> QuerySet[VictimCase]:
        if actor is None:
            return VictimCase.objects.none()
        received = _active_referrals(actor).values("case_id")
        shared = _live_shares(actor).values("case_id")
        return VictimCase.objects.filter(Q(owner_id=actor.organisation_id) | Q(pk__in=received) | Q(pk__in=shared))

    def can(self, actor: Membership | None, action: str, obj: VictimCase) -> bool:
        if actor is None:
            return False
        found = relations(actor, obj)
        if action == "decide":
            return bool(found) and self.is_identification_body(actor) and actor.has_role(*DECISION_ROLES)
        return any(self._can_as(actor, action, obj, relation) for relation in found)

    def _can_as(self, actor: Membership, action: str, case: VictimCase, relation: Relation) -> bool:
        if relation is Relation.OWNER:
            if action == "view":
                return actor.has_role(*READ_ROLES)
            if action == "override":
                return actor.has_role(Role.SUPERVISOR)
            return action in OWNER_WRITES | {"record_service"} and actor.has_role(*CASE_ROLES)
        if relation is Relation.RECEIVER:
            if not actor.has_role(*CASE_ROLES):
                return False
            if action == "view":
                return True
            if action == "identity":
                return self._receiver_sees_identity(actor, case)
            return action == "record_service" and (
                _active_referrals(actor).filter(case=case, status=ReferralStatus.ACCEPTED).exists()
            )
        # The holder of a live share: read only.
        if not actor.has_role(*SHARE_ROLES):
            return False
        if action == "identity":
            return _live_shares(actor).filter(case=case, scope=ShareScope.CASE_AND_IDENTITY).exists()
        return action == "view"

    def _receiver_sees_identity(self, actor: Membership, case: VictimCase) -> bool:
        """Only a live consent that names this organisation and covers the identity opens it to a receiver."""
        return (
            _active_referrals(actor)
            .filter(case=case, consent__covers_identity=True, consent__withdrawn_at__isnull=True)
            .exists()
        )

    def is_identification_body(self, actor: Membership) -> bool:
        return actor.organisation.code in conf.identification_bodies()

    def can_create(self, actor: Membership | None) -> bool:
        return actor is not None and actor.has_role(*CASE_ROLES)

    def can_list(self, actor: Membership | None) -> bool:
        return actor is not None and actor.has_role(*READ_ROLES)

    def can_work_referrals(self, actor: Membership | None) -> bool:
        """Who reads and answers the organisation's referral and transfer boxes: its case workers and supervisors."""
        return actor is not None and actor.has_role(*CASE_ROLES)

    def can_list_shared(self, actor: Membership | None) -> bool:
        return actor is not None and actor.has_role(*SHARE_ROLES)


class ReferralPolicy:
    """A referral is known to the organisation that sent it and the one it went to."""

    def visible(self, actor: Membership | None, action: str) -> QuerySet[Referral]:
        if actor is None:
            return Referral.objects.none()
        org = actor.organisation_id
        return Referral.objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org))

    def can(self, actor: Membership | None, action: str, obj: Referral) -> bool:
        if actor is None or not actor.has_role(*CASE_ROLES):
            return False
        if action == "view":
            return actor.organisation_id in (obj.from_organisation_id, obj.to_organisation_id)
        if action in {"accept", "reject", "complete"}:
            return obj.to_organisation_id == actor.organisation_id
        if action == "revoke":
            return obj.from_organisation_id == actor.organisation_id
        return False


class TransferPolicy:
    def visible(self, actor: Membership | None, action: str) -> QuerySet[OwnershipTransfer]:
        if actor is None:
            return OwnershipTransfer.objects.none()
        org = actor.organisation_id
        return OwnershipTransfer.objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org))

    def can(self, actor: Membership | None, action: str, obj: OwnershipTransfer) -> bool:
        if actor is None or not actor.has_role(*CASE_ROLES):
            return False
        if action in {"accept", "decline"}:
            return obj.to_organisation_id == actor.organisation_id
        if action == "cancel":
            return obj.from_organisation_id == actor.organisation_id
        return action == "view" and actor.organisation_id in (obj.from_organisation_id, obj.to_organisation_id)


cases = VictimCasePolicy()
referrals = ReferralPolicy()
transfers = TransferPolicy()
