"""Does the plan keep its speed as it grows? The plan tree and the dashboard at 20 and at 2,000 actions.

Run from the repository root:

    CTIP_PROFILE=test .venv/bin/python bench/plans.py [--n 30] [--warmup 3] [--profile]

Issue #4 ("Speed") asks, with a generated plan of 2,000 actions and 8 periods of reports: the plan tree and the
dashboard keep a constant query count whatever the size and answer within 300 ms median on SQLite, and importing
the 2,000-action workbook takes under 10 s; measured against the same pages with 20 actions in the same run.

What the script does, in one process, on a fresh SQLite file in a temporary directory it creates (and deletes):

1. migrates the empty database; creates eight organisations (ministries, police, prosecutors, NGOs, an
   international organisation), a coordinator and an agency focal point (org admin of the police), both with a
   confirmed authenticator, through ctip's own services;
2. generates two workbooks (20 and 2,000 actions, 4 years, so 8 half-year reporting periods; lead, co-executors and
   partners across the organisations; one reported indicator per action plus one computed indicator for each of
   ctip's registered metrics) with ``ctip.plans.workbook.writing.workbook_bytes`` and imports each through
   ``plan_import`` (timed), then runs ``ctip plan-import`` on the 2,000-action file again through the management
   command (timed: reading and comparing everything, writing nothing) and approves both programs;
3. bulk-creates the progress reports (not through the services: auditing 30,000 reports one by one would take
   minutes and is not what is measured) for every responsible organisation, every action and every period it runs
   in: mostly accepted, some submitted, returned or still draft, fewer in the latest period; and the values of the
   reported indicators;
4. checks that every timed page answers 200, counts each one's SQL statements with ``CaptureQueriesContext``
   (twice, to see it is stable), then times N requests of each through ``django.test.Client`` and ctip's whole
   middleware stack, interleaved: one of each per round, in a new random order each round.

The plan tree is paginated (200 actions a page): its row is the first page. Progress goes to stderr; the tables
go to stdout, ready for docs/benchmarks.md. Nothing here asserts on time; the script refuses a row whose response
is not 200 and says so if a page's query count differs between sizes.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import pstats
import random
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SIZES = (20, 2000)
PER_OBJECTIVE = 25
START, END = dt.date(2022, 1, 1), dt.date(2025, 12, 31)  # four years: eight half-year periods
TARGET_MS = 300
TARGET_IMPORT_S = 10
SEED = 4

# code, English name, type; the coordinator's ministry comes first, the agency member's police second.
ORGANISATIONS = [
    ("mlsp", "Ministry of Labour and Social Protection", "CentralGovernmentOrganisation"),
    ("mvd", "Ministry of Internal Affairs", "LawEnforcement"),
    ("gpo", "Prosecutor General's Office", "LawEnforcement"),
    ("mfa", "Ministry of Foreign Affairs", "CentralGovernmentOrganisation"),
    ("moe", "Ministry of Education", "CentralGovernmentOrganisation"),
    ("sezim", "Sezim crisis centre", "NGO"),
    ("tais", "Tais Plus", "NGO"),
    ("iom", "IOM Kyrgyzstan", "InternationalOrganisation"),
]
AGENCIES = [code for code, _, kind in ORGANISATIONS if kind != "InternationalOrganisation"]


# --- Setting up -----------------------------------------------------------------------------------------------------


def set_up_django(var_dir: str) -> None:
    """Load ctip's settings under the test profile with a fresh SQLite file in ``var_dir``, and migrate it."""
    profile = os.environ.setdefault("CTIP_PROFILE", "test")
    if profile != "test":
        sys.exit(f"bench/plans.py: run with CTIP_PROFILE=test (not {profile!r}); it creates its own database.")
    if os.environ.get("DATABASE_URL"):
        sys.exit("bench/plans.py: measures SQLite; unset DATABASE_URL (the script makes its own database file).")
    os.environ["CTIP_VAR_DIR"] = var_dir  # never an existing var/: the database file is created here, then deleted
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not str(settings.DATABASES["default"]["NAME"]).startswith(var_dir):
        sys.exit("bench/plans.py: the database is not in the temporary directory; refusing to touch it")
    settings.MEDIA_ROOT = Path(var_dir) / "media"
    call_command("migrate", verbosity=0, interactive=False)


@dataclass
class People:
    coordinator: Any
    agency: Any
    orgs: dict[str, Any]


