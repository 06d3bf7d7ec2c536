"""The case list at scale: one organisation among 1,000,000 cases against one with 1,000, four clients at once.

Run from the repository root, on a throw-away PostgreSQL cluster that the script fills itself:

    CTIP_PROFILE=test scripts/with-postgres .venv/bin/python bench/cases_list.py [--cases 1000000] [--requests 200]

or against a database already filled by ``ctip cases-generate`` (``--prefix bench`` for the large set and
``--prefix bench-small --organisations 1`` for the small one) with ``--existing`` and DATABASE_URL pointing at it.

What it does: migrates the database and generates ``--cases`` cases over ``--organisations`` organisations
(``ctip.cases.generate``, prefix ``bench``) plus one organisation with ``--small`` cases (prefix ``bench-small``);
runs ANALYZE; gives each of the two case workers a confirmed authenticator and one session per client, past the
second factor (as ``ctip/conftest.py`` ``client_for`` does); counts the SQL queries of one request for each page
in process (CaptureQueriesContext) and prints the list query's plan (EXPLAIN ANALYZE); then serves ctip with
gunicorn (``--workers`` sync workers, database connections kept for 60 s as in the production profile) and sends
``--requests`` requests per client from ``--clients`` threads at once, to the first organisation's list page and
the small organisation's, in alternating rounds. Each answer must be 200 with 50 rows, or the run stops.

Progress goes to stderr, the report (Markdown) to stdout. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIG, SMALL = "bench", "bench-small"
QUIET = ("--log-level", "warning")
ROW = re.compile(r'href="/cases/\d+/"')


@dataclass
class Target:
    label: str
    org_code: str
    cases: int = 0
    cookies: list[str] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)  # milliseconds
    queries: int = 0
    wall: float = 0.0  # seconds spent in the timed rounds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the large set (default 1,000,000)")
    parser.add_argument("--organisations", type=int, default=50, help="organisations sharing them (default 50)")
    parser.add_argument("--small", type=int, default=1000, help="cases of the separate organisation (default 1000)")
    parser.add_argument("--seed", type=int, default=6, help="generator seed (default 6)")
    parser.add_argument("--existing", action="store_true", help="use the data already in the database")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per client and page (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per client and page (default 10)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds the requests are split in")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4, as deployed)")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 10 or args.warmup < 1 or args.rounds < 1 or args.workers < 1:
        parser.error("--clients, --warmup, --rounds and --workers must be at least 1 and --requests at least 10")
    if args.small < 51 or args.cases < 51 * args.organisations:
        parser.error("every organisation needs more than one page (51 cases) of cases")
    return args


def set_up_django() -> None:
    if os.environ.setdefault("CTIP_PROFILE", "test") != "test":
        sys.exit("cases_list: run with CTIP_PROFILE=test; it writes made-up cases into the database.")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("cases_list: set DATABASE_URL to a PostgreSQL database (e.g. run under scripts/with-postgres).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def fill(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from ctip.cases.generate import generate

    log = sys.stderr
    log.write("migrating\n")
    call_command("migrate", verbosity=0)
    for prefix, cases, orgs, seed in (
        (BIG, args.cases, args.organisations, args.seed),
        (SMALL, args.small, 1, args.seed + 1),
    ):
        log.write(f"generating {cases:,} cases over {orgs} organisations (prefix {prefix})\n")

        def progress(done: int, total: int, seconds: float) -> None:
            log.write(f"\r  {done:,}/{total:,} cases, {seconds:.0f} s")
            log.flush()

        result = generate(cases=cases, organisations=orgs, seed=seed, prefix=prefix, progress=progress)
        log.write(f"\n  done in {result.seconds:.0f} s: {dict(result.counts)}\n")


def prepare(target: Target, clients: int) -> None:
    """Find the organisation's case worker, enrol a second factor, open one session per client; count queries."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    from ctip.accounts.middleware import MFA_AT
    from ctip.cases import selectors
    from ctip.cases.models import VictimCase
    from ctip.orgs.middleware import SESSION_KEY
    from ctip.orgs.models import Membership
    from ctip.orgs.roles import Role
    from ctip.testing import enrol_second_factor

    member = Membership.objects.select_related("user", "organisation").get(
        organisation__code=target.org_code, roles__role=Role.CASE_WORKER
    )
    target.cases = VictimCase.objects.filter(owner=member.organisation).count()
    device = enrol_second_factor(member.user)
    session_clients = []
    for _ in range(clients):
        client = Client()
        client.force_login(member.user)
        session = client.session
        session[SESSION_KEY] = member.pk
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[MFA_AT] = time.time()
        session.save()
        target.cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
        session_clients.append(client)
    url = reverse("cases:list")
    session_clients[0].get(url)  # the first request fills per-process caches; count the second
    with CaptureQueriesContext(connection) as captured:
        response = session_clients[0].get(url)
    if response.status_code != 200 or len(ROW.findall(response.content.decode())) != 50:
        sys.exit(f"cases_list: {target.label}: in-process request answered {response.status_code}, not 50 rows")
    target.queries = len(captured.captured_queries)
    plan = selectors.cases_of_organisation(member)[:51].explain(analyze=True, buffers=True)
    print(f"\nEXPLAIN ANALYZE of the list query, {target.label} ({target.cases:,} cases):\n")
    print("```\n" + plan + "\n```")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workers: int, tmp: str) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn as deployed (ctip.wsgi, sync workers), with connections kept 60 s like the production profile."""
    Path(tmp, "ctip_bench_settings.py").write_text(
        "from ctip.settings import *  # noqa: F403\n"
        "DATABASES['default']['CONN_MAX_AGE'] = 60  # noqa: F405\n"
        "DATABASES['default']['CONN_HEALTH_CHECKS'] = True  # noqa: F405\n"
    )
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ctip_bench_settings")
    env["PYTHONPATH"] = os.pathsep.join([tmp, str(REPO), env.get("PYTHONPATH", "")])
    server = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn, fixed arguments)
        [str(REPO / ".venv/bin/gunicorn"), "ctip.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", *QUIET],
        env=env,
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", "")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    sys.exit("cases_list: gunicorn did not answer /healthz within 60 s")


def get(port: int, path: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def hammer(port: int, target: Target, count: int, timed: bool) -> None:
    """Every client sends ``count`` requests at once; record each latency if timed."""
    from django.urls import reverse

    url = reverse("cases:list")
    barrier = threading.Barrier(len(target.cookies))
    failures: list[str] = []
    lock = threading.Lock()

    def client(cookie: str) -> None:
        mine: list[float] = []
        barrier.wait()
        for _ in range(count):
            started = time.perf_counter()
            status, body = get(port, url, cookie)
            elapsed = (time.perf_counter() - started) * 1000
            rows = len(ROW.findall(body))
            if status != 200 or rows != 50:
                failures.append(f"{target.label}: answered {status} with {rows} rows")
                return
            mine.append(elapsed)
        with lock:
            if timed:
                target.samples.extend(mine)

    threads = [threading.Thread(target=client, args=(cookie,)) for cookie in target.cookies]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if timed:
        target.wall += time.perf_counter() - started
    if failures:
        sys.exit(f"cases_list: {failures[0]}; not reporting")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} CPUs ({model}), {int(mem) / 1024 / 1024:.0f} GiB"


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="ctip-bench-") as tmp:
        os.environ.setdefault("CTIP_VAR_DIR", tmp)
        set_up_django()
        import django
        from django.db import connection

        if not args.existing:
            fill(args)
        with connection.cursor() as cursor:
            sys.stderr.write("ANALYZE\n")
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        targets = [Target("one of the large set", f"{BIG}-0001"), Target("the small organisation", f"{SMALL}-0001")]
        for target in targets:
            prepare(target, args.clients)
        connection.close()
        load_before = os.getloadavg()
        server, port = start_server(args.workers, tmp)
        try:
            sys.stderr.write(f"warming up: {args.warmup} requests per client and page\n")
            for target in targets:
                hammer(port, target, args.warmup, timed=False)
            per_round = math.ceil(args.requests / args.rounds)
            for i in range(args.rounds):
                for target in targets if i % 2 == 0 else reversed(targets):
                    hammer(port, target, per_round, timed=True)
                sys.stderr.write(f"round {i + 1}/{args.rounds} done\n")
        finally:
            server.terminate()
            server.wait(timeout=30)
        load_after = os.getloadavg()

        print(f"\nctip case list, {args.clients} concurrent clients, gunicorn -w {args.workers} (sync)")
        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; load average (1 min) "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; PostgreSQL {pg_version}; "
            f"Python {platform.python_version()}, Django {django.get_version()}"
        )
        print()
        print("| organisation | its cases | requests | median ms | p95 ms | max ms | requests/s | queries/request |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|")
        for t in targets:
            print(
                f"| {t.label} | {t.cases:,} | {len(t.samples)} | {statistics.median(t.samples):.1f} "
                f"| {p95(t.samples):.1f} | {max(t.samples):.1f} | {len(t.samples) / t.wall:.1f} | {t.queries} |"
            )


if __name__ == "__main__":
    main()
