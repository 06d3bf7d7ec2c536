"""Read a plan workbook and check every cell before anything is written.

Every problem is collected with its sheet, row and column, not just the first one; ``read_workbook`` raises
``WorkbookError`` listing them all, or returns the plan's rows with clean, typed values. It reads the database not at
all: the organisations and metric names to check against are given.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from ctip.plans.models import Direction, IndicatorSource, Pillar, ProgramStatus
from ctip.plans.periods import due_date
from ctip.plans.workbook import layout
from ctip.plans.workbook.layout import Column, Sheet

# An .xlsx is a zip of XML; refuse one that unpacks to more than this before parsing any of it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
PROGRESS_EVERY = 500
MAX_AMOUNT = Decimal("99999999999999.99")  # 16 digits, 2 after the point, as the model's columns
CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(ProgramStatus.values),
    "direction": tuple(Direction.values),
    "source": tuple(IndicatorSource.values),
}
_CURRENCY = re.compile(r"^[A-Z]{3}\Z")
_SEPARATORS = re.compile(r"[,;\n]")
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError)

Source = bytes | Path | IO[bytes]
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: ``row`` is the spreadsheet's row number (the header is row 1)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    cell: str = ""  # e.g. "M5", when the column is in the sheet

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message

    @property
    def sort_key(self) -> tuple[int, int, str]:
        order = [s.name for s in layout.SHEETS]
        return (order.index(self.sheet) if self.sheet in order else -1, self.row or 0, self.column or "")


class WorkbookError(ValueError):
    """The workbook has problems; ``problems`` lists every one, sheet by sheet and row by row."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: p.sort_key)
        super().__init__("\n".join(str(p) for p in ordered))
        self.problems = ordered


@dataclass(frozen=True)
class OrgRef:
    id: int
    code: str
    active: bool


@dataclass
class Row:
    """One data row: its number, its typed values by column key, and where each column is (for messages)."""

    sheet: str
    number: int
    values: dict[str, Any]
    letters: Mapping[str, str]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def problem(self, key: str | None, message: str) -> Problem:
        letter = self.letters.get(key, "") if key else ""
        return Problem(self.sheet, self.number, key, message, f"{letter}{self.number}" if letter else "")


@dataclass
class PlanData:
    """The checked workbook: one program row and the rows of the other sheets; no periods means "not given"."""

    program: Row
    objectives: list[Row]
    actions: list[Row]
    indicators: list[Row]
    periods: list[Row]
    warnings: list[Problem] = field(default_factory=list)


class _BadCellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: object, limit: int = 40) -> str:
    text = str(value).strip()
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


# --- Opening the file -----------------------------------------------------------------------------------------------


def _bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, Path):
        return source.read_bytes()
    return source.read()


