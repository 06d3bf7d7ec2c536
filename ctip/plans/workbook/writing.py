"""Write plan workbooks: the blank template with its examples, a program's own sheets (for the export), and large
generated plans for benchmarks. All share one layout, so whatever ctip writes, ctip reads back unchanged."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ctip.core import metrics
from ctip.orgs.models import Organisation
from ctip.plans.models import Action, Direction, IndicatorSource, Pillar, PlanIndicator, Program, ProgramStatus
from ctip.plans.workbook import layout
from ctip.plans.workbook.layout import Sheet

Rows = Sequence[Mapping[str, Any]]
VALIDATED_ROWS = 5000  # how far down the drop-down lists reach
BOLD = Font(bold=True)


def natural_key(code: str) -> tuple[Any, ...]:
    """Sort 2.9 before 2.10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code) if part)


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return value


def write_rows(ws: Worksheet, sheet: Sheet, rows: Rows) -> None:
    """Write the header row of column keys and the data rows; dates as dates, codes and texts as text."""
    ws.append(list(sheet.keys))
    for cell in ws[1]:
        cell.font = BOLD
    ws.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = _value(row.get(column.key))
            if value is None or value == "":
                continue
            cell = ws.cell(number, index, value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even if the text starts with "="
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
    for index, column in enumerate(sheet.columns, start=1):
        width = 40 if column.kind == layout.TEXT and column.max_length and column.max_length > 100 else 16
        ws.column_dimensions[get_column_letter(index)].width = width


def _lists() -> dict[str, list[str]]:
    return {
        "pillars": list(Pillar.values),
        "organisations": list(
            Organisation.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
        ),
        "directions": list(Direction.values),
        "sources": list(IndicatorSource.values),
        "metrics": metrics.names(),
        "program_statuses": list(ProgramStatus.values),
    }


def _write_lists(book: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the Lists sheet (hidden) and return each list's range for the drop-downs."""
    ws = book.create_sheet(layout.LISTS)
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, name).font = BOLD
        for number, value in enumerate(values, start=2):
            ws.cell(number, index, value).data_type = "s"
        if values:
            ranges[name] = f"{layout.LISTS}!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _validate(ws: Worksheet, sheet: Sheet, ranges: Mapping[str, str]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        if column.list_name not in ranges:
            continue
        # Pillars may be several, separated by commas: the list offers one, the cell accepts more.
        strict = column.kind != layout.PILLARS
        rule = DataValidation(type="list", formula1=ranges[column.list_name], allow_blank=True)
        rule.showErrorMessage = strict
        rule.error = _("Choose a value from the list.")
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        ws.add_data_validation(rule)


def _write_readme(book: Workbook) -> None:
    ws = book.worksheets[0]
    ws.title = layout.README
    ws.append([_("ctip action plan workbook")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("Row 1 of each sheet holds the column keys: do not change them. Data starts on row 2.")])
    ws.append([_("Organisations are named by their short code, as in ctip's organisation directory.")])
    ws.append([_("Dates as 2024-01-31 or as Excel dates; amounts as numbers with at most two decimals.")])
    ws.append([_("Importing the same workbook again changes nothing; an export of a plan imports unchanged.")])
    ws.append([])
    ws.append([_("Sheet"), _("Column"), _("Required"), _("What to write")])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for sheet in layout.SHEETS:
        ws.append([sheet.name, "", "", str(sheet.help)])
        for column in sheet.columns:
            ws.append([sheet.name, column.key, _("yes") if column.required else _("no"), str(column.help)])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 100


def workbook_bytes(sheets: Mapping[str, Rows], extra: Iterable[tuple[str, Sequence[str], Rows]] = ()) -> bytes:
    """Return an .xlsx with the README, the plan's sheets filled from ``sheets``, ``extra`` sheets, and the lists."""
    book = Workbook()
    _write_readme(book)
    data_sheets = [(sheet, book.create_sheet(sheet.name)) for sheet in layout.SHEETS]
    for name, keys, rows in extra:
        ws = book.create_sheet(name)
        write_rows(ws, Sheet(name, "", tuple(layout.Column(k, layout.TEXT, False, "") for k in keys)), rows)
    ranges = _write_lists(book, _lists())
    for sheet, ws in data_sheets:
        write_rows(ws, sheet, sheets.get(sheet.name, ()))
        _validate(ws, sheet, ranges)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- The template ---------------------------------------------------------------------------------------------------


def template_sheets() -> dict[str, list[dict[str, Any]]]:
    """Return the template's example rows, naming organisations that exist where there are any."""
    codes = list(Organisation.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)[:3])
    codes = codes or ["mvd", "gpo", "iom"]
    codes = [codes[i % len(codes)] for i in range(3)]
    metric = next(iter(metrics.names()), "")
    program = {
        "title_ky": "Адам сатууга каршы күрөшүү боюнча мамлекеттик программа (мисал)",
        "title_ru": "Государственная программа по противодействию торговле людьми (пример)",
        "title_en": "State Program against Trafficking in Persons (example)",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2028, 12, 31),
        "status": ProgramStatus.DRAFT,
    }
    objectives = [
        {"code": "1", "title_ky": "Алдын алуу", "title_ru": "Предупреждение", "title_en": "Prevention", "position": 1},
        {
            "code": "2",
            "title_ky": "Коргоо",
            "title_ru": "Защита жертв",
            "title_en": "Protection of victims",
            "position": 2,
        },
    ]
    action = {
        "title_ky": "Маалымдоо кампаниясы",
        "title_ru": "Информационная кампания",
        "title_en": "Awareness campaign",
        "starts_on": dt.date(2026, 1, 1),
        "deadline": dt.date(2026, 12, 31),
        "budget": Decimal("150000.00"),
        "currency": "KGS",
        "funding_sources": "State budget",
    }
    actions = [
        {**action, "code": "1.1.1", "objective": "1", "pillars": "PREVENTION", "lead": codes[0], "partners": codes[2]},
        {
            **action,
            "code": "2.1.1",
            "objective": "2",
            "title_en": "Train police on identifying victims",
            "title_ru": "Обучение сотрудников милиции выявлению жертв",
            "title_ky": "Милиция кызматкерлерин жабырлануучуларды аныктоого окутуу",
            "pillars": "PROTECTION, PROSECUTION",
            "lead": codes[1],
            "co_executors": codes[0],
            "budget": Decimal("2500.50"),
            "currency": "USD",
            "deadline": dt.date(2027, 6, 30),
        },
    ]
    indicator = {"name_ky": "Окутулган адамдар", "name_ru": "Обучено человек", "name_en": "People trained"}
    indicators = [
        {**indicator, "action": "2.1.1", "unit": "persons", "baseline": 0, "target": 200, "direction": "increase"},
    ]
    if metric:
        indicators.append(
            {
                "objective": "2",
                "name_ky": "Аныкталган жабырлануучулар",
                "name_ru": "Выявлено жертв",
                "name_en": "Victims identified",
                "unit": "persons",
                "direction": "increase",
                "source": "metric",
                "metric": metric,
            }
        )
    return {
        layout.PROGRAM: [program],
        layout.OBJECTIVES: objectives,
        layout.ACTIONS: actions,
        layout.INDICATORS: indicators,
    }


