"""Referral-mechanism numbers for the plan's indicators and the statistics (registered in CasesConfig.ready).

A person counts once per case. Dates: presumed on the day of the presumption, identified on the day of the
decision, referrals on the day they were sent, cases by status on the day they were opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from ctip.cases.models import Referral, ReferralService, VictimCase
from ctip.cases.vocab import NrmStatus
from ctip.core.metrics import Metric, Period, register

# A dimension's name as the plan and statistics use it -> the column of a case it reads.
CASE_DIMENSIONS = {
    "organisation": "owner__code",
    "org_type": "owner__org_type",
    "region": "region",
    "gender": "person__gender",
    "child": "is_child",
    "status": "status",
}
REFERRAL_DIMENSIONS = {
    "organisation": "referral__from_organisation__code",
    "receiver": "referral__to_organisation__code",
    "region": "referral__case__region",
    "service": "service",
}


def _dated(rows: QuerySet[Any], column: str, period: Period) -> QuerySet[Any]:
    if period.start:
        rows = rows.filter(**{f"{column}__gte": period.start})
    if period.end:
        rows = rows.filter(**{f"{column}__lte": period.end})
    return rows


def _count(
    rows: QuerySet[Any], dimensions: Mapping[str, str], filters: Mapping[str, str], by: str | None
) -> dict[str, int]:
    rows = rows.filter(**{dimensions[k]: _value(k, v) for k, v in filters.items()})
    if by is None:
        return {"": rows.count()}
    column = dimensions[by]
    counted = rows.values(column).annotate(n=Count("id")).order_by(column)
    return {str(r[column]).lower() if by == "child" else str(r[column]): r["n"] for r in counted}


def _value(dimension: str, value: str) -> object:
    return value.lower() == "true" if dimension == "child" else value


def victims_presumed(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    return _count(
        _dated(VictimCase.objects.filter(presumed_on__isnull=False), "presumed_on", period),
        CASE_DIMENSIONS,
        filters,
        by,
    )


def victims_identified(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    rows = VictimCase.objects.filter(status=NrmStatus.IDENTIFIED)
    return _count(_dated(rows, "identified_on", period), CASE_DIMENSIONS, filters, by)


def referrals(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    """Referrals sent in the period; broken down by service, a referral asking for two services counts in both."""
    sent = _dated(Referral.objects.annotate(day=TruncDate("sent_at")), "day", period)
    if by == "service" or "service" in filters:
        return _count(ReferralService.objects.filter(referral__in=sent.values("id")), REFERRAL_DIMENSIONS, filters, by)
    plain = {k: v.removeprefix("referral__") for k, v in REFERRAL_DIMENSIONS.items() if k != "service"}
    return _count(sent, plain, filters, by)


def by_status(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    rows = _dated(VictimCase.objects.annotate(day=TruncDate("created_at")), "day", period)
    return _count(rows, CASE_DIMENSIONS, filters, by)


def register_metrics() -> None:
    register(
        Metric(
            name="cases.victims_presumed",
            label=_("Presumed victims"),
            description=_("Cases that became presumed victims of trafficking in the period."),
            compute=victims_presumed,
            dimensions=tuple(CASE_DIMENSIONS),
        )
    )
    register(
        Metric(
            name="cases.victims_identified",
            label=_("Identified victims"),
            description=_("Persons formally identified as victims of trafficking in the period."),
            compute=victims_identified,
            dimensions=tuple(CASE_DIMENSIONS),
        )
    )
    register(
        Metric(
            name="cases.referrals",
            label=_("Referrals to services"),
            description=_("Referrals sent in the period; by service, a referral counts once for each service asked."),
            compute=referrals,
            dimensions=tuple(REFERRAL_DIMENSIONS),
        )
    )
    register(
        Metric(
            name="cases.by_status",
            label=_("Victim cases by status"),
            description=_("Cases opened in the period, by their status today."),
            compute=by_status,
            dimensions=tuple(CASE_DIMENSIONS),
        )
    )
