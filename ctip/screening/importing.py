"""Read a catalogue file (CSV or YAML) and check every row before anything is written.

CSV: one indicator per row, with the columns ``id, list, dimension, strength, label_en, label_ru, label_ky`` and
optionally ``source`` and ``verified``; the header is row 1. The catalogue's title and source come from the
command line and its rules are the ILO/EC 2009 rules.

YAML: a mapping with ``title`` (``en``, ``ru``, ``ky``), ``source``, ``rules`` (any of ``strong``,
``strong_with_other``, ``other_with_strong``, ``medium``, ``medium_with_weak``, ``weak_with_medium``,
``adult_recruitment``, ``adult_exploitation``, ``adult_destination``, ``child_exploitation``) and ``indicators``:
a list of mappings with the CSV's columns as keys; row N is the Nth indicator.

Every problem is reported with its row and column, not just the first one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from ctip.screening import engine

REQUIRED_COLUMNS = ("id", "list", "dimension", "strength", "label_en", "label_ru", "label_ky")
OPTIONAL_COLUMNS = ("source", "verified")
LABEL_MAX = 300
TITLE_MAX = 200
RULE_NUMBERS = {
    "strong": "rule_strong",
    "strong_with_other": "rule_strong_with_other",
    "other_with_strong": "rule_other_with_strong",
    "medium": "rule_medium",
    "medium_with_weak": "rule_medium_with_weak",
    "weak_with_medium": "rule_weak_with_medium",
}
RULE_ROLES = ("adult_recruitment", "adult_exploitation", "adult_destination", "child_exploitation")
DEFAULT_RULES: dict[str, int | str] = {
    "rule_strong": 2,
    "rule_strong_with_other": 1,
    "rule_other_with_strong": 1,
    "rule_medium": 3,
    "rule_medium_with_weak": 2,
    "rule_weak_with_medium": 1,
    "adult_recruitment": "dr,cr,vr",
    "adult_exploitation": "ex",
    "adult_destination": "cd,vd",
    "child_exploitation": "ex",
}
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*\Z")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True)
class Problem:
    row: int | None  # CSV: the spreadsheet row (header = 1); YAML: the indicator's place in the list
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column is not None:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CatalogueFileError(ValueError):
    """The file has problems; ``problems`` lists every one of them, the file's own first, then row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: p.row or 0)
        super().__init__("\n".join(str(p) for p in ordered))
        self.problems = ordered


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    list: str
    dimension: str
    strength: str
    label_en: str
    label_ru: str
    label_ky: str
    source: str
    verified: bool
    position: int


@dataclass(frozen=True)
class CatalogueData:
    """A catalogue as read from a file, checked, in the shape of the model's columns."""

    title_en: str
    title_ru: str
    title_ky: str
    source: str
    rules: Mapping[str, int | str]
    indicators: tuple[IndicatorRow, ...] = field(default=())


def check_code(code: str) -> str:
    if not _CODE.match(code) or len(code) > 40:
        raise CatalogueFileError(
            [
                Problem(
                    None,
                    "code",
                    _("%(code)s is not a catalogue code: use lower-case Latin letters, digits and hyphens.")
                    % {"code": engine.shown(code)},
                )
            ]
        )
    return code


def read_file(path: Path, *, titles: Mapping[str, str], source: str) -> CatalogueData:
    """Return the checked catalogue in ``path`` (.csv, .yaml or .yml); ``CatalogueFileError`` names every problem.

    ``titles`` (en, ru, ky) and ``source`` fill in what the file does not say.
    """
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".yaml", ".yml"}:
        raise CatalogueFileError(
            [Problem(None, None, _("Give a .csv, .yaml or .yml file, not %(name)s.") % {"name": path.name})]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(
            [Problem(None, None, _("The file is not UTF-8 text: %(error)s") % {"error": exc})]
        ) from None
    reader = read_csv if suffix == ".csv" else read_yaml
    return reader(text, titles=titles, source=source)


def read_csv(text: str, *, titles: Mapping[str, str], source: str) -> CatalogueData:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    problems = _header_problems(header)
    if problems:
        raise CatalogueFileError(problems)
    cells: list[tuple[int, dict[str, Any]]] = []
    for row in reader:
        number = reader.line_num  # the physical line the row ended on; rows with line breaks in cells are rare
        if None in row:
            problems.append(Problem(number, None, _("The row has more cells than the header has columns.")))
        cells.append((number, {k: v for k, v in row.items() if k is not None}))
    indicators = _indicators(cells, problems, default_source=source)
    meta = _meta({}, titles, source, problems)
    if problems:
        raise CatalogueFileError(problems)
    return CatalogueData(**meta, rules=dict(DEFAULT_RULES), indicators=indicators)


def read_yaml(text: str, *, titles: Mapping[str, str], source: str) -> CatalogueData:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CatalogueFileError([Problem(line, None, _("Not valid YAML: %(error)s") % {"error": exc})]) from None
    if not isinstance(document, dict):
        raise CatalogueFileError([Problem(None, None, _("The YAML file must be a mapping with an indicators list."))])
    problems: list[Problem] = []
    for key in document:
        if key not in {"title", "source", "rules", "indicators"}:
            problems.append(Problem(None, str(key), _("Unknown key; expected title, source, rules, indicators.")))
    rules = _rules(document.get("rules") or {}, problems)
    items = document.get("indicators")
    if not isinstance(items, list):
        problems.append(Problem(None, "indicators", _("Give the indicators as a list of mappings.")))
        items = []
    cells: list[tuple[int, dict[str, Any]]] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(number, None, _("Each indicator must be a mapping of column to value.")))
            continue
        for key in item:
            if key not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
                problems.append(Problem(number, str(key), _("Unknown column.")))
        cells.append((number, item))
    indicators = _indicators(cells, problems, default_source=str(document.get("source") or source))
    meta = _meta(document, titles, source, problems)
    if problems:
        raise CatalogueFileError(problems)
    return CatalogueData(**meta, rules=rules, indicators=indicators)


