"""Screening numbers for the plan's indicators and the statistics (registered in ScreeningConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from ctip.core.metrics import Metric, Period, register
from ctip.screening.models import Outcome, Screening

# A dimension's name as the plan and statistics use it -> the column it reads.
DIMENSIONS = {
    "list": "list",
    "org_type": "organisation__org_type",
    "organisation": "organisation__code",
    "place": "place",
}


def _counted(period: Period) -> QuerySet[Screening]:
    """Screenings in the period, each person's interview once: one that a later screening corrects is left out."""
    rows = Screening.objects.filter(corrections__isnull=True)
    if period.start:
        rows = rows.filter(interviewed_on__gte=period.start)
    if period.end:
        rows = rows.filter(interviewed_on__lte=period.end)
    return rows


def _count(rows: QuerySet[Screening], filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    rows = rows.filter(**{DIMENSIONS[k]: v for k, v in filters.items()})
    if by is None:
        return {"": rows.count()}
    column = DIMENSIONS[by]
    return {str(r[column]): r["n"] for r in rows.values(column).annotate(n=Count("id")).order_by(column)}


def screenings_done(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    return _count(_counted(period), filters, by)


def trafficking_indicated(period: Period, filters: Mapping[str, str], by: str | None) -> dict[str, int]:
    return _count(_counted(period).filter(outcome=Outcome.TRAFFICKING_INDICATED), filters, by)


def register_metrics() -> None:
    register(
        Metric(
            name="screening.screenings_done",
            label=_("Screenings done"),
            description=_("Screening interviews held in the period (a corrected screening counts once)."),
            compute=screenings_done,
            dimensions=tuple(DIMENSIONS),
        )
    )
    register(
        Metric(
            name="screening.trafficking_indicated",
            label=_("Screenings indicating trafficking"),
            description=_("Screenings in the period whose indicator-based assessment indicated trafficking."),
            compute=trafficking_indicated,
            dimensions=tuple(DIMENSIONS),
        )
    )
