from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctip.plans.periods import PeriodSpec, due_date, half_year_periods

D = dt.date


def test_the_second_half_of_a_year_is_due_in_january_of_the_next():
    assert due_date(D(2024, 12, 31)) == D(2025, 1, 15)


def test_the_first_half_is_due_on_15_july():
    assert due_date(D(2024, 6, 30)) == D(2024, 7, 15)


def test_a_due_day_past_the_months_end_falls_on_its_last_day():
    assert due_date(D(2025, 1, 31), due_day=31) == D(2025, 2, 28)
    assert due_date(D(2024, 1, 31), due_day=30) == D(2024, 2, 29)


def test_a_calendar_program_has_two_periods_a_year():
    assert half_year_periods(D(2024, 1, 1), D(2025, 12, 31)) == [
        PeriodSpec(D(2024, 1, 1), D(2024, 6, 30), D(2024, 7, 15)),
        PeriodSpec(D(2024, 7, 1), D(2024, 12, 31), D(2025, 1, 15)),
        PeriodSpec(D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 15)),
        PeriodSpec(D(2025, 7, 1), D(2025, 12, 31), D(2026, 1, 15)),
    ]


def test_a_program_starting_mid_year_is_clipped_to_its_dates():
    assert half_year_periods(D(2022, 4, 12), D(2023, 3, 31), due_day=10) == [
        PeriodSpec(D(2022, 4, 12), D(2022, 6, 30), D(2022, 7, 10)),
        PeriodSpec(D(2022, 7, 1), D(2022, 12, 31), D(2023, 1, 10)),
        PeriodSpec(D(2023, 1, 1), D(2023, 3, 31), D(2023, 4, 10)),
    ]


def test_a_program_starting_in_the_second_half():
    assert half_year_periods(D(2024, 9, 1), D(2024, 12, 31)) == [
        PeriodSpec(D(2024, 9, 1), D(2024, 12, 31), D(2025, 1, 15))
    ]


def test_a_one_day_program_has_one_period():
    assert half_year_periods(D(2024, 7, 1), D(2024, 7, 1)) == [PeriodSpec(D(2024, 7, 1), D(2024, 7, 1), D(2024, 8, 15))]


def test_it_refuses_a_program_ending_before_it_starts_and_a_bad_day():
    with pytest.raises(ValueError, match="before it starts"):
        half_year_periods(D(2024, 2, 1), D(2024, 1, 1))
    with pytest.raises(ValueError, match="due_day"):
        half_year_periods(D(2024, 1, 1), D(2024, 12, 31), due_day=0)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.integers(min_value=1, max_value=31))
def test_a_due_date_always_falls_in_the_next_month_after_the_period(end, day):
    due = due_date(end, day)
    months_later = (due.year - end.year) * 12 + due.month - end.month
    assert months_later == 1
    assert due > end
    assert due.day == min(day, calendar.monthrange(due.year, due.month)[1])


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=0, max_value=3000))
def test_half_years_tile_the_program_without_gaps_or_overlaps(start, length):
    end = start + dt.timedelta(days=length)
    periods = half_year_periods(start, end)
    assert periods[0].starts_on == start
    assert periods[-1].ends_on == end
    for earlier, later in itertools.pairwise(periods):
        assert later.starts_on == earlier.ends_on + dt.timedelta(days=1)
    for period in periods:
        assert period.starts_on.year == period.ends_on.year  # never across a year end
        assert period.due_on == due_date(period.ends_on)