def template_bytes() -> bytes:
    return workbook_bytes(template_sheets())


# --- A program's sheets (export) ------------------------------------------------------------------------------------


def program_sheets(program: Program) -> dict[str, list[dict[str, Any]]]:
    """Return the program as the workbook's rows: importing them back changes nothing."""
    objectives = sorted(program.objectives.all(), key=lambda o: (o.position, natural_key(o.code)))
    actions = sorted(
        Action.objects.filter(program=program)
        .select_related("objective", "lead")
        .prefetch_related("pillars", "co_executors", "partners"),
        key=lambda a: natural_key(a.code),
    )
    indicators = PlanIndicator.objects.filter(Q(action__program=program) | Q(objective__program=program))
    indicators = indicators.select_related("action", "objective").order_by("pk")
    return {
        layout.PROGRAM: [{name: getattr(program, name) for name in layout.PROGRAM_SHEET.keys}],
        layout.OBJECTIVES: [{name: getattr(o, name) for name in layout.OBJECTIVES_SHEET.keys} for o in objectives],
        layout.ACTIONS: [_action_row(a) for a in actions],
        layout.INDICATORS: [_indicator_row(i) for i in indicators],
        layout.PERIODS: [
            {"starts_on": p.starts_on, "ends_on": p.ends_on, "due_on": p.due_on}
            for p in program.periods.order_by("starts_on")
        ],
    }


