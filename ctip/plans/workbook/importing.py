"""Import a plan workbook: match what exists, compare, and write only what differs, in one transaction.

Matching (see docs/plan-workbook.md): the program by its act number when the workbook gives one and a program has
it, else by its English title (case-insensitive); objectives and actions by code within the program; indicators by
their action or objective and English name; periods by their first day. Records missing from the workbook are
deleted unless something refers to them (a progress report, an indicator value, a funding line …): those are kept
and reported as warnings. An import that would change nothing writes nothing, not even an audit row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.audit.services import audit_record
from ctip.core import metrics
from ctip.orgs.models import Membership, Organisation
from ctip.plans import access
from ctip.plans.models import (
    Action,
    ActionPillar,
    Objective,
    PlanIndicator,
    Program,
    ProgramStatus,
    ReportingPeriod,
)
from ctip.plans.periods import half_year_periods
from ctip.plans.workbook import layout
from ctip.plans.workbook.reading import OrgRef, PlanData, Problem, Progress, Row, Source, WorkbookError, read_workbook

PROGRAM_FIELDS = ("title_ky", "title_ru", "title_en", "starts_on", "ends_on", "act_number", "act_date", "status")
OBJECTIVE_FIELDS = ("title_ky", "title_ru", "title_en", "position")
ACTION_FIELDS = (
    "title_ky",
    "title_ru",
    "title_en",
    "description_ky",
    "description_ru",
    "description_en",
    "starts_on",
    "deadline",
    "expected_result_ky",
    "expected_result_ru",
    "expected_result_en",
    "budget",
    "currency",
    "funding_sources",
)
INDICATOR_FIELDS = ("name_ky", "name_ru", "name_en", "unit", "baseline", "target", "direction", "source", "metric_name")
PERIOD_FIELDS = ("ends_on", "due_on")
STATUS_STEPS = {(ProgramStatus.DRAFT, ProgramStatus.APPROVED), (ProgramStatus.APPROVED, ProgramStatus.CLOSED)}
KINDS = ("program", "objectives", "actions", "indicators", "periods")
KIND_LABELS = {
    "program": gettext_lazy("Program"),
    "objectives": gettext_lazy("Objectives"),
    "actions": gettext_lazy("Actions"),
    "indicators": gettext_lazy("Indicators"),
    "periods": gettext_lazy("Reporting periods"),
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept: int = 0  # missing from the workbook, but kept because other records refer to them

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ImportResult:
    program: Program  # not saved when a dry run would create it
    counts: dict[str, Counts]
    warnings: list[Problem]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())

    def labelled_counts(self) -> list[tuple[str, Counts]]:
        return [(str(KIND_LABELS[kind]), self.counts[kind]) for kind in KINDS]


def organisations() -> dict[str, OrgRef]:
    """Return every organisation by its case-folded short code."""
    rows = Organisation.objects.values_list("pk", "code", "is_active")
    return {code.casefold(): OrgRef(pk, code, active) for pk, code, active in rows}


def plan_import(
    *, actor: Membership | None, source: Source, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Check the whole workbook, then create or update the plan it describes in one transaction, audited once.

    ``actor`` is the coordinator importing through the upload page, or None for the server's operator on the
    command line. Raises ``WorkbookError`` listing every problem (nothing is written), ``PermissionDenied`` for a
    member who is not a coordinator. A dry run reports what would change and writes nothing.
    """
    if actor is not None and not access.is_coordinator(actor):
        raise PermissionDenied
    data = read_workbook(source, organisations=organisations(), metric_names=metrics.names(), progress=progress)
    if dry_run:
        changes = _Changes(data, lock=False)
        changes.raise_problems()
        return changes.result(dry_run=True)
    with transaction.atomic():
        changes = _Changes(data, lock=True)
        changes.raise_problems()
        if changes.any():
            changes.apply(progress)
            audit_record(
                action="plans.program.import",
                actor=actor.user if actor else None,
                organisation=actor.organisation if actor else None,
                obj=changes.program,
                details={kind: changes.counts[kind].as_dict() for kind in KINDS} | {"warnings": len(changes.warnings)},
            )
    return changes.result(dry_run=False)