def people() -> People:
    from ctip.accounts.models import TotpDevice
    from ctip.accounts.services import user_create
    from ctip.orgs.roles import Role
    from ctip.orgs.services import membership_create, organisation_create

    orgs = {
        code: organisation_create(
            by=None, code=code, name_ky=name, name_ru=name, name_en=name, org_type=kind, region="bishkek"
        )
        for code, name, kind in ORGANISATIONS
    }

    def member(code: str, role: str, email: str) -> Any:
        user = user_create(by=None, email=email, full_name=email.split("@")[0], password=None)
        TotpDevice.objects.create(user=user, name="phone", confirmed=True, key="00" * 20)
        return membership_create(by=None, acting=None, user=user, organisation=orgs[code], roles=[role])

    return People(
        coordinator=member("mlsp", Role.COORDINATOR, "coordinator@example.org"),
        agency=member("mvd", Role.ORG_ADMIN, "focal.point@example.org"),
        orgs=orgs,
    )


def client_for(membership: Any) -> Any:
    """A client logged in as the member, acting for the membership, past the second factor (as ``client_for``)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from ctip.accounts.middleware import MFA_AT
    from ctip.accounts.models import TotpDevice
    from ctip.orgs.middleware import SESSION_KEY

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session[DEVICE_ID_SESSION_KEY] = TotpDevice.objects.get(user=membership.user).persistent_id
    session[MFA_AT] = time.time() + 10**6  # no step-up prompt during the run
    session.save()
    return client


# --- The plans ------------------------------------------------------------------------------------------------------


def plan_sheets(n_actions: int) -> dict[str, list[dict[str, Any]]]:
    """The workbook's rows for a generated plan of ``n_actions`` actions (deterministic)."""
    from ctip.core import metrics
    from ctip.plans.models import Pillar
    from ctip.plans.workbook import layout

    n_objectives = -(-n_actions // PER_OBJECTIVE)
    title = f"Generated plan of {n_actions} actions"
    program = {"title_ky": title, "title_ru": title, "title_en": title, "starts_on": START, "ends_on": END}
    program["act_number"] = f"BENCH-{n_actions}"
    objectives = [
        {"code": str(o), "title_ky": f"Максат {o}", "title_ru": f"Цель {o}", "title_en": f"Objective {o}"}
        for o in range(1, n_objectives + 1)
    ]
    actions, indicators = [], []
    for i in range(n_actions):
        objective, number = divmod(i, PER_OBJECTIVE)
        code = f"{objective + 1}.{number + 1}"
        lead = AGENCIES[i % len(AGENCIES)]
        pillars = [Pillar.values[i % 4]] + ([Pillar.values[(i + 1) % 4]] if i % 3 == 0 else [])
        # Most actions run the whole program; some end early (and are overdue unless completed).
        deadline = [END, END, dt.date(2024, 6, 30), dt.date(2023, 12, 31)][i % 4]
        actions.append(
            {
                "code": code,
                "objective": str(objective + 1),
                "title_ky": f"Иш-чара {code}",
                "title_ru": f"Мероприятие {code}",
                "title_en": f"Action {code}",
                "description_en": f"What action {code} does, in a sentence or two. " * 3,
                "expected_result_en": f"The result expected of action {code}.",
                "pillars": ", ".join(pillars),
                "lead": lead,
                "co_executors": AGENCIES[(i + 3) % len(AGENCIES)] if i % 2 == 0 else "",
                "partners": "iom" if i % 5 == 0 else "",
                "starts_on": START,
                "deadline": deadline,
                "budget": Decimal(10000 + 37 * i),
                "currency": "KGS" if i % 3 else "USD",
                "funding_sources": "State budget",
            }
        )
        indicators.append(
            {
                "action": code,
                "name_ky": "Окутулган адамдар",
                "name_ru": "Обучено человек",
                "name_en": "People trained",
                "unit": "persons",
                "baseline": 0,
                "target": 100 + i % 50,
                "direction": "increase",
            }
        )
    # One computed indicator per registered metric, on the first objectives: the same metrics in both plans.
    for k, name in enumerate(metrics.names()):
        indicators.append(
            {
                "objective": str(k % n_objectives + 1),
                "name_ky": name,
                "name_ru": name,
                "name_en": f"Computed: {name}",
                "unit": "persons",
                "target": 50,
                "direction": "increase",
                "source": "metric",
                "metric": name,
            }
        )
    return {
        layout.PROGRAM: [program],
        layout.OBJECTIVES: objectives,
        layout.ACTIONS: actions,
        layout.INDICATORS: indicators,
    }


@dataclass
class Imported:
    program: Any
    actions: int
    seconds_build: float
    seconds_import: float
    seconds_cli: float | None = None
    reports: Counter[str] = field(default_factory=Counter)
    values: int = 0
    seconds_reports: float = 0.0


def import_plan(n_actions: int, coordinator: Any, var_dir: str, *, cli: bool) -> Imported:
    from django.core.management import call_command

    from ctip.plans.models import Program
    from ctip.plans.services import program_approve
    from ctip.plans.workbook import plan_import
    from ctip.plans.workbook.writing import workbook_bytes

    started = time.perf_counter()
    content = workbook_bytes(plan_sheets(n_actions))
    built = time.perf_counter() - started
    started = time.perf_counter()
    result = plan_import(actor=coordinator, source=content)
    imported = time.perf_counter() - started
    if result.counts["actions"].created != n_actions:
        sys.exit(f"bench/plans.py: the import created {result.counts['actions'].created} actions, not {n_actions}")
    program = Program.objects.get(pk=result.program.pk)
    if program.periods.count() != 8:
        sys.exit(f"bench/plans.py: the program has {program.periods.count()} reporting periods, not 8")
    outcome = Imported(program, n_actions, built, imported)
    if cli:
        path = Path(var_dir) / f"plan-{n_actions}.xlsx"
        path.write_bytes(content)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("plan_import", str(path), stdout=out, stderr=io.StringIO())
        outcome.seconds_cli = time.perf_counter() - started
        if "No changes" not in out.getvalue():
            sys.exit(f"bench/plans.py: importing the same workbook again changed something:\n{out.getvalue()}")
    outcome.program = program_approve(actor=coordinator, program=program)
    return outcome


def add_reports(imported: Imported, rng: random.Random) -> None:
    """Bulk-create every responsible organisation's report for every period each action runs in."""
    from ctip.plans.models import (
        Action,
        IndicatorValue,
        PlanIndicator,
        ProgressReport,
        ProgressStatus,
        ReportingPeriod,
        ReportStatus,
    )

    started = time.perf_counter()
    program = imported.program
    periods = list(ReportingPeriod.objects.filter(program=program).order_by("starts_on"))
    co = Action.co_executors.through.objects.filter(action__program=program).values_list("action_id", "organisation_id")
    co_executors: dict[int, list[int]] = {}
    for action_id, org_id in co:
        co_executors.setdefault(action_id, []).append(org_id)
    indicator_of = dict(
        PlanIndicator.objects.filter(action__program=program, source="manual").values_list("action_id", "pk")
    )
    # Earlier periods: nearly all accepted; the latest two: the cycle still under way.
    accepted, submitted = str(ReportStatus.ACCEPTED), str(ReportStatus.SUBMITTED)
    returned, draft = str(ReportStatus.RETURNED), str(ReportStatus.DRAFT)
    settled: list[str | None] = [accepted] * 18
    settled += [submitted, returned]
    latest: list[str | None] = [accepted] * 5
    latest += [submitted, submitted, returned, draft, None]  # None: not filed yet
    reports: list[ProgressReport] = []
    for action in Action.objects.filter(program=program).only("pk", "lead_id", "starts_on", "deadline"):
        for position, period in enumerate(periods):
            if not (action.starts_on <= period.ends_on and action.deadline >= period.starts_on):
                continue
            last = period.ends_on >= action.deadline
            for org_id in [action.lead_id, *co_executors.get(action.pk, [])]:
                status = rng.choice(latest if position >= len(periods) - 2 else settled)
                if status is None:
                    continue
                due = dt.datetime.combine(period.due_on, dt.time(9), tzinfo=dt.UTC)
                sent = due - dt.timedelta(days=rng.randint(-10, 20))  # some late
                progress = rng.choice(
                    [ProgressStatus.COMPLETED] * 3 + [ProgressStatus.CANCELLED]
                    if last
                    else [ProgressStatus.IN_PROGRESS] * 6 + [ProgressStatus.DELAYED, ProgressStatus.NOT_STARTED]
                )
                reports.append(
                    ProgressReport(
                        action_id=action.pk,
                        organisation_id=org_id,
                        period=period,
                        status=status,
                        progress=progress,
                        percent=100 if progress == ProgressStatus.COMPLETED else min(95, 12 * (position + 1)),
                        narrative=f"Work done on {action.pk} in {period}: trainings held, materials printed.",
                        return_comment="Please add the number of people trained." if status == returned else "",
                        submitted_at=None if status == ReportStatus.DRAFT else sent,
                        accepted_at=sent + dt.timedelta(days=5) if status == ReportStatus.ACCEPTED else None,
                    )
                )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    imported.reports = Counter(str(r.status) for r in reports)
    created = ProgressReport.objects.filter(action__program=program).values_list("pk", "action_id", "status")
    values = [
        IndicatorValue(report_id=pk, indicator_id=indicator_of[action_id], value=Decimal(rng.randint(0, 120)))
        for pk, action_id, status in created
        if action_id in indicator_of and status != ReportStatus.DRAFT
    ]
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    imported.values = len(values)
    imported.seconds_reports = time.perf_counter() - started


# --- Timing ---------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    page: str  # "tree" or "dashboard"
    actor: str  # "coordinator" or "agency"
    size: int
    url: str
    client: Any
    samples: list[int] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.page}/{self.actor}/{self.size}"


