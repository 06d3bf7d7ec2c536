"""The command line and the production profile, run as an operator would run them."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "CTIP_PROFILE": "production",
    "CTIP_ENCRYPTION_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "CTIP_BLIND_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "CTIP_SECRET_KEY": secrets.token_urlsafe(50),
    "CTIP_ALLOWED_HOSTS": "ctip.example.org",
    "CTIP_BASE_URL": "https://ctip.example.org",
    "DATABASE_URL": "postgres://ctip@127.0.0.1:1/ctip",
}


def ctip(*args: str, env: dict[str, str] | None = None, tmp_path=None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CTIP_", "DATABASE_URL"))}
    if tmp_path is not None:
        full_env["CTIP_VAR_DIR"] = str(tmp_path)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ctip", *args], env=full_env, capture_output=True, text=True, timeout=120
    )


def test_the_production_profile_passes_the_deploy_check(tmp_path):
    result = ctip("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_profile_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CTIP_SECRET_KEY"}
    result = ctip("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CTIP_SECRET_KEY" in result.stderr


def test_the_production_profile_sets_secure_cookies_and_hsts(tmp_path):
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    result = ctip("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.stdout.split() == ["True", "True", "True", "False"]


def test_the_production_profile_refuses_to_start_without_its_keys(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith(("CTIP_ENCRYPTION", "CTIP_BLIND"))}
    result = ctip("check", "--deploy", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ctip.crypto.E001" in result.stderr
    assert "CTIP_ENCRYPTION_KEYS" in result.stderr
    assert not (tmp_path / "keyring.json").exists()


def test_the_demo_refuses_a_production_profile_unless_forced(tmp_path):
    result = ctip("demo", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Refusing to load demo users" in result.stderr


def test_the_embedded_profile_keeps_a_generated_secret_in_var(tmp_path):
    code = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = ctip("shell", "--no-imports", "-c", code, tmp_path=tmp_path).stdout.strip()
    second = ctip("shell", "--no-imports", "-c", code, tmp_path=tmp_path).stdout.strip()
    assert len(first) >= 50
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.slow_subprocess
def test_a_fresh_embedded_database_migrates_loads_the_demo_and_issues_a_token(tmp_path):
    assert ctip("migrate", "--no-input", tmp_path=tmp_path).returncode == 0
    demo = ctip("demo", tmp_path=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "coordinator@demo.ctip.test" in demo.stdout
    again = ctip("demo", tmp_path=tmp_path)
    assert "already loaded" in again.stdout
    assert (tmp_path / "keyring.json").stat().st_mode & 0o777 == 0o600
    verified = ctip("audit", "verify", tmp_path=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "audit chain OK" in verified.stdout
    code = ctip("demo-code", "caseworker@demo.ctip.test", tmp_path=tmp_path)
    assert code.returncode == 0
    assert len(code.stdout.strip()) == 6
    assert code.stdout.strip().isdigit()
    issued = ctip("issue-token", "--user", "partner@demo.ctip.test", "--org", "unodc", tmp_path=tmp_path)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("ctip_")
    revoked = ctip("revoke-token", token, tmp_path=tmp_path)
    assert "revoked" in revoked.stdout
    bad = ctip("issue-token", "--user", "partner@demo.ctip.test", "--org", "mvd", tmp_path=tmp_path)
    assert bad.returncode == 1
    assert "not a member of organisation mvd" in bad.stderr


def test_demo_codes_are_not_given_in_production_or_for_real_accounts(tmp_path):
    production = ctip("demo-code", "caseworker@demo.ctip.test", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert production.returncode == 1
    assert "only outside the production profile" in production.stderr
    real = ctip("demo-code", "someone@mvd.gov.kg", tmp_path=tmp_path)
    assert real.returncode == 1
    assert "only gives codes for demo accounts" in real.stderr
