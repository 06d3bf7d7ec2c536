"""The plan workbook: every bad input is named by sheet, row and column and writes nothing; imports are idempotent."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from ctip.audit.models import AuditEvent
from ctip.plans import services
from ctip.plans.models import (
    Action,
    ActionPillar,
    IndicatorValue,
    Objective,
    PlanIndicator,
    Program,
    ProgressReport,
    ReportingPeriod,
)
from ctip.plans.workbook import WorkbookError, build_workbook, layout, plan_import, read_workbook, template_bytes
from ctip.plans.workbook.importing import organisations

# --- Building workbooks in tests ------------------------------------------------------------------------------------

PROGRAM = {
    "title_ky": "Программа КР",
    "title_ru": "Программа КР",
    "title_en": "Kyrgyz program",
    "starts_on": dt.date(2024, 1, 1),
    "ends_on": dt.date(2025, 12, 31),
    "act_number": "485",
    "act_date": dt.date(2023, 12, 1),
    "status": "draft",
}
OBJECTIVES = [
    {"code": "1", "title_ky": "Алдын алуу", "title_ru": "Предупреждение", "title_en": "Prevention"},
    {"code": "2", "title_ky": "Коргоо", "title_ru": "Защита", "title_en": "Protection"},
]
ACTIONS = [
    {
        "code": "1.1",
        "objective": "1",
        "title_ky": "Кампания",
        "title_ru": "Кампания",
        "title_en": "Campaign",
        "pillars": "PREVENTION",
        "lead": "shelter-a",
        "co_executors": "police-b",
        "starts_on": dt.date(2024, 1, 1),
        "deadline": dt.date(2024, 12, 31),
        "budget": 1500.5,
        "currency": "USD",
    },
    {
        "code": "2.1",
        "objective": "2",
        "title_ky": "Окутуу",
        "title_ru": "Обучение",
        "title_en": "Training",
        "pillars": "protection, Prosecution",
        "lead": "POLICE-B",
        "partners": "ministry",
        "starts_on": "2024-03-01",
        "deadline": dt.datetime(2025, 6, 30),  # noqa: DTZ001 - an Excel date cell reads as a naive datetime
    },
]
INDICATORS = [
    {
        "action": "1.1",
        "name_ky": "Адамдар",
        "name_ru": "Люди",
        "name_en": "People reached",
        "unit": "persons",
        "target": 100,
    },
    {
        "objective": "2",
        "name_ky": "Скрининг",
        "name_ru": "Скрининги",
        "name_en": "Screenings",
        "unit": "screenings",
        "metric": "screening.screenings_done",
    },
]


def sheets(**changes: Any) -> dict[str, list[dict[str, Any]]]:
    """Return a valid plan as sheets of rows, with whole sheets replaced by ``changes`` (e.g. ``Actions=[…]``)."""
    base = {"Program": [PROGRAM], "Objectives": OBJECTIVES, "Actions": ACTIONS, "Indicators": INDICATORS}
    base.update(changes)
    return copy.deepcopy(base)


def xlsx(data: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    """Return an .xlsx whose sheets have the dicts' keys (in first-seen order) as row 1 and their values below."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in (data if data is not None else sheets()).items():
        ws = book.create_sheet(name)
        keys = list(dict.fromkeys(k for row in rows for k in row)) or list(layout_keys(name))
        ws.append(keys)
        for row in rows:
            ws.append([row.get(k) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def layout_keys(name: str) -> tuple[str, ...]:
    return next(s.keys for s in layout.SHEETS if s.name == name)


def changed(rows: list[dict[str, Any]], index: int, **values: Any) -> list[dict[str, Any]]:
    rows = copy.deepcopy(rows)
    rows[index].update(values)
    return rows


def state() -> tuple[int, ...]:
    """Count the plan's records and the audit trail (less logins, which the test clients make)."""
    counts = [m.objects.count() for m in (Program, Objective, Action, ActionPillar, PlanIndicator, ReportingPeriod)]
    return (*counts, AuditEvent.objects.exclude(action__startswith="auth.").count())


def problems_of(data: bytes, actor: Any) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(WorkbookError) as error:
        plan_import(actor=actor, source=data)
    return [(p.sheet, p.row, p.column) for p in error.value.problems]


# --- A good workbook ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_a_whole_plan(cast):
    result = plan_import(actor=cast.coordinator, source=xlsx())

    program = Program.objects.get()
    assert result.program == program
    assert not result.dry_run
    assert result.changed
    assert (program.title_en, program.act_number, program.act_date) == ("Kyrgyz program", "485", dt.date(2023, 12, 1))
    first, second = Action.objects.order_by("code")
    assert (first.lead, list(first.co_executors.all()), first.budget, first.currency) == (
        cast.org_a,
        [cast.org_b],
        Decimal("1500.50"),
        "USD",
    )
    assert sorted(second.pillars.values_list("pillar", flat=True)) == ["PROSECUTION", "PROTECTION"]
    assert (second.lead, second.partners.get().code, second.budget, second.currency) == (
        cast.org_b,
        "ministry",
        Decimal("0.00"),
        "KGS",
    )
    assert (second.starts_on, second.deadline) == (dt.date(2024, 3, 1), dt.date(2025, 6, 30))
    computed = PlanIndicator.objects.get(objective__code="2")
    assert (computed.source, computed.metric_name) == ("metric", "screening.screenings_done")
    assert PlanIndicator.objects.get(action=first).target == Decimal("100.00")
    # No Periods sheet: the default half-years, due on the 15th of the month after.
    assert list(program.periods.values_list("starts_on", "due_on")) == [
        (dt.date(2024, 1, 1), dt.date(2024, 7, 15)),
        (dt.date(2024, 7, 1), dt.date(2025, 1, 15)),
        (dt.date(2025, 1, 1), dt.date(2025, 7, 15)),
        (dt.date(2025, 7, 1), dt.date(2026, 1, 15)),
    ]
    event = AuditEvent.objects.get(action="plans.program.import")
    assert (event.actor, event.object_id) == (cast.coordinator.user, str(program.pk))
    assert event.details["actions"] == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "kept": 0}
    assert event.details["periods"]["created"] == 4


@pytest.mark.django_db
def test_importing_the_same_workbook_again_changes_nothing(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    before = state()

    with CaptureQueriesContext(connection) as queries:
        result = plan_import(actor=cast.coordinator, source=xlsx())

    assert not result.changed
    assert state() == before
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert {k: (c.unchanged, c.created, c.updated) for k, c in result.counts.items()} == {
        "program": (1, 0, 0),
        "objectives": (2, 0, 0),
        "actions": (2, 0, 0),
        "indicators": (2, 0, 0),
        "periods": (4, 0, 0),
    }


@pytest.mark.django_db
def test_a_changed_workbook_updates_only_what_changed(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    actions = changed(ACTIONS, 0, title_en="Campaign, revised", co_executors="", partners="police-b, ministry")
    actions.append({**ACTIONS[0], "code": "1.2", "title_en": "New action"})
    data = sheets(Actions=actions, Objectives=changed(OBJECTIVES, 1, title_ru="Защита жертв"))

    result = plan_import(actor=cast.coordinator, source=xlsx(data))

    counts = result.counts
    assert (counts["actions"].created, counts["actions"].updated, counts["actions"].unchanged) == (1, 1, 1)
    assert (counts["objectives"].updated, counts["objectives"].unchanged) == (1, 1)
    assert counts["program"].unchanged == 1
    revised = Action.objects.get(code="1.1")
    assert revised.title_en == "Campaign, revised"
    assert list(revised.co_executors.all()) == []
    assert sorted(revised.partners.values_list("code", flat=True)) == ["ministry", "police-b"]
    assert Objective.objects.get(code="2").title_ru == "Защита жертв"
    assert Program.objects.count() == 1
    assert AuditEvent.objects.filter(action="plans.program.import").count() == 2


@pytest.mark.django_db
def test_the_program_is_found_by_its_act_number_when_its_title_changes(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    program = {**PROGRAM, "title_en": "Kyrgyz program 2024–2025"}

    plan_import(actor=cast.coordinator, source=xlsx(sheets(Program=[program])))

    assert list(Program.objects.values_list("title_en", flat=True)) == ["Kyrgyz program 2024–2025"]


@pytest.mark.django_db
def test_actions_missing_from_the_workbook_are_deleted_unless_they_have_reports(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    program = Program.objects.get()
    services.program_approve(actor=cast.coordinator, program=program)
    reported = Action.objects.get(code="2.1")
    services.report_save_draft(actor=cast.admin_b, action=reported, period=program.periods.first())
    data = sheets(Actions=[], Indicators=[])
    data["Program"][0]["status"] = "approved"

    result = plan_import(actor=cast.coordinator, source=xlsx(data))

    assert list(Action.objects.values_list("code", flat=True)) == ["2.1"]
    assert (result.counts["actions"].deleted, result.counts["actions"].kept) == (1, 1)
    assert [str(w.message) for w in result.warnings] == [
        "Action 2.1 is not in the workbook but has progress reports or other records; it was kept."
    ]
    assert ProgressReport.objects.count() == 1


@pytest.mark.django_db
def test_indicators_with_reported_values_are_kept(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    program = Program.objects.get()
    services.program_approve(actor=cast.coordinator, program=program)
    action = Action.objects.get(code="1.1")
    indicator = PlanIndicator.objects.get(action=action)
    services.report_save_draft(
        actor=cast.admin_a, action=action, period=program.periods.first(), values={indicator: Decimal(3)}
    )
    data = sheets(Indicators=INDICATORS[1:])
    data["Program"][0]["status"] = "approved"

    result = plan_import(actor=cast.coordinator, source=xlsx(data))

    assert (result.counts["indicators"].kept, result.counts["indicators"].deleted) == (1, 0)
    assert IndicatorValue.objects.get().indicator == indicator


@pytest.mark.django_db
def test_a_periods_sheet_sets_the_reporting_periods(cast):
    periods = [
        {"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2024, 12, 31)},
        {"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2025, 12, 31), "due_on": dt.date(2026, 2, 1)},
    ]
    plan_import(actor=cast.coordinator, source=xlsx(sheets(Periods=periods)))

    assert list(ReportingPeriod.objects.values_list("ends_on", "due_on")) == [
        (dt.date(2024, 12, 31), dt.date(2025, 1, 15)),
        (dt.date(2025, 12, 31), dt.date(2026, 2, 1)),
    ]


@pytest.mark.django_db
def test_a_dry_run_reports_the_changes_and_writes_nothing(cast):
    before = state()

    result = plan_import(actor=cast.coordinator, source=xlsx(), dry_run=True)

    assert result.dry_run
    assert result.changed
    assert (result.counts["actions"].created, result.counts["periods"].created) == (2, 4)
    assert result.program.pk is None
    assert state() == before


@pytest.mark.django_db
def test_only_a_coordinator_imports(cast):
    before = state()
    with pytest.raises(PermissionDenied):
        plan_import(actor=cast.admin_a, source=xlsx())
    assert state() == before


# --- Bad input: where, and nothing written --------------------------------------------------------------------------


def _case(**changes: Any) -> dict[str, list[dict[str, Any]]]:
    return sheets(**changes)


BAD = {
    "unknown organisation": (_case(Actions=changed(ACTIONS, 1, lead="nobody")), ("Actions", 3, "lead")),
    "unknown co-executor": (
        _case(Actions=changed(ACTIONS, 0, co_executors="police-b, ghost")),
        ("Actions", 2, "co_executors"),
    ),
    "duplicate action code": (_case(Actions=changed(ACTIONS, 1, code="1.1")), ("Actions", 3, "code")),
    "deadline before start": (
        _case(Actions=changed(ACTIONS, 0, deadline=dt.date(2023, 12, 31))),
        ("Actions", 2, "deadline"),
    ),
    "negative budget": (_case(Actions=changed(ACTIONS, 0, budget=-5)), ("Actions", 2, "budget")),
    "too many decimals": (_case(Actions=changed(ACTIONS, 0, budget="10.005")), ("Actions", 2, "budget")),
    "budget in words": (_case(Actions=changed(ACTIONS, 0, budget="a lot")), ("Actions", 2, "budget")),
    "bad currency": (_case(Actions=changed(ACTIONS, 0, currency="dollars")), ("Actions", 2, "currency")),
    "unknown pillar": (_case(Actions=changed(ACTIONS, 0, pillars="PREVENTION, PEACE")), ("Actions", 2, "pillars")),
    "unknown metric": (_case(Indicators=changed(INDICATORS, 1, metric="cases.nothing")), ("Indicators", 3, "metric")),
    "metric on a manual indicator": (
        _case(Indicators=changed(INDICATORS, 0, source="manual", metric="screening.screenings_done")),
        ("Indicators", 2, "metric"),
    ),
    "objective code missing": (_case(Actions=changed(ACTIONS, 1, objective="9")), ("Actions", 3, "objective")),
    "indicator of an unknown action": (
        _case(Indicators=changed(INDICATORS, 0, action="7.7")),
        ("Indicators", 2, "action"),
    ),
    "indicator of nothing": (_case(Indicators=changed(INDICATORS, 1, objective=None)), ("Indicators", 3, "action")),
    "missing required field": (_case(Actions=changed(ACTIONS, 0, title_en="  ")), ("Actions", 2, "title_en")),
    "date in a wrong format": (_case(Actions=changed(ACTIONS, 1, starts_on="01/03/2024")), ("Actions", 3, "starts_on")),
    "date and time": (
        _case(Actions=changed(ACTIONS, 1, deadline=dt.datetime(2025, 6, 30, 12, 0))),  # noqa: DTZ001
        ("Actions", 3, "deadline"),
    ),
    "position not a number": (
        _case(Objectives=changed(OBJECTIVES, 0, position="first")),
        ("Objectives", 2, "position"),
    ),
    "bad direction": (_case(Indicators=changed(INDICATORS, 0, direction="up")), ("Indicators", 2, "direction")),
    "code with a space": (_case(Objectives=[*OBJECTIVES, {**OBJECTIVES[0], "code": "3 b"}]), ("Objectives", 4, "code")),
    "duplicate objective": (_case(Objectives=[*OBJECTIVES, OBJECTIVES[0]]), ("Objectives", 4, "code")),
    "program ends before it starts": (
        _case(Program=[{**PROGRAM, "ends_on": dt.date(2023, 1, 1)}]),
        ("Program", 2, "ends_on"),
    ),
    "two programs": (_case(Program=[PROGRAM, PROGRAM]), ("Program", 3, None)),
    "no program": (_case(Program=[]), ("Program", 2, None)),
    "bad status": (_case(Program=[{**PROGRAM, "status": "done"}]), ("Program", 2, "status")),
    "title too long": (_case(Objectives=changed(OBJECTIVES, 0, title_en="x" * 501)), ("Objectives", 2, "title_en")),
    "missing sheet": ({k: v for k, v in sheets().items() if k != "Indicators"}, ("Indicators", None, None)),
    "missing column": (
        _case(Actions=[{k: v for k, v in a.items() if k != "deadline"} for a in ACTIONS]),
        ("Actions", 1, "deadline"),
    ),
    "unknown column": (_case(Actions=changed(ACTIONS, 0, deadine="2024-01-01")), ("Actions", 1, "deadine")),
    "overlapping periods": (
        _case(
            Periods=[
                {"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2024, 12, 31)},
                {"starts_on": dt.date(2024, 7, 1), "ends_on": dt.date(2025, 6, 30)},
            ]
        ),
        ("Periods", 3, "starts_on"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_named_by_sheet_row_and_column_and_writes_nothing(cast, case):
    data, where = BAD[case]
    before = state()

    assert problems_of(xlsx(data), cast.coordinator) == [where]
    assert state() == before


@pytest.mark.django_db
def test_every_problem_is_reported_not_just_the_first(cast):
    actions = changed(ACTIONS, 0, lead="ghost", budget=-1)
    actions = changed(actions, 1, code="1.1", deadline="soon")
    data = sheets(Actions=actions, Indicators=changed(INDICATORS, 1, metric="cases.nothing"))

    found = problems_of(xlsx(data), cast.coordinator)

    assert found == [
        ("Actions", 2, "budget"),
        ("Actions", 2, "lead"),
        ("Actions", 3, "code"),
        ("Actions", 3, "deadline"),
        ("Indicators", 3, "metric"),
    ]


@pytest.mark.django_db
def test_messages_say_what_is_wrong(cast):
    data = sheets(Actions=changed(ACTIONS, 1, lead="nobody", deadline=dt.date(2024, 1, 1)))
    with pytest.raises(WorkbookError) as error:
        plan_import(actor=cast.coordinator, source=xlsx(data))
    assert [(p.cell, p.message) for p in error.value.problems] == [
        ("J3", "The deadline 2024-01-01 is before the start 2024-03-01."),
        ("G3", "There is no organisation with the short code “nobody”."),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"title,code\nplan,1\n", b"", b"PK\x03\x04 not really a zip"],
    ids=["csv", "empty", "broken zip"],
)
def test_a_file_that_is_not_a_workbook_is_refused(cast, content):
    before = state()
    with pytest.raises(WorkbookError) as error:
        plan_import(actor=cast.coordinator, source=content)
    assert [(p.sheet, p.row, p.column) for p in error.value.problems] == [("", None, None)]
    assert error.value.problems[0].message.startswith("The file is not an Excel workbook (.xlsx).")
    assert state() == before


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook_is_refused(cast):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(WorkbookError) as error:
        plan_import(actor=cast.coordinator, source=out.getvalue())
    assert error.value.problems[0].message.startswith("The file is not an Excel workbook")


@pytest.mark.django_db
def test_a_published_program_cannot_go_back_to_draft(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    program = Program.objects.get()
    services.program_approve(actor=cast.coordinator, program=program)
    services.program_publish(actor=cast.coordinator, program=program)

    assert problems_of(xlsx(), cast.coordinator) == [("Program", 2, "status")]


@pytest.mark.django_db
@pytest.mark.parametrize(("before", "after"), [("approved", "draft"), ("closed", "approved"), ("draft", "closed")])
def test_the_status_moves_only_as_the_services_allow(cast, before, after):
    plan_import(actor=cast.coordinator, source=xlsx())
    Program.objects.update(status=before)
    data = sheets(Program=[{**PROGRAM, "status": after}])

    assert problems_of(xlsx(data), cast.coordinator) == [("Program", 2, "status")]


@pytest.mark.django_db
def test_a_closed_program_cannot_change_but_imports_unchanged(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    Program.objects.update(status="closed")
    closed = sheets(Program=[{**PROGRAM, "status": "closed"}])

    assert not plan_import(actor=cast.coordinator, source=xlsx(closed)).changed
    closed["Actions"][0]["title_en"] = "Changed"
    assert problems_of(xlsx(closed), cast.coordinator) == [("Program", 2, None)]


@pytest.mark.django_db
def test_new_dates_must_still_contain_the_reporting_periods(cast):
    plan_import(actor=cast.coordinator, source=xlsx())
    shorter = sheets(Program=[{**PROGRAM, "ends_on": dt.date(2024, 12, 31)}])

    assert problems_of(xlsx(shorter), cast.coordinator) == [("Program", 2, "starts_on")]


# --- The template, the command line, and size -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_imports_cleanly_and_its_readme_explains_every_column(cast):
    content = template_bytes()

    result = plan_import(actor=cast.coordinator, source=content)

    assert result.changed
    assert not result.warnings
    assert not plan_import(actor=cast.coordinator, source=content).changed
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["README", "Program", "Objectives", "Actions", "Indicators", "Periods", "Lists"]
    readme = {(row[0], row[1]) for row in book["README"].iter_rows(values_only=True)}
    for name in ("Program", "Objectives", "Actions", "Indicators", "Periods"):
        for key in next(book[name].iter_rows(values_only=True)):
            assert (name, key) in readme
    lists = {str(v.sqref): v.formula1 for v in book["Actions"].data_validations.dataValidation}
    assert lists["G2:G5000"] == "Lists!$B$2:$B$4"  # the lead: the three organisations of the cast


@pytest.mark.django_db
def test_the_commands_write_the_template_import_it_and_report_problems(cast, tmp_path: Path, capsys):
    template = tmp_path / "template.xlsx"
    call_command("plan_template", str(template), "--language", "en")
    assert load_workbook(template)["README"]["A1"].value == "ctip action plan workbook"

    call_command("plan_import", str(template), "--dry-run")
    assert Program.objects.count() == 0
    call_command("plan_import", str(template), "--user", "coordinator@example.org", "--org", "ministry")
    out = capsys.readouterr().out
    assert "Actions: 2 created, 0 updated, 0 unchanged, 0 deleted, 0 kept" in out
    assert AuditEvent.objects.get(action="plans.program.import").actor == cast.coordinator.user

    call_command("plan_import", str(template))
    assert "No changes: the plan already matches the workbook." in capsys.readouterr().out

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(sheets(Actions=changed(ACTIONS, 0, lead="ghost"))))
    with pytest.raises(CommandError, match=r"1 problem\(s\) in .*bad.xlsx; nothing was imported."):
        call_command("plan_import", str(bad))
    assert "Actions, row 2, column lead: There is no organisation" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_import_command_refuses_a_member_who_is_not_a_coordinator(cast, tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx())
    with pytest.raises(CommandError, match=r"Only a coordinator imports the action plan\."):
        call_command("plan_import", str(path), "--user", "admin.a@example.org", "--org", "shelter-a")
    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_plan(cast):
    codes = ["shelter-a", "police-b", "ministry"]

    def queries(n: int, title: str) -> int:
        content = build_workbook(n, org_codes=codes, title=title)
        with CaptureQueriesContext(connection) as captured:
            plan_import(actor=cast.coordinator, source=content)
        return len(captured)

    # Both sizes fit in one batch of each bulk write; a query per row would show.
    assert queries(5, "small") == queries(40, "larger")


@pytest.mark.django_db
def test_a_big_workbook_lands_whole_and_a_second_import_changes_nothing(cast):
    # Its speed at 2,000 actions is measured by bench/plans.py (docs/benchmarks.md), never asserted here.
    content = build_workbook(300, org_codes=["shelter-a", "police-b", "ministry"])
    result = plan_import(actor=cast.coordinator, source=content)

    assert (result.counts["actions"].created, result.counts["indicators"].created) == (300, 300)
    assert not plan_import(actor=cast.coordinator, source=content).changed


def test_reading_checks_against_the_organisations_and_metrics_it_is_given():
    from ctip.plans.workbook.reading import OrgRef

    orgs = {"shelter-a": OrgRef(1, "shelter-a", True), "police-b": OrgRef(2, "police-b", False)}
    with pytest.raises(WorkbookError) as error:
        read_workbook(xlsx(), organisations=orgs, metric_names=set())
    assert [(p.sheet, p.row, p.column) for p in error.value.problems] == [
        ("Actions", 3, "partners"),
        ("Indicators", 3, "metric"),
    ]
    data = read_workbook(
        xlsx(sheets(Indicators=INDICATORS[:1], Actions=ACTIONS[:1])), organisations=orgs, metric_names=set()
    )
    assert [(w.sheet, w.row, w.column) for w in data.warnings] == [("Actions", 2, "co_executors")]
    assert data.actions[0]["co_executors"] == frozenset({2})


@pytest.mark.django_db
def test_organisations_are_matched_whatever_the_case(cast):
    assert organisations()["police-b"].id == cast.org_b.pk


@pytest.mark.django_db
def test_the_import_command_shows_progress_on_long_workbooks(cast, tmp_path: Path, capsys):
    path = tmp_path / "big.xlsx"
    path.write_bytes(build_workbook(600, org_codes=["shelter-a"]))

    call_command("plan_import", str(path))

    err = capsys.readouterr().err
    assert "Actions: 500 rows" in err
    assert "Indicators: 500 rows" in err
    assert Action.objects.count() == 600


@pytest.mark.django_db
def test_sheets_ctip_does_not_read_are_named_in_a_warning(cast):
    data = sheets()
    data["Notes"] = [{"note": "call the ministry"}]

    result = plan_import(actor=cast.coordinator, source=xlsx(data))

    assert [str(w) for w in result.warnings] == ["Notes: This sheet is not read."]
