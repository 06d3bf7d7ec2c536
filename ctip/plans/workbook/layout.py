"""The plan workbook's layout: its sheets and their columns, each with a stable key and an explanation.

Row 1 of every data sheet holds the column keys (English, lower case, never translated); data starts on row 2. The
``README`` sheet explains each column in the language the template was made in; the ``Lists`` sheet holds the values
the drop-down lists offer; an export adds a ``Progress`` sheet. The importer reads none of these three.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctip.plans.models import Action, Objective, PlanIndicator, Program

TEXT, CODE, DATE, DECIMAL, INTEGER, CHOICE, PILLARS, ORG, ORGS = (
    "text",
    "code",
    "date",
    "decimal",
    "integer",
    "choice",
    "pillars",
    "org",
    "orgs",
)

PROGRAM, OBJECTIVES, ACTIONS, INDICATORS, PERIODS = "Program", "Objectives", "Actions", "Indicators", "Periods"
README, LISTS, PROGRESS = "README", "Lists", "Progress"
NOT_READ = (README, LISTS, PROGRESS)


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    required: bool
    help: str | Promise
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    list_name: str = ""  # the Lists column its drop-down offers


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str | Promise
    columns: tuple[Column, ...]
    required: bool = True
    one_row: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _length(model: type, name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined,no-any-return]


def _titles(
    model: type, prefix: str, helps: tuple[Promise, Promise, Promise], required: bool = True
) -> tuple[Column, ...]:
    """The three per-language columns of a field (``title_ky``, ``title_ru``, ``title_en``), in that order."""
    return tuple(
        Column(f"{prefix}_{lang}", TEXT, required, help, _length(model, f"{prefix}_{lang}"))
        for lang, help in zip(("ky", "ru", "en"), helps, strict=True)
    )


PROGRAM_SHEET = Sheet(
    PROGRAM,
    _("The program itself: exactly one row."),
    (
        *_titles(
            Program,
            "title",
            (
                _("Title of the program in Kyrgyz."),
                _("Title of the program in Russian."),
                _("Title of the program in English."),
            ),
        ),
        Column("starts_on", DATE, True, _("First day of the program, e.g. 2022-01-01.")),
        Column("ends_on", DATE, True, _("Last day of the program, e.g. 2025-12-31.")),
        Column(
            "act_number",
            TEXT,
            False,
            _("Number of the act that approved the program. With it, a later import finds this program by it."),
            _length(Program, "act_number"),
        ),
        Column("act_date", DATE, False, _("Date of the approving act.")),
        Column("status", CHOICE, False, _("draft, approved or closed; draft if empty."), list_name="program_statuses"),
    ),
    one_row=True,
)

OBJECTIVES_SHEET = Sheet(
    OBJECTIVES,
    _("One row per objective of the program."),
    (
        Column(
            "code", CODE, True, _("Code of the objective, unique in the program, e.g. 2."), _length(Objective, "code")
        ),
        *_titles(
            Objective,
            "title",
            (
                _("Title of the objective in Kyrgyz."),
                _("Title of the objective in Russian."),
                _("Title of the objective in English."),
            ),
        ),
        Column("position", INTEGER, False, _("Order in the plan (a whole number); the row order if empty.")),
    ),
)

ACTIONS_SHEET = Sheet(
    ACTIONS,
    _("One row per action."),
    (
        Column(
            "code", CODE, True, _("Code of the action, unique in the program, e.g. 2.3.1."), _length(Action, "code")
        ),
        Column("objective", CODE, True, _("Code of its objective, as on the Objectives sheet.")),
        *_titles(
            Action,
            "title",
            (
                _("Title of the action in Kyrgyz."),
                _("Title of the action in Russian."),
                _("Title of the action in English."),
            ),
        ),
        Column(
            "pillars",
            PILLARS,
            True,
            _("One or more of PREVENTION, PROTECTION, PROSECUTION, PARTNERSHIP, separated by commas."),
            list_name="pillars",
        ),
        Column(
            "lead",
            ORG,
            True,
            _("Short code of the lead organisation, as in the organisation directory."),
            list_name="organisations",
        ),
        Column("co_executors", ORGS, False, _("Short codes of the co-executing organisations, separated by commas.")),
        Column("partners", ORGS, False, _("Short codes of the partner organisations, separated by commas.")),
        Column("starts_on", DATE, True, _("Start of the action, e.g. 2024-01-01.")),
        Column("deadline", DATE, True, _("Deadline of the action; not before its start.")),
        Column(
            "budget", DECIMAL, False, _("Planned budget, a number not below 0 with at most two decimals; 0 if empty.")
        ),
        Column("currency", TEXT, False, _("Three-letter ISO 4217 code of the budget's currency; KGS if empty."), 3),
        Column("funding_sources", TEXT, False, _("Where the money comes from, in words.")),
        *_titles(
            Action,
            "description",
            (_("Description in Kyrgyz."), _("Description in Russian."), _("Description in English.")),
            required=False,
        ),
        *_titles(
            Action,
            "expected_result",
            (_("Expected result in Kyrgyz."), _("Expected result in Russian."), _("Expected result in English.")),
            required=False,
        ),
    ),
)

INDICATORS_SHEET = Sheet(
    INDICATORS,
    _("Monitoring indicators, each of one action or of one objective."),
    (
        Column("action", CODE, False, _("Code of the action the indicator measures; leave empty for an objective's.")),
        Column(
            "objective", CODE, False, _("Code of the objective the indicator measures; leave empty for an action's.")
        ),
        *_titles(
            PlanIndicator,
            "name",
            (
                _("Name of the indicator in Kyrgyz."),
                _("Name of the indicator in Russian."),
                _("Name of the indicator in English."),
            ),
        ),
        Column("unit", TEXT, True, _("Unit, e.g. persons, trainings, per cent."), _length(PlanIndicator, "unit")),
        Column("baseline", DECIMAL, False, _("Value at the start (a number).")),
        Column("target", DECIMAL, False, _("Value to reach (a number).")),
        Column(
            "direction",
            CHOICE,
            False,
            _("increase (higher is better) or decrease (lower is better); increase if empty."),
            list_name="directions",
        ),
        Column(
            "source",
            CHOICE,
            False,
            _("manual (reported by the agencies) or metric (computed by ctip); metric if a metric is named."),
            list_name="sources",
        ),
        Column("metric", TEXT, False, _("Name of the ctip metric that computes the value."), list_name="metrics"),
    ),
)

PERIODS_SHEET = Sheet(
    PERIODS,
    _("Reporting periods. Optional: leave empty and a new program gets calendar half-years, due on the 15th."),
    (
        Column("starts_on", DATE, True, _("First day of the period.")),
        Column("ends_on", DATE, True, _("Last day of the period.")),
        Column("due_on", DATE, False, _("Day reports are due; the 15th of the next month if empty.")),
    ),
    required=False,
)

SHEETS: tuple[Sheet, ...] = (PROGRAM_SHEET, OBJECTIVES_SHEET, ACTIONS_SHEET, INDICATORS_SHEET, PERIODS_SHEET)
