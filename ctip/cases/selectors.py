"""Reads of victim cases, always through ``ctip.cases.access``.

Lists never decrypt: they read only the case's plain columns (code, status, dates, region), so a page of 50 rows
costs the same few queries for an organisation with 20 cases or 20,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import access, conf, validation
from ctip.cases.models import (
    CaseExploitation,
    CaseNote,
    IdentificationDecision,
    OwnershipTransfer,
    Referral,
    Share,
    ShelterStay,
    StatusChange,
    VictimCase,
)
from ctip.cases.vocab import ACTIVE_REFERRAL, CaseState, Exploitation, NrmStatus
from ctip.core.access import get_for_actor
from ctip.orgs.models import Membership, Region

# The plain columns a list row shows; nothing encrypted, nothing joined.
LIST_COLUMNS = (
    "id",
    "code",
    "status",
    "state",
    "region",
    "intake_channel",
    "is_child",
    "presumed_on",
    "reflection_ends_on",
    "created_at",
    "owner_id",
    "case_worker_id",
)


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    exploitation: str = ""
    region: str = ""
    deadline_before: dt.date | None = None  # recovery and reflection period ending on or before
    open_only: bool = False


def _checked(filters: CaseFilters) -> CaseFilters:
    if filters.status:
        validation.choice(filters.status, NrmStatus, "status")
    if filters.exploitation:
        validation.choice(filters.exploitation, Exploitation, "exploitation")
    if filters.region:
        validation.choice(filters.region, Region, "region")
    return filters


def cases_of_organisation(actor: Membership, filters: CaseFilters | None = None) -> QuerySet[VictimCase]:
    """Return the cases the actor's organisation owns, newest first, filtered; empty without a reading role.

    The query uses the (owner, status, created) index family; the exploitation filter is a semi-join on the
    (type, case) index. Slice it for a page.
    """
    if not access.cases.can(actor, "list"):
        return VictimCase.objects.none()
    filters = _checked(filters or CaseFilters())
    rows = VictimCase.objects.filter(owner_id=actor.organisation_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.region:
        rows = rows.filter(region=filters.region)
    if filters.exploitation:
        rows = rows.filter(pk__in=CaseExploitation.objects.filter(type=filters.exploitation).values("case_id"))
    if filters.deadline_before is not None:
        rows = rows.filter(reflection_ends_on__lte=filters.deadline_before)
    if filters.open_only:
        rows = rows.filter(state=CaseState.ACTIVE)
    return rows.only(*LIST_COLUMNS).order_by("-created_at", "-id")


def cases_visible_to(actor: Membership | None) -> QuerySet[VictimCase]:
    """Every case the actor's organisation knows: owned, received on an active referral, or shared with it."""
    return access.cases.visible(actor, "view").only(*LIST_COLUMNS).order_by("-created_at", "-id")


def case_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> VictimCase:
    """Return one case (404 for an organisation that does not know it, 403 without the role); the read is audited."""
    return get_for_actor(access.cases, actor, pk, action)


def case_by_code(actor: Membership | None, code: str, *, action: str = "view") -> VictimCase:
    pk = VictimCase.objects.filter(code=code.strip().upper()).values_list("pk", flat=True).first()
    return get_for_actor(access.cases, actor, pk if pk is not None else -1, action)


def status_history(case: VictimCase) -> QuerySet[StatusChange]:
    return case.status_history.select_related("by", "organisation").order_by("at", "id")


def decisions(case: VictimCase) -> QuerySet[IdentificationDecision]:
    return case.decisions.select_related("organisation", "decided_by")


def notes_for(actor: Membership, case: VictimCase) -> QuerySet[CaseNote]:
    """The owner reads every note; a receiving organisation only those shared with it; anyone else none."""
    grants = access.cases.grants(actor, case)
    if grants.owner and grants.allows("note"):
        return case.notes.all()
    if grants.receiver and grants.allows("view"):
        return case.notes.filter(shared=True)
    return CaseNote.objects.none()


def shares_held(actor: Membership) -> QuerySet[Share]:
    """The cases shared with the actor's organisation, live shares only, by case code (never a name)."""
    return access.live_shares(actor).select_related("case").order_by("expires_at", "pk")


def referral_inbox(actor: Membership, *, active_only: bool = False) -> QuerySet[Referral]:
    rows = access.referrals.visible(actor, "view").filter(to_organisation_id=actor.organisation_id)
    if active_only:
        rows = rows.filter(status__in=ACTIVE_REFERRAL)
    return rows.select_related("case", "from_organisation").prefetch_related("services").order_by("-sent_at", "-id")


def referral_outbox(actor: Membership) -> QuerySet[Referral]:
    rows = access.referrals.visible(actor, "view").filter(from_organisation_id=actor.organisation_id)
    return rows.select_related("case", "to_organisation").prefetch_related("services").order_by("-sent_at", "-id")


def transfers_waiting(actor: Membership) -> QuerySet[OwnershipTransfer]:
    return access.transfers.visible(actor, "view").filter(to_organisation_id=actor.organisation_id, status="proposed")


# --- Deadlines ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    case_id: int
    code: str
    kind: str  # "reflection" or "shelter"
    due: dt.date

    @property
    def label(self) -> str:
        return _("Recovery and reflection period ends") if self.kind == "reflection" else _("Shelter stay ends")


def deadlines(cases: QuerySet[VictimCase], *, until: dt.date, since: dt.date | None = None) -> list[Deadline]:
    """Return the reflection-period and shelter-stay ends of open cases between ``since`` and ``until``, soonest
    first; two queries whatever the number of cases."""
    open_cases = cases.filter(state=CaseState.ACTIVE)
    window = Q(reflection_ends_on__lte=until) & (Q(reflection_ends_on__gte=since) if since else Q())
    reflection = open_cases.filter(window, status=NrmStatus.PRESUMED).values_list("id", "code", "reflection_ends_on")
    stays = ShelterStay.objects.filter(
        case__in=open_cases.values("id"),
        left_on__isnull=True,
        ends_on__lte=until,
        **({"ends_on__gte": since} if since else {}),
    ).values_list("case_id", "case__code", "ends_on")
    found = [Deadline(pk, code, "reflection", due) for pk, code, due in reflection if due is not None]
    found += [Deadline(pk, code, "shelter", due) for pk, code, due in stays]
    return sorted(found, key=lambda d: (d.due, d.code, d.kind))


def deadlines_for_case_worker(actor: Membership, *, days: int | None = None) -> list[Deadline]:
    """The acting case worker's deadlines: overdue ones and those in the next ``days`` (CTIP_REMINDER_DAYS)."""
    if days is not None and days < 0:
        raise ValidationError({"days": [_("Look ahead a whole number of days from 0.")]})
    until = timezone.localdate() + dt.timedelta(days=conf.reminder_days() if days is None else days)
    mine = VictimCase.objects.filter(owner_id=actor.organisation_id, case_worker=actor)
    return deadlines(mine, until=until)


def case_workers_with_deadlines(on: dt.date, *, days: int) -> dict[int, list[Deadline]]:
    """Return {membership id: deadlines due from ``on`` to ``on + days``} for the reminder task."""
    cases = VictimCase.objects.filter(case_worker__isnull=False, case_worker__is_active=True)
    found = deadlines(cases, since=on, until=on + dt.timedelta(days=days))
    owners = dict(cases.filter(pk__in={d.case_id for d in found}).values_list("pk", "case_worker_id"))
    result: dict[int, list[Deadline]] = {}
    for deadline in found:
        result.setdefault(owners[deadline.case_id], []).append(deadline)
    return result