def _open(data: bytes) -> Workbook:
    not_xlsx = _("The file is not an Excel workbook (.xlsx). Save it as “Excel Workbook (.xlsx)” and try again.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError([Problem("", None, None, not_xlsx)])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookError([Problem("", None, None, _("The workbook is too large once unpacked."))])
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE as exc:
        raise WorkbookError([Problem("", None, None, f"{not_xlsx} ({type(exc).__name__})")]) from None


# --- Cells ----------------------------------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value).strip()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise _BadCellError(_("Give a date without a time of day, not %(value)s.") % {"value": shown(value)})
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _BadCellError(_("%(value)s is not a day of the calendar.") % {"value": shown(value)}) from None
    raise _BadCellError(
        _("Write a date such as 2024-01-31, or format the cell as a date; not %(value)s.") % {"value": shown(value)}
    )


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise _BadCellError(_("Write a number such as 1500.50, not %(value)s.") % {"value": shown(value)})
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise _BadCellError(_("Write a number such as 1500.50, not %(value)s.") % {"value": shown(value)}) from None
    if not number.is_finite():
        raise _BadCellError(_("Write a number such as 1500.50, not %(value)s.") % {"value": shown(value)})
    rounded = number.quantize(Decimal("0.01"))
    # A float cell that is a cent amount up to binary noise (0.1 + 0.2) is that amount; anything finer is an error.
    if abs(rounded - number) > (Decimal("1e-9") if isinstance(value, float) else 0):
        raise _BadCellError(_("Use at most two decimal places, not %(value)s.") % {"value": shown(value)})
    if abs(rounded) > MAX_AMOUNT:
        raise _BadCellError(_("The number %(value)s is too large.") % {"value": shown(value)})
    return rounded


def _integer(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise _BadCellError(_("Write a whole number, not %(value)s.") % {"value": shown(value)})
    if not 0 <= number <= 1_000_000:
        raise _BadCellError(_("Write a whole number from 0 to 1000000, not %(value)s.") % {"value": number})
    return number


def _items(value: object) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(_text(value)) if part.strip()]


@dataclass
class _Context:
    organisations: Mapping[str, OrgRef]
    warnings: list[Problem]


def _org(code: str, ctx: _Context) -> OrgRef:
    org = ctx.organisations.get(code.casefold())
    if org is None:
        raise _BadCellError(_("There is no organisation with the short code %(code)s.") % {"code": shown(code)})
    return org


def _convert(column: Column, raw: object, ctx: _Context, row: Row) -> Any:
    kind = column.kind
    if kind == layout.DATE:
        return _date(raw)
    if kind == layout.DECIMAL:
        return _decimal(raw)
    if kind == layout.INTEGER:
        return _integer(raw)
    if kind == layout.CHOICE:
        value = _text(raw).casefold()
        if value not in CHOICES[column.key]:
            choices = ", ".join(CHOICES[column.key])
            raise _BadCellError(_("%(value)s is not one of %(choices)s.") % {"value": shown(raw), "choices": choices})
        return value
    if kind == layout.PILLARS:
        pillars = {p.upper() for p in _items(raw)}
        unknown = sorted(pillars - set(Pillar.values))
        if unknown:
            raise _BadCellError(
                _("%(value)s is not a pillar; use PREVENTION, PROTECTION, PROSECUTION or PARTNERSHIP.")
                % {"value": shown(unknown[0])}
            )
        return tuple(p for p in Pillar.values if p in pillars)
    if kind in (layout.ORG, layout.ORGS):
        codes = [_text(raw)] if kind == layout.ORG else _items(raw)
        orgs = [_org(code, ctx) for code in codes]
        for org in orgs:
            if not org.active:
                ctx.warnings.append(
                    row.problem(column.key, _("Organisation %(code)s is deactivated.") % {"code": org.code})
                )
        return orgs[0].id if kind == layout.ORG else frozenset(o.id for o in orgs)
    text = _text(raw)
    if column.max_length is not None and len(text) > column.max_length:
        raise _BadCellError(_("The text is longer than %(max)s characters.") % {"max": column.max_length})
    if kind == layout.CODE and re.search(r"\s", text):
        raise _BadCellError(_("A code has no spaces: %(value)s.") % {"value": shown(text)})
    return text


def _empty(column: Column) -> Any:
    return {layout.ORGS: frozenset(), layout.PILLARS: (), layout.DATE: None, layout.DECIMAL: None}.get(
        column.kind, None if column.kind == layout.INTEGER else ""
    )


# --- Sheets ---------------------------------------------------------------------------------------------------------


def _header(sheet: Sheet, cells: Sequence[object], problems: list[Problem]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _text(cell).casefold()
        letter = get_column_letter(index + 1)
        if not key:
            continue
        if key not in sheet.keys:
            problems.append(Problem(sheet.name, 1, key, _("Unknown column."), f"{letter}1"))
        elif key in positions:
            problems.append(Problem(sheet.name, 1, key, _("The column appears more than once."), f"{letter}1"))
        else:
            positions[key] = index
    for column in sheet.columns:
        if column.required and column.key not in positions:
            problems.append(Problem(sheet.name, 1, column.key, _("The column is missing.")))
    return positions


def _read_sheet(
    sheet: Sheet, rows: Iterator[Sequence[object]], ctx: _Context, problems: list[Problem], progress: Progress | None
) -> list[Row]:
    header = next(rows, None)
    if header is None:
        problems.append(Problem(sheet.name, 1, None, _("The sheet is empty; row 1 must hold the column keys.")))
        return []
    positions = _header(sheet, header, problems)
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    out: list[Row] = []
    for number, cells in enumerate(rows, start=2):
        if all(_blank(c) for c in cells):
            continue
        row = Row(sheet.name, number, {}, letters)
        for place, cell in enumerate(cells):
            if not _blank(cell) and (place >= len(header) or _blank(header[place])):
                letter = get_column_letter(place + 1)
                message = _("This cell's column has no key in row 1.")
                problems.append(Problem(sheet.name, number, letter, message, f"{letter}{number}"))
        for column in sheet.columns:
            index = positions.get(column.key)
            raw = cells[index] if index is not None and index < len(cells) else None
            if _blank(raw):
                if column.required and index is not None:
                    problems.append(row.problem(column.key, _("This value is required.")))
                row.values[column.key] = _empty(column)
                continue
            try:
                row.values[column.key] = _convert(column, raw, ctx, row)
            except _BadCellError as bad:
                problems.append(row.problem(column.key, bad.message))
                row.values[column.key] = _empty(column)
        out.append(row)
        if progress is not None and len(out) % PROGRESS_EVERY == 0:
            progress(sheet.name, len(out))
    return out


def read_workbook(
    source: Source,
    *,
    organisations: Mapping[str, OrgRef],
    metric_names: Collection[str],
    progress: Progress | None = None,
) -> PlanData:
    """Return the checked plan in ``source``; ``WorkbookError`` names every problem with its sheet, row and column.

    ``organisations`` maps each short code, case-folded, to the organisation; ``metric_names`` are the metrics that
    computed indicators may name.
    """
    try:
        data = _bytes(source)
    except OSError as exc:
        raise WorkbookError(
            [Problem("", None, None, _("The file cannot be read: %(error)s") % {"error": exc})]
        ) from None
    book = _open(data)
    problems: list[Problem] = []
    ctx = _Context(organisations, [])
    tables: dict[str, list[Row]] = {}
    try:
        by_name = {ws.title.strip().casefold(): ws for ws in book.worksheets}
        for sheet in layout.SHEETS:
            ws = by_name.get(sheet.name.casefold())
            if ws is None:
                if sheet.required:
                    problems.append(Problem(sheet.name, None, None, _("The sheet is missing.")))
                tables[sheet.name] = []
                continue
            tables[sheet.name] = _read_sheet(sheet, ws.iter_rows(values_only=True), ctx, problems, progress)
    except _UNREADABLE as exc:
        raise WorkbookError(
            [Problem("", None, None, _("The workbook is damaged (%(error)s).") % {"error": type(exc).__name__})]
        ) from None
    finally:
        book.close()
    known = {s.name.casefold() for s in layout.SHEETS} | {n.casefold() for n in layout.NOT_READ}
    for name in sorted(set(by_name) - known):
        ctx.warnings.append(Problem(by_name[name].title, None, None, _("This sheet is not read.")))
    plan = _check(tables, set(metric_names), problems)
    if problems or plan is None:
        raise WorkbookError(problems)
    plan.warnings = ctx.warnings
    return plan


# --- Checks across rows and sheets ----------------------------------------------------------------------------------


def _check(tables: dict[str, list[Row]], metric_names: set[str], problems: list[Problem]) -> PlanData | None:
    program = _check_program(tables[layout.PROGRAM], problems)
    objectives = _check_objectives(tables[layout.OBJECTIVES], problems)
    actions = _check_actions(tables[layout.ACTIONS], {r["code"] for r in objectives}, problems)
    indicators = _check_indicators(
        tables[layout.INDICATORS], {r["code"] for r in objectives}, {r["code"] for r in actions}, metric_names, problems
    )
    periods = _check_periods(tables[layout.PERIODS], program, problems)
    if program is None:
        return None
    return PlanData(program, objectives, actions, indicators, periods)


def _check_program(rows: list[Row], problems: list[Problem]) -> Row | None:
    if not rows:
        problems.append(Problem(layout.PROGRAM, 2, None, _("Row 2 must hold the program; it is empty.")))
        return None
    for extra in rows[1:]:
        problems.append(extra.problem(None, _("The sheet holds exactly one program; remove this row.")))
    row = rows[0]
    if row["starts_on"] and row["ends_on"] and row["ends_on"] < row["starts_on"]:
        problems.append(row.problem("ends_on", _("The program cannot end before it starts.")))
    row.values["status"] = row["status"] or ProgramStatus.DRAFT
    return row


def _first_rows(
    rows: list[Row], key: Callable[[Row], object], problems: list[Problem], column: str, message: str
) -> list[Row]:
    """Return the rows whose key was not seen on an earlier row; report each repeat with the earlier row's number."""
    seen: dict[object, int] = {}
    kept = []
    for row in rows:
        value = key(row)
        if value in seen:
            problems.append(row.problem(column, message % {"value": shown(row[column]), "row": seen[value]}))
            continue
        if value:
            seen[value] = row.number
        kept.append(row)
    return kept


def _check_objectives(rows: list[Row], problems: list[Problem]) -> list[Row]:
    for position, row in enumerate(rows, start=1):
        if row["position"] is None:
            row.values["position"] = position
    duplicate = _("Objective code %(value)s is already on row %(row)s.")
    return _first_rows(rows, lambda r: r["code"], problems, "code", duplicate)


def _check_actions(rows: list[Row], objectives: set[str], problems: list[Problem]) -> list[Row]:
    for row in rows:
        if row["objective"] and row["objective"] not in objectives:
            problems.append(
                row.problem(
                    "objective",
                    _("There is no objective %(code)s on the Objectives sheet.") % {"code": shown(row["objective"])},
                )
            )
        if row["starts_on"] and row["deadline"] and row["deadline"] < row["starts_on"]:
            problems.append(
                row.problem(
                    "deadline",
                    _("The deadline %(deadline)s is before the start %(start)s.")
                    % {"deadline": row["deadline"].isoformat(), "start": row["starts_on"].isoformat()},
                )
            )
        budget = row["budget"]
        if budget is not None and budget < 0:
            problems.append(row.problem("budget", _("The budget cannot be negative.")))
        row.values["budget"] = budget if budget is not None else Decimal("0.00")
        currency = row["currency"].upper() or "KGS"
        if not _CURRENCY.match(currency):
            problems.append(row.problem("currency", _("Enter a three-letter ISO 4217 currency code, e.g. USD or KGS.")))
        row.values["currency"] = currency
    duplicate = _("Action code %(value)s is already on row %(row)s.")
    return _first_rows(rows, lambda r: r["code"], problems, "code", duplicate)


def _check_indicators(
    rows: list[Row], objectives: set[str], actions: set[str], metric_names: set[str], problems: list[Problem]
) -> list[Row]:
    for row in rows:
        action, objective = row["action"], row["objective"]
        if bool(action) == bool(objective):
            problems.append(
                row.problem("action", _("Give either the action or the objective the indicator belongs to, not both."))
                if action
                else row.problem("action", _("Give the action or the objective the indicator belongs to."))
            )
        elif action and action not in actions:
            problems.append(
                row.problem("action", _("There is no action %(code)s on the Actions sheet.") % {"code": shown(action)})
            )
        elif objective and objective not in objectives:
            problems.append(
                row.problem(
                    "objective",
                    _("There is no objective %(code)s on the Objectives sheet.") % {"code": shown(objective)},
                )
            )
        _check_metric(row, metric_names, problems)
        row.values["direction"] = row["direction"] or Direction.INCREASE
    duplicate = _("An indicator named %(value)s is already on row %(row)s for the same action or objective.")
    return _first_rows(
        rows, lambda r: (r["action"], r["objective"], r["name_en"].casefold()), problems, "name_en", duplicate
    )


def _check_metric(row: Row, metric_names: set[str], problems: list[Problem]) -> None:
    metric = row["metric"]
    source = row["source"] or (IndicatorSource.METRIC if metric else IndicatorSource.MANUAL)
    row.values["source"] = source
    if source == IndicatorSource.METRIC and not metric:
        problems.append(row.problem("metric", _("Name the metric that computes this indicator.")))
    elif source == IndicatorSource.MANUAL and metric:
        problems.append(
            row.problem(
                "metric", _("An indicator reported by hand names no metric; clear it or set the source to metric.")
            )
        )
    elif metric and metric not in metric_names:
        known = ", ".join(sorted(metric_names)) or "—"
        problems.append(
            row.problem(
                "metric",
                _("There is no metric named %(name)s; known: %(known)s.") % {"name": shown(metric), "known": known},
            )
        )


def _check_periods(rows: list[Row], program: Row | None, problems: list[Problem]) -> list[Row]:
    for row in rows:
        starts, ends = row["starts_on"], row["ends_on"]
        if starts and ends and ends < starts:
            problems.append(row.problem("ends_on", _("The period cannot end before it starts.")))
        if ends and row["due_on"] is None:
            row.values["due_on"] = due_date(ends)
        if ends and row["due_on"] and row["due_on"] < ends:
            problems.append(row.problem("due_on", _("Reports cannot be due before the period ends.")))
        if _outside(program, starts, ends):
            problems.append(row.problem("starts_on", _("The period must lie within the program's dates.")))
    rows = _first_rows(
        rows,
        lambda r: r["starts_on"],
        problems,
        "starts_on",
        _("A period starting on %(value)s is already on row %(row)s."),
    )
    ordered = sorted((r for r in rows if r["starts_on"] and r["ends_on"]), key=lambda r: r["starts_on"])
    for before, after in itertools.pairwise(ordered):
        if after["starts_on"] <= before["ends_on"]:
            problems.append(
                after.problem("starts_on", _("The period overlaps the one on row %(row)s.") % {"row": before.number})
            )
    return rows


def _outside(program: Row | None, starts: dt.date | None, ends: dt.date | None) -> bool:
    if program is None or not (starts and ends and program["starts_on"] and program["ends_on"]):
        return False
    return bool(starts < program["starts_on"] or ends > program["ends_on"])