def get(row: Row) -> None:
    response = row.client.get(row.url)
    if response.status_code != 200:
        sys.exit(f"bench/plans.py: {row.key} ({row.url}) answered {response.status_code}; not timing it")


def count_queries(row: Row) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(row)
    return len(captured)


def profile(row: Row, top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    get(row)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("ctip/", top)
    print(f"\n#### Profile of one request: {row.key} ({row.url}), ctip's own functions\n\n```")
    print("\n".join(line.rstrip() for line in out.getvalue().strip().splitlines()))
    print("```")
    slowest_statements(row)


def slowest_statements(row: Row, top: int = 3) -> None:
    """Run the request's SELECTs again, each timed with its rows fetched (SQLite works while rows are fetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(row)
    timed = []
    with connection.cursor() as cursor:
        for query in captured:
            if query["sql"].startswith("SELECT"):
                started = time.perf_counter()
                cursor.execute(query["sql"])
                rows = len(cursor.fetchall())
                timed.append((time.perf_counter() - started, rows, query["sql"]))
    total = sum(t for t, _, _ in timed)
    print(f"\nIts SELECTs take {1000 * total:.0f} ms with their rows fetched; the slowest:\n")
    for seconds, rows, sql in sorted(timed, reverse=True)[:top]:
        print(f"- {1000 * seconds:.0f} ms, {rows} rows: `{sql[:160]} … {sql[-240:]}`")


def ms(ns: float) -> float:
    return ns / 1e6


def p95(samples: list[int]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


# --- Reporting ------------------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemT"))
        ram = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "unknown RAM"
    import sqlite3

    import django

    return (
        f"nproc {os.cpu_count()}, {cpu}, {ram}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def report(rows: list[Row], imports: dict[int, Imported], args: argparse.Namespace, loads: tuple[str, str]) -> bool:
    by_key = {r.key: r for r in rows}
    small, big = SIZES
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "CTIP_PROFILE=test .venv/bin/python bench/plans.py " + shlex.join(sys.argv[1:])
    print(f"### Results ({now}, N = {args.n})\n")
    print(f"- Command: `{command.strip()}`")
    print(f"- Machine: {machine()}")
    print(f"- Load average (1, 5, 15 min): {loads[0]} before timing, {loads[1]} after")
    for size in SIZES:
        imp = imports[size]
        statuses = ", ".join(f"{imp.reports[s]} {s}" for s in ("accepted", "submitted", "returned", "draft"))
        print(
            f"- Plan of {size} actions: {sum(imp.reports.values())} progress reports over 8 half-year periods "
            f"({statuses}), {imp.values} indicator values; bulk-created in {imp.seconds_reports:.1f} s"
        )
    print()
    print("| page | as | actions | median ms | p95 ms | queries | big / small (median) | big / small (p95) | target |")
    print("|---|---|--:|--:|--:|--:|--:|--:|---|")
    holds = True
    verdicts = []
    for page in ("tree", "dashboard"):
        for actor in ("coordinator", "agency"):
            a, b = by_key[f"{page}/{actor}/{small}"], by_key[f"{page}/{actor}/{big}"]
            for row in (a, b):
                med, tail = ms(statistics.median(row.samples)), ms(p95(row.samples))
                queries = "/".join(str(q) for q in sorted(set(row.queries)))
                if row is a:
                    print(f"| {page} | {actor} | {row.size} | {med:.1f} | {tail:.1f} | {queries} | | | |")
                    continue
                ratio = statistics.median(b.samples) / statistics.median(a.samples)
                ratio95 = p95(b.samples) / p95(a.samples)
                fast = med < TARGET_MS
                same = set(a.queries) == set(b.queries) and len(set(b.queries)) == 1
                holds &= fast and same
                mark = f"{'✓' if fast else '✗'} < {TARGET_MS} ms; {'✓' if same else '✗'} same queries"
                print(
                    f"| {page} | {actor} | {row.size} | {med:.1f} | {tail:.1f} | {queries} | {ratio:.2f} | "
                    f"{ratio95:.2f} | {mark} |"
                )
                if not fast:
                    verdicts.append(f"{page} as {actor}: median {med:.0f} ms, {med / TARGET_MS:.2f}× the target")
                if not same:
                    verdicts.append(f"{page} as {actor}: {sorted(set(a.queries))} vs {sorted(set(b.queries))} queries")
    print()
    print("| import | seconds | target |")
    print("|---|--:|---|")
    for size in SIZES:
        imp = imports[size]
        print(f"| build the {size}-action workbook (`workbook_bytes`) | {imp.seconds_build:.2f} | |")
        mark = ""
        if size == big:
            fast = imp.seconds_import < TARGET_IMPORT_S
            holds &= fast
            mark = f"{'✓' if fast else '✗'} < {TARGET_IMPORT_S} s"
            if not fast:
                verdicts.append(f"import of {size} actions: {imp.seconds_import:.1f} s")
        print(f"| `plan_import` of {size} actions (creates everything) | {imp.seconds_import:.2f} | {mark} |")
        if imp.seconds_cli is not None:
            print(f"| `ctip plan-import` of the same {size}-action file again (no change) | {imp.seconds_cli:.2f} | |")
    print()
    print("All targets hold." if holds else "Targets missed: " + "; ".join(verdicts) + ".")
    return holds


# --- Main -----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="timed requests per row (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per row first (default 3)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of each 2,000-action page")
    args = parser.parse_args()
    if args.n < 5 or args.warmup < 1:
        parser.error("--n must be at least 5 and --warmup at least 1")

    var = tempfile.mkdtemp(prefix="ctip-bench-plans-")
    try:
        began = time.perf_counter()
        sys.stderr.write(f"migrating a fresh database in {var}\n")
        set_up_django(var)
        from django.urls import reverse
        from django.utils import translation

        translation.activate("en")
        cast = people()
        rng = random.Random(SEED)  # noqa: S311 (generated data and an order, not a secret)
        imports: dict[int, Imported] = {}
        for size in SIZES:
            sys.stderr.write(f"building and importing the {size}-action workbook\n")
            imports[size] = import_plan(size, cast.coordinator, var, cli=size == max(SIZES))
            sys.stderr.write(f"creating the {size}-action plan's reports\n")
            add_reports(imports[size], rng)
        clients = {"coordinator": client_for(cast.coordinator), "agency": client_for(cast.agency)}
        rows = [
            Row(page, actor, size, reverse(name, args=[imports[size].program.pk]), clients[actor])
            for page, name in (("tree", "plans:program"), ("dashboard", "plans:dashboard"))
            for actor in clients
            for size in SIZES
        ]
        sys.stderr.write(f"set up in {time.perf_counter() - began:.0f} s; counting queries and warming up\n")
        for row in rows:
            row.queries.append(count_queries(row))
            for _ in range(args.warmup):
                get(row)
            row.queries.append(count_queries(row))
        gc.collect()
        before = load()
        clock = time.perf_counter_ns
        order = list(rows)
        for i in range(1, args.n + 1):
            rng.shuffle(order)
            for row in order:
                started = clock()
                response = row.client.get(row.url)
                row.samples.append(clock() - started)
                if response.status_code != 200:
                    sys.exit(f"bench/plans.py: {row.key} answered {response.status_code}; not reporting it")
            sys.stderr.write(f"\rtiming: {i}/{args.n}")
        sys.stderr.write(f"\ndone in {time.perf_counter() - began:.0f} s\n")
        after = load()
        report(rows, imports, args, (before, after))
        if args.profile:
            for row in rows:
                if row.size == max(SIZES):
                    profile(row)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