def _action_row(action: Action) -> dict[str, Any]:
    row = {name: getattr(action, name) for name in layout.ACTIONS_SHEET.keys if hasattr(action, name)}
    chosen = {p.pillar for p in action.pillars.all()}
    row.update(
        objective=action.objective.code,
        pillars=[p for p in Pillar.values if p in chosen],
        lead=action.lead.code,
        co_executors=sorted(o.code for o in action.co_executors.all()),
        partners=sorted(o.code for o in action.partners.all()),
    )
    return row


def _indicator_row(indicator: PlanIndicator) -> dict[str, Any]:
    row = {name: getattr(indicator, name) for name in layout.INDICATORS_SHEET.keys if hasattr(indicator, name)}
    row.update(
        action=indicator.action.code if indicator.action else "",
        objective=indicator.objective.code if indicator.objective else "",
        metric=indicator.metric_name,
    )
    return row


# --- Generated plans (benchmarks) -----------------------------------------------------------------------------------


def build_workbook(
    n_actions: int, *, org_codes: Sequence[str], per_objective: int = 25, title: str = "Generated plan"
) -> bytes:
    """Return a valid workbook with ``n_actions`` actions (one indicator each) led by the given organisations."""
    if not org_codes:
        raise ValueError("give at least one organisation code")
    n_objectives = max(1, -(-n_actions // per_objective))
    program = {
        "title_ky": title,
        "title_ru": title,
        "title_en": title,
        "starts_on": dt.date(2022, 1, 1),
        "ends_on": dt.date(2025, 12, 31),
        "act_number": f"GEN-{n_actions}",
    }
    objectives = [
        {"code": str(o), "title_ky": f"Максат {o}", "title_ru": f"Цель {o}", "title_en": f"Objective {o}"}
        for o in range(1, n_objectives + 1)
    ]
    actions, indicators = [], []
    for i in range(n_actions):
        objective, number = divmod(i, per_objective)
        code = f"{objective + 1}.{number + 1}"
        actions.append(
            {
                "code": code,
                "objective": str(objective + 1),
                "title_ky": f"Иш-чара {code}",
                "title_ru": f"Мероприятие {code}",
                "title_en": f"Action {code}",
                "pillars": Pillar.values[i % 4],
                "lead": org_codes[i % len(org_codes)],
                "co_executors": org_codes[(i + 1) % len(org_codes)] if len(org_codes) > 1 else "",
                "starts_on": dt.date(2022 + i % 4, 1, 1),
                "deadline": dt.date(2022 + i % 4, 12, 31),
                "budget": Decimal(1000 + i),
                "currency": "KGS",
            }
        )
        indicators.append(
            {
                "action": code,
                "name_ky": "Саны",
                "name_ru": "Количество",
                "name_en": "Count",
                "unit": "units",
                "target": 10,
            }
        )
    return workbook_bytes(
        {
            layout.PROGRAM: [program],
            layout.OBJECTIVES: objectives,
            layout.ACTIONS: actions,
            layout.INDICATORS: indicators,
        }
    )