# --- Comparing ------------------------------------------------------------------------------------------------------


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _in_use(model: type[models.Model], ids: list[int], ignore: tuple[type[models.Model], ...]) -> set[int]:
    """Return those of ``ids`` that a record of another kind refers to (a report, a funding line, …)."""
    used: set[int] = set()
    if not ids:
        return used
    for rel in model._meta.related_objects:
        related = rel.related_model
        if not isinstance(related, type) or related in ignore:
            continue
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            column = rel.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            used.update(through._base_manager.filter(**{f"{column}__in": ids}).values_list(f"{column}_id", flat=True))
        else:
            fk = rel.field
            used.update(related._base_manager.filter(**{f"{fk.name}__in": ids}).values_list(fk.attname, flat=True))
    return used


def _invalid(row: Row, obj: models.Model, exclude: list[str], columns: dict[str, str], problems: list[Problem]) -> None:
    """Let the model's own field checks speak too, in case the workbook's checks missed something."""
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                problems.append(row.problem(columns.get(name, name), message))


@dataclass
class _Links:
    """An action's pillars and organisations as wanted, and the rows that hold them now (value → row pk)."""

    pillars: tuple[str, ...]
    co_executors: frozenset[int]
    partners: frozenset[int]
    now_pillars: dict[str, int] = field(default_factory=dict)
    now_co_executors: dict[int, int] = field(default_factory=dict)
    now_partners: dict[int, int] = field(default_factory=dict)

    def differ(self) -> bool:
        return (
            set(self.pillars) != set(self.now_pillars)
            or self.co_executors != set(self.now_co_executors)
            or self.partners != set(self.now_partners)
        )