def _header_problems(header: Sequence[str]) -> list[Problem]:
    problems = [Problem(1, column, _("Missing column.")) for column in REQUIRED_COLUMNS if column not in header]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    problems += [Problem(1, column, _("Unknown column.")) for column in header if column not in known]
    problems += [
        Problem(1, column, _("The column appears more than once."))
        for column in sorted({c for c in header if header.count(c) > 1})
    ]
    return problems


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _meta(
    document: Mapping[str, Any], titles: Mapping[str, str], source: str, problems: list[Problem]
) -> dict[str, str]:
    given = document.get("title") or {}
    if not isinstance(given, dict):
        problems.append(Problem(None, "title", _("Give the title as a mapping of en, ru and ky.")))
        given = {}
    meta = {}
    for lang in ("en", "ru", "ky"):
        title = _text(given.get(lang)) or _text(titles.get(lang))
        if not title:
            problems.append(Problem(None, f"title.{lang}", _("The title is missing.")))
        elif len(title) > TITLE_MAX:
            problems.append(Problem(None, f"title.{lang}", _("The title is longer than 200 characters.")))
        meta[f"title_{lang}"] = title
    meta["source"] = _text(document.get("source")) or source
    return meta


def _rules(given: object, problems: list[Problem]) -> dict[str, int | str]:
    rules = dict(DEFAULT_RULES)
    if not isinstance(given, dict):
        problems.append(Problem(None, "rules", _("Give the rules as a mapping.")))
        return rules
    for key, value in given.items():
        where = f"rules.{key}"
        if key in RULE_NUMBERS:
            if type(value) is not int or not 1 <= value <= 99:
                problems.append(
                    Problem(None, where, _("Must be a whole number from 1 to 99, not %(value)s.") % {"value": value})
                )
            else:
                rules[RULE_NUMBERS[key]] = value
        elif key in RULE_ROLES:
            dimensions = value.split(",") if isinstance(value, str) else value
            clean = [_text(d) for d in dimensions] if isinstance(dimensions, list) else []
            if not clean or any(d not in engine.DIMENSIONS for d in clean) or len(set(clean)) != len(clean):
                problems.append(
                    Problem(
                        None,
                        where,
                        _("List different dimensions from dr, cr, vr, ex, cd, vd, not %(value)s.")
                        % {"value": engine.shown(value)},
                    )
                )
            else:
                rules[key] = ",".join(d for d in engine.DIMENSIONS if d in clean)
        else:
            problems.append(Problem(None, where, _("Unknown rule.")))
    return rules


def _indicators(
    cells: Sequence[tuple[int, Mapping[str, Any]]], problems: list[Problem], *, default_source: str
) -> tuple[IndicatorRow, ...]:
    rows = []
    first_seen: dict[str, int] = {}
    for position, (number, cell) in enumerate(cells, start=1):
        row = _indicator(number, position, cell, problems, default_source)
        if row is None:
            continue
        if row.id in first_seen:
            problems.append(
                Problem(
                    number,
                    "id",
                    _("%(id)s is already on row %(row)s.") % {"id": engine.shown(row.id), "row": first_seen[row.id]},
                )
            )
            continue
        first_seen[row.id] = number
        rows.append(row)
    if not cells:
        problems.append(Problem(None, None, _("The file lists no indicators.")))
    named = {_text(cell.get("list")) for _number, cell in cells}
    for list_name in engine.LISTS:
        if cells and list_name not in named:
            problems.append(
                Problem(
                    None,
                    "list",
                    _(
                        "No indicator is on the %(list)s list; a catalogue needs both lists, or children or adults "
                        "would be assessed against nothing."
                    )
                    % {"list": list_name},
                )
            )
    return tuple(rows)


def _indicator(
    number: int, position: int, cell: Mapping[str, Any], problems: list[Problem], default_source: str
) -> IndicatorRow | None:
    before = len(problems)
    values = {column: _text(cell.get(column)) for column in REQUIRED_COLUMNS}
    choices = {"list": engine.LISTS, "dimension": engine.DIMENSIONS, "strength": engine.STRENGTHS}
    for column in REQUIRED_COLUMNS:
        value = values[column]
        if not value:
            problems.append(Problem(number, column, _("The value is missing.")))
        elif column == "id" and (not _ID.match(value) or len(value) > 100):
            problems.append(
                Problem(
                    number,
                    column,
                    _(
                        "%(value)s is not an indicator id: use lower-case Latin letters, digits and underscores in "
                        "parts separated by dots."
                    )
                    % {"value": engine.shown(value)},
                )
            )
        elif column in choices and value not in choices[column]:
            problems.append(
                Problem(
                    number,
                    column,
                    _("%(value)s is not one of %(choices)s.")
                    % {"value": engine.shown(value), "choices": ", ".join(choices[column])},
                )
            )
        elif column.startswith("label_") and len(value) > LABEL_MAX:
            problems.append(Problem(number, column, _("The label is longer than 300 characters.")))
    verified = _verified(number, cell.get("verified"), problems)
    if len(problems) > before:
        return None
    return IndicatorRow(
        **values,
        source=_text(cell.get("source")) or default_source,
        verified=verified,
        position=position,
    )


def _verified(number: int, raw: object, problems: list[Problem]) -> bool:
    if raw is None or isinstance(raw, bool):
        return True if raw is None else raw
    text = _text(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.append(
        Problem(number, "verified", _("Write true or false, not %(value)s.") % {"value": engine.shown(raw)})
    )
    return False
