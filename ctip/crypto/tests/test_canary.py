"""A canary written through encrypted fields is found 0 times in what a thief would take: the SQLite file, or a
pg_dump of the PostgreSQL database (audit and every other table included). The same canary written to plain
columns is found, which proves the search would have seen it."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from ctip.orgs.models import Organisation
from ctip.testapp.models import PlainSpecimen, Specimen

WRITE = """
import sys
from ctip.orgs.services import organisation_create
from ctip.testapp.models import Specimen, PlainSpecimen
canary, plain = sys.argv[1], sys.argv[2] == "plain"
org = organisation_create(by=None, code="canary-org", name_ky="к", name_ru="к", name_en="c", org_type="NGO",
                          region="national")
model = PlainSpecimen if plain else Specimen
first = model.objects.create(organisation=org, code="C-1", name=canary, extra={"alias": canary}, document=canary)
second = model.objects.create(organisation=org, code="C-2", name=canary + " old")
second.name = "changed"
second.save()
model.objects.filter(code="C-1").update(document=canary + " updated")
"""


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CTIP_PROFILE="test", CTIP_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="ctip.settings")
    return env


def _sqlite_bytes(var: Path) -> bytes:
    return b"".join(p.read_bytes() for p in var.glob("ctip.sqlite3*"))


def _write_to_sqlite(var: Path, canary: str, mode: str) -> bytes:
    migrate = subprocess.run(
        [sys.executable, "-m", "ctip", "migrate", "--no-input"], env=_env(var), capture_output=True, timeout=180
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", "import django, sys; django.setup(); exec(sys.stdin.read())", canary, mode],
        input=WRITE,
        env=_env(var),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return _sqlite_bytes(var)


@pytest.mark.slow_subprocess
def test_the_canary_is_not_in_the_sqlite_file(tmp_path):
    canary = f"КАНАРЕЙКА-Ңөү-{secrets.token_hex(8)}"
    sealed = _write_to_sqlite(tmp_path / "sealed", canary, "sealed")
    assert sealed.count(canary.encode()) == 0
    assert sealed.count(canary.split("-")[-1].encode()) == 0
    plain = _write_to_sqlite(tmp_path / "plain", canary, "plain")
    assert plain.count(canary.encode()) >= 1  # the search works


@pytest.mark.django_db(transaction=True)
def test_the_canary_is_not_in_a_pg_dump():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL half of the suite")
    pg_dump = Path(os.environ.get("CTIP_PG_BIN", "")) / "pg_dump"
    if not pg_dump.exists():
        pg_dump = Path(shutil.which("pg_dump") or "pg_dump")
    canary = f"КАНАРЕЙКА-{secrets.token_hex(8)}"
    org = Organisation.objects.create(code="canary", name_ky="к", name_ru="к", name_en="c", org_type="NGO")
    Specimen.objects.create(organisation=org, code="C-1", name=canary, extra={"a": canary}, document=canary)

    def dump() -> str:
        s = connection.settings_dict
        result = subprocess.run(
            [str(pg_dump), "-h", s["HOST"], "-p", str(s["PORT"]), "-U", s["USER"], "--no-owner", s["NAME"]],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout

    first = dump()
    assert "testapp_specimen" in first
    assert first.count(canary) == 0
    PlainSpecimen.objects.create(organisation=org, code="C-2", name=canary)
    assert dump().count(canary) == 1  # the search works
