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

from collections.abc import Sequence
from dataclasses import dataclass
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


# What a case page may offer, and what the API may do: every action ``can`` answers about one case.
CASE_ACTIONS = (
    *sorted(OWNER_WRITES),
    "view",
    "override",
    "record_service",
    "decide",
    "notes",
    "read_notes",
)
# Questions without a case: open one, list the organisation's cases, work the referral and transfer boxes, list
# the cases shared with the organisation.
MODEL_ROLES = {"create": CASE_ROLES, "list": READ_ROLES, "work_referrals": CASE_ROLES, "list_shared": SHARE_ROLES}


@dataclass(frozen=True)
class CaseGrants:
    """Everything one member may do with one case, worked out once (``cases.grants``) and read by page and API."""

    relations: frozenset[Relation]
    identification_body: bool
    allowed: frozenset[str]

    @property
    def owner(self) -> bool:
        return Relation.OWNER in self.relations

    @property
    def receiver(self) -> bool:
        return Relation.RECEIVER in self.relations

    def allows(self, action: str) -> bool:
        return action in self.allowed

    def flags(self) -> dict[str, bool]:
        """The page's flags: every action, and how the actor knows the case."""
        return {
            **{action: action in self.allowed for action in CASE_ACTIONS},
            "owner": self.owner,
            "receiver": self.receiver,
            "identification_body": self.identification_body,
        }


def _grants(
    actor: Membership, case: VictimCase, referrals: Sequence[tuple[str, bool | None, object]], scopes: Sequence[str]
) -> CaseGrants:
    found: set[Relation] = set()
    if case.owner_id == actor.organisation_id:
        found.add(Relation.OWNER)
    if referrals:
        found.add(Relation.RECEIVER)
    if scopes:
        found.add(Relation.HOLDER)
    allowed: set[str] = set()
    case_roles, share_roles = actor.has_role(*CASE_ROLES), actor.has_role(*SHARE_ROLES)
    if Relation.OWNER in found:
        allowed |= {"view"} if actor.has_role(*READ_ROLES) else set()
        allowed |= {"override"} if actor.has_role(Role.SUPERVISOR) else set()
        allowed |= OWNER_WRITES | {"record_service"} if case_roles else set()
    if Relation.RECEIVER in found and case_roles:
        allowed |= {"view", "notes"}  # "notes": the notes tab, where a receiver reads the notes shared with it
        if any(status == ReferralStatus.ACCEPTED for status, _covers, _withdrawn in referrals):
            allowed.add("record_service")
        # Only a live consent that names this organisation and covers the identity opens it to a receiver.
        if any(covers and withdrawn is None for _status, covers, withdrawn in referrals):
            allowed.add("identity")
    if Relation.HOLDER in found and share_roles:  # the holder of a live share reads, no more
        allowed.add("view")
        if ShareScope.CASE_AND_IDENTITY in scopes:
            allowed.add("identity")
    if "note" in allowed:
        allowed.add("notes")
    if "view" in allowed and (Relation.OWNER not in found or case_roles):
        allowed.add("read_notes")  # in the owner only those who write notes read them; elsewhere an empty list
    body = is_identification_body(actor)
    if found and body and actor.has_role(*DECISION_ROLES):
        allowed.add("decide")
    return CaseGrants(relations=frozenset(found), identification_body=body, allowed=frozenset(allowed))


def is_identification_body(actor: Membership) -> bool:
    return actor.organisation.code in conf.identification_bodies()


def decision_action(actor: Membership | None) -> str:
    """What recording or appealing a decision asks: the designated body decides; anyone else must be able to edit
    the case (and is then told, by the service, that their organisation is not authorised)."""
    return "decide" if actor is not None and is_identification_body(actor) else "edit"


class VictimCasePolicy:
    sensitive = True

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[VictimCase]:
        if actor is None:
            return VictimCase.objects.none()
        received = _active_referrals(actor).values("case_id")
        shared = _live_shares(actor).values("case_id")
        return VictimCase.objects.filter(Q(owner_id=actor.organisation_id) | Q(pk__in=received) | Q(pk__in=shared))

    def grants(self, actor: Membership | None, case: VictimCase) -> CaseGrants:
        """Return what the actor may do with the case, in two queries (the referrals to it, the shares of it)."""
        if actor is None:
            return CaseGrants(relations=frozenset(), identification_body=False, allowed=frozenset())
        referrals = list(
            _active_referrals(actor)
            .filter(case=case)
            .values_list("status", "consent__covers_identity", "consent__withdrawn_at")
        )
        scopes = list(_live_shares(actor).filter(case=case).values_list("scope", flat=True))
        return _grants(actor, case, referrals, scopes)

    def can(self, actor: Membership | None, action: str, obj: VictimCase | None = None) -> bool:
        if actor is None:
            return False
        if obj is None:
            return action in MODEL_ROLES and actor.has_role(*MODEL_ROLES[action])
        return self.grants(actor, obj).allows(action)


class ReferralPolicy:
    """A referral is known to the organisation that sent it and the one it went to."""

    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[Referral]:
        if actor is None:
            return Referral.objects.none()
        org = actor.organisation_id
        return Referral.objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org))

    def can(self, actor: Membership | None, action: str, obj: Referral | None = None) -> bool:
        if actor is None or not actor.has_role(*CASE_ROLES):
            return False
        if obj is None:
            return action == "list"  # the referral boxes: the organisation's case workers and supervisors
        if action == "view":
            return actor.organisation_id in (obj.from_organisation_id, obj.to_organisation_id)
        if action in {"accept", "reject", "complete"}:
            return obj.to_organisation_id == actor.organisation_id
        if action == "revoke":
            return obj.from_organisation_id == actor.organisation_id
        return False


class TransferPolicy:
    def visible(self, actor: Membership | None, action: str = "view") -> QuerySet[OwnershipTransfer]:
        if actor is None:
            return OwnershipTransfer.objects.none()
        org = actor.organisation_id
        return OwnershipTransfer.objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org))

    def can(self, actor: Membership | None, action: str, obj: OwnershipTransfer | None = None) -> bool:
        if actor is None or not actor.has_role(*CASE_ROLES):
            return False
        if obj is None:
            return action == "list"  # the transfer boxes: the organisation's case workers and supervisors
        if action in {"accept", "decline"}:
            return obj.to_organisation_id == actor.organisation_id
        if action == "cancel":
            return obj.from_organisation_id == actor.organisation_id
        return action == "view" and actor.organisation_id in (obj.from_organisation_id, obj.to_organisation_id)


cases = VictimCasePolicy()
referrals = ReferralPolicy()
transfers = TransferPolicy()
