from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ctip.plans.models import PlanIndicator
from ctip.plans.selectors import indicator_current_value, reports_visible_to
from ctip.plans.services import report_accept, report_save_draft, report_submit
from ctip.screening.tests.factories import make_screening

pytestmark = pytest.mark.django_db


def test_a_reported_indicator_takes_the_latest_accepted_value_up_to_the_period(cast, plan):
    ind = PlanIndicator.objects.create(action=plan.action, name_ky="n", name_ru="n", name_en="n", unit="people")
    assert indicator_current_value(ind, plan.h1) is None
    h1 = report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h1, values={ind: Decimal(5)})
    assert indicator_current_value(ind, plan.h1) is None  # a draft does not count
    report_accept(actor=cast.coordinator, report=report_submit(actor=plan.reporter_a, report=h1))
    report_save_draft(actor=plan.reporter_a, action=plan.action, period=plan.h2, values={ind: Decimal(9)})
    assert indicator_current_value(ind, plan.h1) == Decimal(5)
    assert indicator_current_value(ind, plan.h2) == Decimal(5)
    h2 = report_submit(actor=plan.reporter_a, report=plan.action.reports.get(period=plan.h2))
    report_accept(actor=cast.coordinator, report=h2)
    assert indicator_current_value(ind, plan.h2) == Decimal(9)
    assert indicator_current_value(ind, plan.h1) == Decimal(5)
    assert reports_visible_to(cast.viewer_a).count() == 2


def test_a_computed_indicator_counts_screenings_in_the_period(cast, plan):
    ind = PlanIndicator.objects.create(
        objective=plan.action.objective,
        name_ky="n",
        name_ru="n",
        name_en="n",
        unit="screenings",
        source="metric",
        metric_name="screening.screenings_done",
    )
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2024, 3, 1))
    make_screening(cast.case_worker_a, interviewed_on=dt.date(2024, 6, 30))
    make_screening(cast.case_worker_b, interviewed_on=dt.date(2024, 7, 1))
    assert indicator_current_value(ind, plan.h1) == Decimal(2)
    assert indicator_current_value(ind, plan.h2) == Decimal(1)