class _Changes:
    """What the workbook changes in the database; built by reading, applied by ``apply``."""

    def __init__(self, data: PlanData, *, lock: bool) -> None:
        self.data = data
        self.counts = {kind: Counts() for kind in KINDS}
        self.warnings: list[Problem] = list(data.warnings)
        self.problems: list[Problem] = []
        self.status_before = ""
        self.program, self.program_new, self.program_dirty = self._program(data.program, lock)
        self.objectives: dict[str, Objective] = {}
        self.new_objectives: list[Objective] = []
        self.changed_objectives: list[Objective] = []
        self.actions: dict[str, Action] = {}
        self.new_actions: list[Action] = []
        self.changed_actions: list[Action] = []
        self.links: dict[str, _Links] = {}
        self.new_indicators: list[tuple[PlanIndicator, str, str]] = []  # with the action's and objective's code
        self.changed_indicators: list[PlanIndicator] = []
        self.delete: dict[str, list[int]] = defaultdict(list)
        self.new_periods: list[ReportingPeriod] = []
        self.changed_periods: list[ReportingPeriod] = []
        self._compare()

    def raise_problems(self) -> None:
        if self.problems:
            raise WorkbookError(self.problems)

    def any(self) -> bool:
        return self.result(dry_run=False).changed

    def result(self, *, dry_run: bool) -> ImportResult:
        return ImportResult(self.program, self.counts, self.warnings, dry_run)

    # The program

    def _program(self, row: Row, lock: bool) -> tuple[Program, bool, bool]:
        values = {name: row[name] for name in PROGRAM_FIELDS}
        found = self._match(row, lock)
        if found is None:
            self.counts["program"].created = 1
            program = Program(**values)
            _invalid(row, program, [], {}, self.problems)
            return program, True, False
        self.status_before = found.status
        self._check_status(row, found, values["status"])
        dirty = _assign(found, values)
        counts = self.counts["program"]
        counts.updated, counts.unchanged = (1, 0) if dirty else (0, 1)
        return found, False, dirty

    def _check_status(self, row: Row, program: Program, status: str) -> None:
        """Allow what the services allow: draft → approved → closed, and no way back for a published program."""
        if program.published and status == ProgramStatus.DRAFT:
            message = _("The program is published; it cannot go back to draft. Unpublish it first.")
        elif status != program.status and (program.status, status) not in STATUS_STEPS:
            message = _("The program's status cannot change from %(before)s to %(after)s.") % {
                "before": program.status,
                "after": status,
            }
        else:
            return
        self.problems.append(row.problem("status", message))

    def _check_closed_and_periods(self) -> None:
        row, program = self.data.program, self.program
        if self.program_new:
            return
        refused_status = any(p.sheet == layout.PROGRAM and p.column == "status" for p in self.problems)
        if self.status_before == ProgramStatus.CLOSED and self.any() and not refused_status:
            self.problems.append(row.problem(None, _("The program is closed; its plan can no longer be changed.")))
        if not self.data.periods:
            outside = program.periods.filter(Q(starts_on__lt=program.starts_on) | Q(ends_on__gt=program.ends_on))
            first = outside.order_by("starts_on").first()
            if first is not None:
                self.problems.append(
                    row.problem(
                        "starts_on",
                        _(
                            "The reporting period %(period)s would fall outside the program; "
                            "change the dates or list the periods on the Periods sheet."
                        )
                        % {"period": str(first)},
                    )
                )

    def _match(self, row: Row, lock: bool) -> Program | None:
        programs = Program.objects.select_for_update() if lock else Program.objects.all()
        number, title = row["act_number"], row["title_en"]
        if number:
            by_number = list(programs.filter(act_number=number)[:2])
            if len(by_number) == 1:
                return by_number[0]
            if by_number:
                self.problems.append(row.problem("act_number", _("More than one program has this act number.")))
                return None
        by_title = list(programs.filter(title_en__iexact=title)[:2])
        if len(by_title) > 1:
            self.problems.append(
                row.problem("title_en", _("More than one program has this English title; give its act number."))
            )
            return None
        if by_title and number and by_title[0].act_number and by_title[0].act_number != number:
            self.problems.append(
                row.problem(
                    "act_number",
                    _(
                        "A program with this English title has act number %(number)s; "
                        "correct the act number or the title."
                    )
                    % {"number": by_title[0].act_number},
                )
            )
            return None
        return by_title[0] if by_title else None

    # Everything under it

    def _compare(self) -> None:
        program = self.program if not self.program_new else None
        self._compare_objectives(program)
        self._compare_actions(program)
        self._compare_indicators(program)
        self._compare_periods(program)
        self._keep_or_delete_objectives(program)
        self._check_closed_and_periods()

    def _compare_objectives(self, program: Program | None) -> None:
        existing = {o.code: o for o in Objective.objects.filter(program=program)} if program else {}
        counts = self.counts["objectives"]
        for row in self.data.objectives:
            values = {name: row[name] for name in OBJECTIVE_FIELDS}
            objective = existing.pop(row["code"], None)
            if objective is None:
                objective = Objective(program=self.program, code=row["code"], **values)
                self.new_objectives.append(objective)
                counts.created += 1
            elif _assign(objective, values):
                self.changed_objectives.append(objective)
                counts.updated += 1
            else:
                counts.unchanged += 1
            _invalid(row, objective, ["program"], {}, self.problems)
            self.objectives[row["code"]] = objective
        self._missing_objectives = existing

    def _compare_actions(self, program: Program | None) -> None:
        existing = {a.code: a for a in Action.objects.filter(program=program)} if program else {}
        now = self._links_now(program)
        counts = self.counts["actions"]
        for row in self.data.actions:
            values = {name: row[name] for name in ACTION_FIELDS}
            links = _Links(row["pillars"], row["co_executors"], row["partners"])
            objective = self.objectives[row["objective"]]
            action = existing.pop(row["code"], None)
            if action is None:
                action = Action(
                    program=self.program, objective=objective, code=row["code"], lead_id=row["lead"], **values
                )
                self.new_actions.append(action)
                counts.created += 1
            else:
                links.now_pillars, links.now_co_executors, links.now_partners = (m.get(action.pk, {}) for m in now)
                dirty = (
                    _assign(action, values) | (action.objective_id != objective.pk) | (action.lead_id != row["lead"])
                )
                action.lead_id = row["lead"]
                if dirty or links.differ():
                    self.changed_actions.append(action)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            _invalid(row, action, ["program", "objective", "lead"], {}, self.problems)
            self.actions[row["code"]] = action
            self.links[row["code"]] = links
        missing = list(existing.values())
        used = _in_use(Action, [a.pk for a in missing], (ActionPillar, PlanIndicator))
        self.kept_actions = [a for a in missing if a.pk in used]
        self.delete["actions"] = [a.pk for a in missing if a.pk not in used]
        counts.deleted, counts.kept = len(self.delete["actions"]), len(self.kept_actions)
        for action in self.kept_actions:
            self.warnings.append(
                Problem(
                    layout.ACTIONS,
                    None,
                    "code",
                    _("Action %(code)s is not in the workbook but has progress reports or other records; it was kept.")
                    % {"code": action.code},
                )
            )

    def _links_now(self, program: Program | None) -> tuple[dict[int, dict[Any, int]], ...]:
        maps: tuple[dict[int, dict[Any, int]], ...] = (defaultdict(dict), defaultdict(dict), defaultdict(dict))
        if program is None:
            return maps
        for pk, action_id, pillar in ActionPillar.objects.filter(action__program=program).values_list(
            "pk", "action_id", "pillar"
        ):
            maps[0][action_id][pillar] = pk
        for index, through in ((1, Action.co_executors.through), (2, Action.partners.through)):
            for pk, action_id, org_id in through.objects.filter(action__program=program).values_list(
                "pk", "action_id", "organisation_id"
            ):
                maps[index][action_id][org_id] = pk
        return maps

    def _compare_indicators(self, program: Program | None) -> None:
        existing: dict[tuple[str, str, str], PlanIndicator] = {}
        extra: list[PlanIndicator] = []
        if program is not None:
            action_codes = dict(Action.objects.filter(program=program).values_list("pk", "code"))
            objective_codes = dict(Objective.objects.filter(program=program).values_list("pk", "code"))
            for indicator in PlanIndicator.objects.filter(Q(action__program=program) | Q(objective__program=program)):
                key = (
                    action_codes.get(indicator.action_id, "") if indicator.action_id else "",
                    objective_codes.get(indicator.objective_id, "") if indicator.objective_id else "",
                    indicator.name_en.casefold(),
                )
                if key in existing:
                    extra.append(indicator)  # a second indicator of the same name: not matched, like a missing one
                else:
                    existing[key] = indicator
        counts = self.counts["indicators"]
        for row in self.data.indicators:
            values = {name: row["metric" if name == "metric_name" else name] for name in INDICATOR_FIELDS}
            key = (row["action"], row["objective"], row["name_en"].casefold())
            if key not in existing:
                indicator = PlanIndicator(**values)
                self.new_indicators.append((indicator, row["action"], row["objective"]))
                counts.created += 1
            elif _assign(indicator := existing.pop(key), values):
                self.changed_indicators.append(indicator)
                counts.updated += 1
            else:
                counts.unchanged += 1
            _invalid(row, indicator, ["action", "objective"], {"metric_name": "metric"}, self.problems)
        missing = [*existing.values(), *extra]
        used = _in_use(PlanIndicator, [i.pk for i in missing], ())
        self.kept_indicators = [i for i in missing if i.pk in used]
        self.delete["indicators"] = [i.pk for i in missing if i.pk not in used]
        counts.deleted, counts.kept = len(self.delete["indicators"]), len(self.kept_indicators)
        for indicator in self.kept_indicators:
            self.warnings.append(
                Problem(
                    layout.INDICATORS,
                    None,
                    "name_en",
                    _("Indicator %(name)s is not in the workbook but has reported values; it was kept.")
                    % {"name": indicator.name_en},
                )
            )

    def _compare_periods(self, program: Program | None) -> None:
        counts = self.counts["periods"]
        if not self.data.periods:
            if program is None:  # a new program gets the default half-years
                specs = half_year_periods(self.program.starts_on, self.program.ends_on)
                self.new_periods = [
                    ReportingPeriod(starts_on=p.starts_on, ends_on=p.ends_on, due_on=p.due_on) for p in specs
                ]
                counts.created = len(self.new_periods)
            else:
                counts.unchanged = program.periods.count()
            return
        existing = {p.starts_on: p for p in ReportingPeriod.objects.filter(program=program)} if program else {}
        for row in self.data.periods:
            values = {name: row[name] for name in PERIOD_FIELDS}
            period = existing.pop(row["starts_on"], None)
            if period is None:
                self.new_periods.append(ReportingPeriod(starts_on=row["starts_on"], **values))
                counts.created += 1
            elif _assign(period, values):
                self.changed_periods.append(period)
                counts.updated += 1
            else:
                counts.unchanged += 1
        missing = list(existing.values())
        used = _in_use(ReportingPeriod, [p.pk for p in missing], ())
        self.delete["periods"] = [p.pk for p in missing if p.pk not in used]
        counts.deleted, counts.kept = len(self.delete["periods"]), len(missing) - len(self.delete["periods"])
        for period in missing:
            if period.pk in used:
                self.warnings.append(
                    Problem(
                        layout.PERIODS,
                        None,
                        "starts_on",
                        _("The period starting on %(date)s is not in the workbook but has reports; it was kept.")
                        % {"date": period.starts_on.isoformat()},
                    )
                )

    def _keep_or_delete_objectives(self, program: Program | None) -> None:
        missing = list(self._missing_objectives.values())
        still = {a.objective_id for a in self.kept_actions} | {i.objective_id for i in self.kept_indicators}
        used = _in_use(Objective, [o.pk for o in missing], (Action, PlanIndicator)) | still
        counts = self.counts["objectives"]
        self.delete["objectives"] = [o.pk for o in missing if o.pk not in used]
        counts.deleted, counts.kept = len(self.delete["objectives"]), len(missing) - len(self.delete["objectives"])
        for objective in missing:
            if objective.pk in used:
                self.warnings.append(
                    Problem(
                        layout.OBJECTIVES,
                        None,
                        "code",
                        _("Objective %(code)s is not in the workbook but other records need it; it was kept.")
                        % {"code": objective.code},
                    )
                )

    # Writing

    def apply(self, progress: Progress | None) -> None:
        program = self.program
        if self.program_new:
            program.save(force_insert=True)
        elif self.program_dirty:
            program.save(update_fields=PROGRAM_FIELDS)
        for objective in self.new_objectives:
            objective.program = program
        Objective.objects.bulk_create(self.new_objectives)
        Objective.objects.bulk_update(self.changed_objectives, OBJECTIVE_FIELDS)
        self._write_actions(program)
        if progress is not None:
            progress(layout.ACTIONS, len(self.new_actions) + len(self.changed_actions))
        self._write_indicators()
        PlanIndicator.objects.filter(pk__in=self.delete["indicators"]).delete()
        Action.objects.filter(pk__in=self.delete["actions"]).delete()
        Objective.objects.filter(pk__in=self.delete["objectives"]).delete()
        ReportingPeriod.objects.filter(pk__in=self.delete["periods"]).delete()
        for period in self.new_periods:
            period.program = program
        ReportingPeriod.objects.bulk_create(self.new_periods)
        ReportingPeriod.objects.bulk_update(self.changed_periods, PERIOD_FIELDS)

    def _write_actions(self, program: Program) -> None:
        rows = {row["code"]: row for row in self.data.actions}
        for action in [*self.new_actions, *self.changed_actions]:
            action.program = program
            action.objective = self.objectives[rows[action.code]["objective"]]
        Action.objects.bulk_create(self.new_actions)
        Action.objects.bulk_update(self.changed_actions, [*ACTION_FIELDS, "objective", "lead"])
        pillars_gone: list[int] = []
        pillars_new: list[ActionPillar] = []
        through_gone: dict[str, list[int]] = {"co_executors": [], "partners": []}
        through_new: dict[str, list[Any]] = {"co_executors": [], "partners": []}
        for action in [*self.new_actions, *self.changed_actions]:
            links = self.links[action.code]
            pillars_gone += [pk for pillar, pk in links.now_pillars.items() if pillar not in links.pillars]
            pillars_new += [ActionPillar(action=action, pillar=p) for p in links.pillars if p not in links.now_pillars]
            for name in ("co_executors", "partners"):
                through = getattr(Action, name).through
                now: dict[int, int] = getattr(links, f"now_{name}")
                wanted: frozenset[int] = getattr(links, name)
                through_gone[name] += [pk for org, pk in now.items() if org not in wanted]
                through_new[name] += [through(action_id=action.pk, organisation_id=org) for org in wanted - set(now)]
        ActionPillar.objects.filter(pk__in=pillars_gone).delete()
        ActionPillar.objects.bulk_create(pillars_new)
        for name in ("co_executors", "partners"):
            through = getattr(Action, name).through
            through.objects.filter(pk__in=through_gone[name]).delete()
            through.objects.bulk_create(through_new[name])

    def _write_indicators(self) -> None:
        created = []
        for indicator, action_code, objective_code in self.new_indicators:
            if action_code:
                indicator.action = self.actions[action_code]
            else:
                indicator.objective = self.objectives[objective_code]
            created.append(indicator)
        PlanIndicator.objects.bulk_create(created)
        PlanIndicator.objects.bulk_update(self.changed_indicators, INDICATOR_FIELDS)
