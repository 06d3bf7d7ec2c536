"""Reads of the plan: the reports an actor may see, and the current value of an indicator."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from ctip.core import metrics
from ctip.orgs.models import Membership
from ctip.plans import access
from ctip.plans.models import (
    IndicatorSource,
    IndicatorValue,
    PlanIndicator,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)


def reports_visible_to(actor: Membership | None) -> QuerySet[ProgressReport]:
    return access.reports.visible(actor, "view").select_related("action", "organisation", "period")


def indicator_current_value(indicator: PlanIndicator, period: ReportingPeriod) -> Decimal | None:
    """Return the indicator's value as of the end of the period, or None when nothing is known yet.

    A reported indicator takes the latest accepted value from a period ending no later than this one; a computed
    one asks the metrics registry for the period's own number.
    """
    if indicator.source == IndicatorSource.METRIC:
        return Decimal(metrics.value(indicator.metric_name, metrics.Period(period.starts_on, period.ends_on)))
    latest = (
        IndicatorValue.objects.filter(
            indicator=indicator,
            report__status=ReportStatus.ACCEPTED,
            report__period__ends_on__lte=period.ends_on,
        )
        .order_by("-report__period__ends_on", "-report__accepted_at", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return latest
