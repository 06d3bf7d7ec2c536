from __future__ import annotations

import datetime as dt

import pytest

from ctip.core import metrics
from ctip.orgs.roles import Role
from ctip.screening.tests.factories import make_screening
from ctip.testing import member


@pytest.fixture
def screenings(cast):
    worker_b = member(cast.org_b, Role.CASE_WORKER)
    day = dt.date(2026, 3, 10)
    make_screening(cast.case_worker_a, interviewed_on=day)
    make_screening(cast.case_worker_a, interviewed_on=day, indicators=[])
    make_screening(cast.case_worker_a, interviewed_on=day, age=15, indicators=[])
    first = make_screening(worker_b, interviewed_on=day, indicators=[], place="batken")
    make_screening(worker_b, interviewed_on=day, place="batken", corrects=first)  # the correction counts, not both
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2025, 12, 31))
    return day


def test_screenings_are_counted_by_period_and_a_correction_once(screenings):
    h1 = metrics.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert metrics.value("screening.screenings_done", h1) == 4
    assert metrics.value("screening.trafficking_indicated", h1) == 2
    assert metrics.value("screening.screenings_done") == 5


def test_screenings_break_down_by_list_organisation_and_place(screenings, cast):
    h1 = metrics.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert metrics.breakdown("screening.screenings_done", "list", h1) == {"adult_labour": 3, "child_labour": 1}
    assert metrics.breakdown("screening.trafficking_indicated", "organisation", h1) == {
        "police-b": 1,
        "shelter-a": 1,
    }
    assert metrics.value("screening.screenings_done", h1, place="batken") == 1
    assert metrics.value("screening.screenings_done", h1, org_type="NGO") == 4
