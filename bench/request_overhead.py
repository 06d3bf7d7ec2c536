"""How much does ctip's request stack cost over the cheapest possible Django response?

Run from the repository root:

    CTIP_PROFILE=test .venv/bin/python bench/request_overhead.py [--n 2000] [--warmup 200]

Everything happens in this process, through ``django.test.Client`` (no network, no server): the script creates a
throw-away test database (in memory on SQLite; a ``test_`` database if DATABASE_URL points at PostgreSQL), migrates
it, creates one organisation, one case worker (with an authenticator, past the second factor) and one API token
through ctip's own services, and then times N requests of each kind. The kinds are interleaved (one of each, in a
new random order, N times over) so that a slow patch of the machine hits them all alike. Progress goes to stderr,
the table to stdout.

The reference row is ``baseline``: a view returning ``HttpResponse("ok")`` registered next to ctip's own URLs, so
the same middleware runs for it. ``bare`` is the same view with no middleware at all, the floor under everything.
Nothing here asserts on time; the script only refuses to report a row whose response was not the expected one.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Scenario:
    key: str
    what: str
    send: Callable[[], object]
    expect_status: int
    samples: list[int] = field(default_factory=list)  # nanoseconds per request
    queries: int = 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="timed requests per scenario (default 2000)")
    parser.add_argument("--warmup", type=int, default=200, help="untimed requests per scenario first (default 200)")
    args = parser.parse_args()
    if args.n < 20 or args.warmup < 1:
        parser.error("--n must be at least 20 and --warmup at least 1")
    return args


def set_up_django(var_dir: str) -> None:
    """Load ctip's settings under the test profile, with every file it makes kept in a temporary directory."""
    profile = os.environ.setdefault("CTIP_PROFILE", "test")
    if profile != "test":
        sys.exit(f"request_overhead: run with CTIP_PROFILE=test (not {profile!r}); it creates and drops a database.")
    os.environ.setdefault("CTIP_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
    sys.path.insert(0, str(REPO))

    import django

    django.setup()


def bench_urlconf() -> str:
    """Build a URLconf: ctip's own URLs plus one view that does nothing; return its module name."""
    from django.contrib.auth.decorators import login_not_required
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    import ctip.urls

    @login_not_required
    def ok(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType("ctip_bench_urls")
    module.urlpatterns = [path("__bench__/ok", ok), path("", include("ctip.urls"))]  # type: ignore[attr-defined]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, name, getattr(ctip.urls, name))
    sys.modules[module.__name__] = module
    return module.__name__


def make_scenarios() -> list[Scenario]:
    """Create the people and the token, and the clients that send each kind of request."""
    from django.test import Client, override_settings
    from django_otp import DEVICE_ID_SESSION_KEY

    from ctip.accounts.middleware import MFA_AT
    from ctip.accounts.services import token_issue, totp_enrolment_confirm, totp_enrolment_start, user_create
    from ctip.orgs.middleware import SESSION_KEY
    from ctip.orgs.roles import Role
    from ctip.orgs.services import membership_create, organisation_create

    org = organisation_create(
        by=None,
        code="bench",
        name_ky="Бенчмарк уюму",
        name_ru="Организация для замеров",
        name_en="Benchmark organisation",
        org_type="NGO",
        region="bishkek",
    )
    user = user_create(by=None, email="bench@example.org", full_name="Bench Worker", password=None)
    membership = membership_create(by=None, acting=None, user=user, organisation=org, roles=[Role.CASE_WORKER])
    # A case worker must have a second factor; enrol one the way `ctip demo` does.
    device = totp_enrolment_start(user=user)
    totp_enrolment_confirm(user=user, device=device, token=device.current_code())
    _token, plaintext = token_issue(by=None, membership_id=membership.pk, name="bench")

    anonymous = Client()
    member = Client()
    # As ctip/conftest.py client_for: logged in, past the second factor, acting for the membership.
    member.force_login(user)
    session = member.session
    session[SESSION_KEY] = membership.pk
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[MFA_AT] = time.time()
    session.save()
    api = Client(headers={"Authorization": f"Bearer {plaintext}"})

    with override_settings(MIDDLEWARE=[]):
        bare = Client()
        bare.get("/__bench__/ok")  # the client builds its middleware chain now, while MIDDLEWARE is empty

    return [
        Scenario("bare", "minimal view, no middleware at all", lambda: bare.get("/__bench__/ok"), 200),
        Scenario("baseline", "minimal view, ctip middleware, anonymous", lambda: anonymous.get("/__bench__/ok"), 200),
        Scenario(
            "baseline-member", "minimal view, ctip middleware, logged in", lambda: member.get("/__bench__/ok"), 200
        ),
        Scenario("healthz", "GET /healthz", lambda: anonymous.get("/healthz"), 200),
        Scenario("login", "GET /accounts/login/ anonymous", lambda: anonymous.get("/accounts/login/"), 200),
        Scenario("home", "GET / logged in, acting for the membership", lambda: member.get("/"), 200),
        Scenario("api-me", "GET /api/v1/me/ with a bearer token", lambda: api.get("/api/v1/me/"), 200),
    ]


def check_and_count_queries(scenarios: list[Scenario]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for s in scenarios:
        with CaptureQueriesContext(connection) as captured:
            response = s.send()
        status = getattr(response, "status_code", None)
        if status != s.expect_status:
            sys.exit(f"request_overhead: {s.key} answered {status}, expected {s.expect_status}; not timing it.")
        s.queries = len(captured.captured_queries)


def run(scenarios: list[Scenario], n: int, warmup: int) -> None:
    progress = sys.stderr
    progress.write(f"warming up: {warmup} requests of each of {len(scenarios)} kinds\n")
    for _ in range(warmup):
        for s in scenarios:
            s.send()
    check_and_count_queries(scenarios)
    gc.collect()
    step = max(1, n // 10)
    clock = time.perf_counter_ns
    order = list(scenarios)
    shuffle = random.Random(2026).shuffle  # noqa: S311 (an order, not a secret)
    for i in range(1, n + 1):
        shuffle(order)  # a new order each round, so no kind always follows the same other kind
        for s in order:
            started = clock()
            response = s.send()
            s.samples.append(clock() - started)
            if getattr(response, "status_code", None) != s.expect_status:
                sys.exit(f"\nrequest_overhead: {s.key} stopped answering {s.expect_status} at round {i}.")
        if i % step == 0 or i == n:
            progress.write(f"\rtiming: {i}/{n} requests of each kind ({100 * i // n}%)")
            progress.flush()
    progress.write("\n")


def p95(samples: list[int]) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def report(scenarios: list[Scenario], n: int) -> None:
    import django
    from django.db import connection

    base = next(s for s in scenarios if s.key == "baseline")
    base_median = statistics.median(base.samples) / 1000
    base_p95 = p95(base.samples) / 1000
    print(f"ctip request overhead: {n} requests per row, django.test.Client in process")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, database {connection.vendor}, "
        f"CTIP_PROFILE={os.environ['CTIP_PROFILE']}"
    )
    print()
    header = (
        "row",
        "request",
        "median µs",
        "p95 µs",
        "× baseline (median)",
        "× baseline (p95)",
        "+µs (median)",
        "queries",
    )
    rows = []
    for s in scenarios:
        median = statistics.median(s.samples) / 1000
        tail = p95(s.samples) / 1000
        rows.append(
            (
                s.key,
                s.what,
                f"{median:.0f}",
                f"{tail:.0f}",
                f"{median / base_median:.2f}",
                f"{tail / base_p95:.2f}",
                f"{median - base_median:+.0f}",
                str(s.queries),
            )
        )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 2 else "--:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="ctip-bench-") as var_dir:
        set_up_django(var_dir)
        from django.test.utils import override_settings, setup_databases, teardown_databases

        sys.stderr.write("creating and migrating a throw-away test database\n")
        databases = setup_databases(verbosity=0, interactive=False)
        try:
            with override_settings(ROOT_URLCONF=bench_urlconf()):
                scenarios = make_scenarios()
                run(scenarios, args.n, args.warmup)
                report(scenarios, args.n)
        finally:
            teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
