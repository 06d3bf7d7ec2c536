from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from ctip.accounts.models import ApiToken
from ctip.audit.models import AuditEvent
from ctip.orgs.services import membership_set_active


def issue(user: str, org: str) -> str:
    out = StringIO()
    call_command("issue_token", user=user, org=org, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def get_me(token: str):
    return Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_an_issued_token_acts_for_its_membership(cast):
    token = issue("worker.a@example.org", "SHELTER-A")
    response = get_me(token)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "worker.a@example.org"
    assert body["organisation"]["code"] == "shelter-a"
    assert body["roles"] == ["case_worker"]


@pytest.mark.django_db
def test_only_a_hash_of_the_secret_is_stored(cast):
    token = issue("worker.a@example.org", "shelter-a")
    secret = token.partition(".")[2]
    assert len(secret) >= 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_id, secret_hash FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert secret not in repr(rows)
    assert AuditEvent.objects.filter(action="api_token.issue").count() == 1


@pytest.mark.django_db
def test_a_revoked_token_gets_401_in_the_error_format(cast):
    token = issue("worker.a@example.org", "shelter-a")
    out = StringIO()
    call_command("revoke_token", token, stdout=out)
    assert "revoked" in out.getvalue()
    response = get_me(token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response.json()["error"]["status"] == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
def test_revoking_by_key_id_works_and_twice_is_harmless(cast):
    token = issue("worker.a@example.org", "shelter-a")
    key_id = token.removeprefix("ctip_").partition(".")[0]
    call_command("revoke_token", key_id, stdout=StringIO())
    out = StringIO()
    call_command("revoke_token", key_id, stdout=out)
    assert "already revoked" in out.getvalue()
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["Bearer ctip_0000000000000000.nope", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer garbage"],
)
def test_bad_tokens_get_401(cast, header):
    issue("worker.a@example.org", "shelter-a")
    response = Client().get("/api/v1/me/", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json()["error"]) >= {"status", "code", "message", "request_id"}


@pytest.mark.django_db
def test_a_tampered_secret_is_refused(cast):
    token = issue("worker.a@example.org", "shelter-a")
    assert get_me(token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 401


@pytest.mark.django_db
def test_a_token_stops_working_when_its_membership_is_deactivated(cast):
    token = issue("worker.a@example.org", "shelter-a")
    membership_set_active(actor=cast.admin_a, membership=cast.case_worker_a, active=False)
    assert get_me(token).status_code == 401


@pytest.mark.django_db
def test_issuing_for_a_non_member_fails_with_a_clear_message(cast):
    with pytest.raises(CommandError, match="not a member of organisation police-b"):
        issue("worker.a@example.org", "police-b")
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_revoking_an_unknown_token_fails(cast):
    with pytest.raises(CommandError, match="No token"):
        call_command("revoke_token", "ctip_ffffffffffffffff.x", stdout=StringIO())


@pytest.mark.django_db
def test_token_use_is_recorded(cast):
    token = issue("worker.a@example.org", "shelter-a")
    get_me(token)
    get_me(token)
    stored = ApiToken.objects.get()
    assert stored.last_used_at is not None
    assert AuditEvent.objects.filter(action="api_token.use").count() == 1  # at most once a minute
