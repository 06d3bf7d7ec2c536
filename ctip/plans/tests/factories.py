"""A small plan for the tests: one program (2024–2025), one objective, one action led by org A with org B co-executing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ctip.orgs.models import Membership, Organisation
from ctip.plans.models import Action, Objective, Program
from ctip.plans.services import action_create, objective_create, program_create


def make_program(coordinator: Membership, **fields: Any) -> Program:
    values: dict[str, Any] = {
        "title_ky": "Программа",
        "title_ru": "Программа",
        "title_en": "Program",
        "starts_on": dt.date(2024, 1, 1),
        "ends_on": dt.date(2025, 12, 31),
    }
    values.update(fields)
    return program_create(actor=coordinator, **values)


def make_objective(coordinator: Membership, program: Program, code: str = "2") -> Objective:
    return objective_create(
        actor=coordinator, program=program, code=code, title_ky="Максат", title_ru="Цель", title_en="Objective"
    )


def make_action(
    coordinator: Membership,
    objective: Objective,
    lead: Organisation,
    *,
    code: str = "2.3.1",
    co_executors: tuple[Organisation, ...] = (),
    **fields: Any,
) -> Action:
    values: dict[str, Any] = {
        "title_ky": "Иш-чара",
        "title_ru": "Мероприятие",
        "title_en": "Action",
        "pillars": ["PROTECTION"],
        "starts_on": dt.date(2024, 1, 1),
        "deadline": dt.date(2025, 6, 30),
        "budget": Decimal("1000.00"),
        "currency": "USD",
    }
    values.update(fields)
    return action_create(
        actor=coordinator, objective=objective, code=code, lead=lead, co_executors=co_executors, **values
    )
