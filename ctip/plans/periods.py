"""Reporting-period arithmetic: pure functions, no database."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodSpec:
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date


def due_date(period_end: dt.date, due_day: int = 15) -> dt.date:
    """Return the ``due_day`` of the month after ``period_end`` (the month's last day if it is shorter)."""
    year, month = (period_end.year + 1, 1) if period_end.month == 12 else (period_end.year, period_end.month + 1)
    return dt.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def half_year_periods(program_start: dt.date, program_end: dt.date, due_day: int = 15) -> list[PeriodSpec]:
    """Return the calendar half-years the program spans, clipped to its dates, each due after it ends.

    A program starting in April 2024 first reports on April–June 2024; H2 2024 is due on 15 January 2025.
    """
    if program_end < program_start:
        raise ValueError(f"the program ends ({program_end}) before it starts ({program_start})")
    if not 1 <= due_day <= 31:
        raise ValueError(f"due_day must be 1–31, not {due_day}")
    periods: list[PeriodSpec] = []
    year, half = program_start.year, 0 if program_start.month <= 6 else 1
    while True:
        start = dt.date(year, 1 + 6 * half, 1)
        if start > program_end:
            return periods
        end = dt.date(year, 6, 30) if half == 0 else dt.date(year, 12, 31)
        clipped_end = min(end, program_end)
        periods.append(PeriodSpec(max(start, program_start), clipped_end, due_date(clipped_end, due_day)))
        year, half = (year, 1) if half == 0 else (year + 1, 0)
