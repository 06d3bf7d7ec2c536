"""How many screenings per second does the assessment engine assess, against a brute-force reading of the rules?

Run from the repository root:

    CTIP_PROFILE=test .venv/bin/python bench/screening_engine.py [--n 20000] [--repeats 5] [--seed 2026]

One process pinned to one CPU core (where the system allows it), no database: catalogue ilo-2009 v1 is built from
the data file the migration loads (``ctip/screening/data/ilo-2009.csv``). N random people are drawn with a fixed
seed (age, the flags, and up to four indicators per dimension from the list that applies, so every rule edge
comes up), then every implementation assesses the same N people, ``--repeats`` times, and the best and median
rates are reported. Before timing, every result of the engine is checked against the reference; the script
refuses to report if one differs. Progress goes to stderr, the table to stdout.

Rows:

* ``engine (rules)`` — ``engine.assess(..., explain=False)``: the rules only, the same work as the reference does;
* ``engine`` — ``engine.assess`` on a ready ``Input``, with its explanation (in English): what the target is about;
* ``engine+parse`` — ``engine.parse_input`` on the decoded JSON, then ``assess``: what ``ctip screen`` and the API do
  after decoding the request;
* ``engine (ky)`` — as ``engine``, explained in Kyrgyz;
* ``reference`` — ``ctip/screening/tests/reference.py``: subsets enumerated and plain loops, straight from the
  README's wording (the oracle of the property-based test).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    key: str
    what: str
    run_one: Callable[[Any], object]
    inputs: list[Any]
    language: str = "en"
    rates: list[float] = field(default_factory=list)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="people assessed per pass (default 20000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes per row (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random people (default 2026)")
    args = parser.parse_args()
    if args.n < 100 or args.repeats < 1:
        parser.error("--n must be at least 100 and --repeats at least 1")
    return args


def set_up_django() -> None:
    profile = os.environ.setdefault("CTIP_PROFILE", "test")
    if profile != "test":
        sys.exit(f"screening_engine: run with CTIP_PROFILE=test (not {profile!r}).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this system)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to CPU {core}"


def people(n: int, seed: int, table: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Draw N people as the JSON the command line reads."""
    rng = random.Random(seed)  # noqa: S311 (test data, not a secret)
    by_list_dim: dict[tuple[str, str], list[str]] = {}
    for ident, row in table.items():
        by_list_dim.setdefault((row["list"], row["dimension"]), []).append(ident)
    drawn = []
    for _ in range(n):
        age = rng.choice([None, None, rng.randint(0, 17), rng.randint(18, 70), rng.randint(18, 70)])
        possible_minor = rng.random() < 0.3
        child = (age is None and possible_minor) or (age is not None and age < 18)
        chosen = "child_labour" if child else "adult_labour"
        ids: list[str] = []
        for dim in ("dr", "cr", "vr", "ex", "cd", "vd"):
            pool = by_list_dim[(chosen, dim)]
            ids += rng.sample(pool, rng.randint(0, min(4, len(pool))))
        rng.shuffle(ids)
        drawn.append({"age": age, "possible_minor": possible_minor, "act": rng.random() < 0.9, "indicators": ids})
    return drawn


def check_agreement(catalogue: Any, table: dict[str, dict[str, str]], drawn: list[dict[str, Any]]) -> None:
    from ctip.screening import engine
    from ctip.screening.tests import reference

    for i, person in enumerate(drawn):
        ours = engine.assess(catalogue, engine.parse_input(person)).as_dict(explanation=False)
        theirs = reference.assess(table, **person)
        if ours != theirs:
            sys.exit(f"screening_engine: person {i} assessed differently:\n{person}\nengine {ours}\nreference {theirs}")
    sys.stderr.write(f"checked: the engine and the reference agree on all {len(drawn)} people\n")


def make_rows(drawn: list[dict[str, Any]]) -> tuple[list[Row], Any, dict[str, dict[str, str]]]:
    from ctip.screening import engine
    from ctip.screening.tests import reference
    from ctip.screening.tests.factories import engine_catalogue

    catalogue = engine_catalogue()
    table = reference.load_table()
    ready = [engine.parse_input(p) for p in drawn]
    rows = [
        Row(
            "engine (rules)",
            "engine.assess(Input, explain=False): the same work as the reference",
            lambda x: engine.assess(catalogue, x, explain=False),
            ready,
        ),
        Row("engine", "engine.assess(Input), explained in English", lambda x: engine.assess(catalogue, x), ready),
        Row(
            "engine+parse",
            "parse_input(JSON) + assess, as ctip screen and the API",
            lambda x: engine.assess(catalogue, engine.parse_input(x)),
            drawn,
        ),
        Row(
            "engine (ky)",
            "engine.assess(Input), explained in Kyrgyz",
            lambda x: engine.assess(catalogue, x),
            ready,
            "ky",
        ),
        Row(
            "reference",
            "brute force: subsets and plain loops (tests/reference.py)",
            lambda x: reference.assess(table, **x),
            drawn,
        ),
    ]
    return rows, catalogue, table


def time_rows(rows: list[Row], repeats: int) -> None:
    from django.utils import translation

    clock = time.perf_counter
    total = repeats * len(rows)
    done = 0
    for r in range(repeats):
        for row in rows:  # passes interleaved, so a slow patch of the machine hits every row alike
            with translation.override(row.language):
                run_one, inputs = row.run_one, row.inputs
                run_one(inputs[0])  # warm the per-language caches
                gc.collect()
                gc.disable()
                started = clock()
                for x in inputs:
                    run_one(x)
                elapsed = clock() - started
                gc.enable()
            row.rates.append(len(inputs) / elapsed)
            done += 1
            sys.stderr.write(f"\rtiming: pass {r + 1}/{repeats}, {done}/{total} ({100 * done // total}%)")
            sys.stderr.flush()
    sys.stderr.write("\n")


def report(rows: list[Row], n: int, repeats: int, seed: int, pinned: str) -> None:
    import django

    reference = next(r for r in rows if r.key == "reference")
    ref_median = statistics.median(reference.rates)
    print(f"ctip screening engine: {n} people per pass, {repeats} passes per row, seed {seed}, one process {pinned}")
    print(f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}, no database")
    print()
    header = ("row", "what", "median /s", "best /s", "µs each (median)", "× reference (median)")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 2 else "--:" for i in range(len(header))) + "|")
    for row in rows:
        median = statistics.median(row.rates)
        cells = (
            row.key,
            row.what,
            f"{median:,.0f}",
            f"{max(row.rates):,.0f}",
            f"{1e6 / median:.1f}",
            f"{median / ref_median:.1f}",
        )
        print("| " + " | ".join(cells) + " |")
    explained = next(r for r in rows if r.key == "engine")
    engine_median = statistics.median(explained.rates)
    verdict = "meets" if engine_median >= 20000 else "MISSES"
    print()
    print(f"engine with explanation: {engine_median:,.0f} assessments/s on one core: {verdict} the target of 20,000/s")


def main() -> None:
    args = parse_args()
    set_up_django()
    pinned = pin_to_one_core()
    sys.stderr.write(f"drawing {args.n} people (seed {args.seed}); {pinned}\n")
    from ctip.screening.tests import reference

    drawn = people(args.n, args.seed, reference.load_table())
    rows, catalogue, table = make_rows(drawn)
    check_agreement(catalogue, table, drawn)
    time_rows(rows, args.repeats)
    report(rows, args.n, args.repeats, args.seed, pinned)


if __name__ == "__main__":
    main()
