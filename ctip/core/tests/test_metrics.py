from __future__ import annotations

import datetime as dt

import pytest

from ctip.core import metrics


@pytest.fixture
def counted():
    calls = []

    def compute(period, filters, by):
        calls.append((period, dict(filters), by))
        rows = {"adult_labour": 7, "child_labour": 3}
        if "list" in filters:
            rows = {k: v for k, v in rows.items() if k == filters["list"]}
        return rows if by == "list" else {"": sum(rows.values())}

    metric = metrics.Metric(name="test.things", label="Things", description="", compute=compute, dimensions=("list",))
    metrics._registry["test.things"] = metric
    yield calls
    del metrics._registry["test.things"]


def test_a_metric_gives_a_total_a_filtered_value_and_a_breakdown(counted):
    assert metrics.value("test.things") == 10
    assert metrics.value("test.things", list="child_labour") == 3
    assert metrics.breakdown("test.things", "list") == {"adult_labour": 7, "child_labour": 3}
    period = metrics.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    metrics.value("test.things", period)
    assert counted[-1] == (period, {}, None)


def test_unknown_metrics_and_dimensions_are_named_in_the_error(counted):
    with pytest.raises(metrics.UnknownMetricError, match=r"no metric named 'test\.nothing'"):
        metrics.value("test.nothing")
    with pytest.raises(ValueError, match="has no dimension 'oblast'"):
        metrics.value("test.things", oblast="osh")
    assert counted == []


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        metrics.Period(dt.date(2026, 7, 1), dt.date(2026, 6, 30))


def test_a_name_cannot_be_taken_twice(counted):
    other = metrics.Metric(name="test.things", label="", description="", compute=lambda p, f, b: {})
    with pytest.raises(ValueError, match="registered twice"):
        metrics.register(other)
