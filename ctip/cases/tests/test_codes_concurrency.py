"""Case codes drawn at the same moment by several processes are never the same (PostgreSQL: real concurrency)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from ctip.cases.models import CaseCounter
from ctip.cases.services import next_case_code

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs concurrent transactions"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_draws_for_a_new_year_give_distinct_consecutive_codes():
    start = threading.Barrier(6)
    codes: list[str] = []
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            start.wait()
            with transaction.atomic():
                codes.append(next_case_code(dt.date(2031, 5, 1)))
        except Exception as error:  # whatever it is, the main thread reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"KG-2031-{n:05d}" for n in range(1, 7)]
    assert CaseCounter.objects.get(year=2031).last == 6
