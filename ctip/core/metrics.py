"""A registry of named metrics that ctip computes from its own data.

The action plan's indicators, the statistics pages and the reports ask for a number by name
(``screening.trafficking_indicated``) for a period, optionally broken down by one of the metric's dimensions.
Each app registers its metrics in its ``AppConfig.ready``; the registry knows nothing of any app.

A metric counts; it never returns rows. Disclosure control (no published cell with 0 < n < k) belongs to the code
that publishes, not here: a coordinator's dashboard may show small numbers that a public page may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Period:
    """A closed interval of days; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")


# compute(period, filters) -> {breakdown value: count}; with no breakdown the single key is "".
Compute = Callable[[Period, Mapping[str, str], str | None], dict[str, int]]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str | Promise
    description: str | Promise
    compute: Compute
    dimensions: tuple[str, ...] = field(default_factory=tuple)  # what it can be filtered or broken down by


class UnknownMetricError(LookupError):
    pass


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.name in _registry and _registry[metric.name] is not metric:
        raise ValueError(f"metric {metric.name!r} is registered twice")
    _registry[metric.name] = metric
    return metric


def get(name: str) -> Metric:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownMetricError(f"no metric named {name!r}; known: {', '.join(sorted(_registry))}") from None


def names() -> list[str]:
    return sorted(_registry)


def value(name: str, period: Period | None = None, **filters: str) -> int:
    """Return one number: the metric over the period, narrowed by ``filters`` (each a dimension of the metric)."""
    return sum(breakdown(name, None, period, **filters).values())


def breakdown(name: str, by: str | None, period: Period | None = None, **filters: str) -> dict[str, int]:
    """Return the metric split by one dimension (``by``), or ``{"": total}`` when ``by`` is None."""
    metric = get(name)
    for dimension in [*filters, *([by] if by else [])]:
        if dimension not in metric.dimensions:
            raise ValueError(f"metric {name!r} has no dimension {dimension!r} (it has: {', '.join(metric.dimensions)})")
    return metric.compute(period or Period(), filters, by)
