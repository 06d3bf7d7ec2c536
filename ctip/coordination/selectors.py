"""Reads of coordination: bodies, open decisions, and the coordinator's view of coverage and duplication."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ctip.coordination import access
from ctip.coordination.models import CLOSED_STATUSES, CoordinationBody, Decision, Meeting, PartnerActivity
from ctip.orgs.models import Membership, Region
from ctip.plans.models import Pillar


def bodies_visible_to(actor: Membership | None) -> QuerySet[CoordinationBody]:
    return (
        access.bodies.visible(actor, "view")
        .select_related("chair")
        .annotate(meeting_count=Count("meetings", distinct=True), member_count=Count("members", distinct=True))
    )


def meetings_of(actor: Membership | None, body: CoordinationBody) -> QuerySet[Meeting]:
    return (
        access.meetings.visible(actor, "view")
        .filter(body=body)
        .annotate(
            decision_count=Count("decisions", distinct=True),
            open_count=Count("decisions", filter=~Q(decisions__status__in=CLOSED_STATUSES), distinct=True),
        )
    )


def decisions_of(actor: Membership | None, meeting: Meeting) -> QuerySet[Decision]:
    return access.decisions.visible(actor, "view").filter(meeting=meeting).select_related("responsible", "action")


def open_decisions(actor: Membership | None, *, responsible_id: int | None = None) -> QuerySet[Decision]:
    """Return decisions not yet done or cancelled, soonest deadline first, optionally of one organisation."""
    rows = (
        access.decisions.visible(actor, "view")
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("meeting__body", "responsible", "action")
        .order_by("deadline", "pk")
    )
    if responsible_id is not None:
        rows = rows.filter(responsible_id=responsible_id)
    return rows


def activities_visible_to(actor: Membership | None) -> QuerySet[PartnerActivity]:
    return access.activities.visible(actor, "view").select_related("organisation", "action")


@dataclass(frozen=True)
class Coverage:
    regions: list[tuple[str, str]]
    pillars: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]  # (region, pillar) → activities
    organisations: dict[tuple[str, str], int]  # (region, pillar) → distinct organisations

    def rows(self) -> list[tuple[str, list[tuple[int, int]], int]]:
        """Return (region label, [(activities, organisations) per pillar], activities in the region)."""
        out = []
        for region, label in self.regions:
            cells = [(self.counts.get((region, p), 0), self.organisations.get((region, p), 0)) for p, _ in self.pillars]
            out.append((label, cells, sum(c for c, _o in cells)))
        return out

    def pillar_totals(self) -> list[int]:
        return [sum(self.counts.get((r, p), 0) for r, _ in self.regions) for p, _label in self.pillars]


def coverage(actor: Membership | None, *, on: dt.date | None = None) -> Coverage:
    """Count activities by region × pillar (those running on ``on`` when given), in one query."""
    rows = access.activities.visible(actor, "view")
    if on is not None:
        rows = rows.filter(starts_on__lte=on, ends_on__gte=on)
    counts: dict[tuple[str, str], int] = {}
    organisations: dict[tuple[str, str], int] = {}
    for row in rows.values("region", "pillar").annotate(n=Count("pk"), orgs=Count("organisation", distinct=True)):
        counts[(row["region"], row["pillar"])] = row["n"]
        organisations[(row["region"], row["pillar"])] = row["orgs"]
    regions = [(str(v), str(label)) for v, label in Region.choices]
    pillars = [(str(v), str(label)) for v, label in Pillar.choices]
    return Coverage(regions=regions, pillars=pillars, counts=counts, organisations=organisations)


@dataclass(frozen=True)
class Overlap:
    """Two organisations' activities in the same region at the same time, on the same action or pillar."""

    first: PartnerActivity
    second: PartnerActivity
    same_action: bool
    starts_on: dt.date
    ends_on: dt.date


def duplications(actor: Membership | None) -> list[Overlap]:
    """Return pairs of activities of different organisations that may duplicate each other, in one query.

    Two activities overlap when they are in the same region, their dates overlap, and they serve the same plan
    action — or, when either is not linked to an action, the same pillar. Pairs on the same action come first.
    """
    groups: dict[str, list[PartnerActivity]] = defaultdict(list)
    for activity in activities_visible_to(actor).order_by("starts_on", "pk"):
        groups[activity.region].append(activity)
    found = []
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.starts_on > first.ends_on:
                    break  # sorted by start: nothing later overlaps ``first``
                overlap = _overlap(first, second)
                if overlap is not None:
                    found.append(overlap)
    return sorted(found, key=lambda o: (not o.same_action, o.first.region, o.starts_on, o.first.pk, o.second.pk))


def _overlap(first: PartnerActivity, second: PartnerActivity) -> Overlap | None:
    if first.organisation_id == second.organisation_id:
        return None
    both_linked = first.action_id is not None and second.action_id is not None
    if both_linked and first.action_id != second.action_id:
        return None
    if not both_linked and first.pillar != second.pillar:
        return None
    return Overlap(
        first=first,
        second=second,
        same_action=both_linked,
        starts_on=max(first.starts_on, second.starts_on),
        ends_on=min(first.ends_on, second.ends_on),
    )
