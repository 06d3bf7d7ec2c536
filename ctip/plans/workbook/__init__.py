"""The plan workbook: the XLSX template ctip hands out, its import, and the sheets its export shares.

The layout, sheet by sheet and column by column, is documented in docs/plan-workbook.md.
"""

from ctip.plans.workbook.importing import Counts, ImportResult, organisations, plan_import
from ctip.plans.workbook.reading import PlanData, Problem, WorkbookError, read_workbook
from ctip.plans.workbook.writing import build_workbook, program_sheets, template_bytes, workbook_bytes

__all__ = [
    "Counts",
    "ImportResult",
    "PlanData",
    "Problem",
    "WorkbookError",
    "build_workbook",
    "organisations",
    "plan_import",
    "program_sheets",
    "read_workbook",
    "template_bytes",
    "workbook_bytes",
]
