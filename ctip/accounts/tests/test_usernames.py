"""One spelling per account: the login, the lock-out, password reset and commands read an e-mail the same way."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ctip.accounts.models import ApiToken, User
from ctip.audit.models import AuditEvent
from ctip.testing import PASSWORD

LOGIN = "/accounts/login/"
GENERIC = "The e-mail or password is not correct."
VARIANTS = ["WORKER.A@EXAMPLE.ORG", "Worker.a@example.org", " worker.a@example.org ", "\tWorker.A@Example.ORG\n"]


def login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password}, headers={"Accept-Language": "en"})


def test_the_rule_trims_and_folds_case_and_width():
    from ctip.accounts.models import normalise_email

    assert normalise_email("  Worker.A@Example.ORG\t") == "worker.a@example.org"
    assert normalise_email("ＷＯＲＫＥＲ.a@example.org") == "worker.a@example.org"
    assert normalise_email("worker.a@example.org") == "worker.a@example.org"


@pytest.mark.django_db
def test_accounts_are_stored_in_the_normal_spelling(db):
    user = User.objects.create_user(email="  New.Person@Example.ORG ", password=PASSWORD)
    assert user.email == "new.person@example.org"
    user.email = "ＯＴＨＥＲ@Example.org"
    user.clean()
    assert user.email == "other@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_spelling_logs_in_to_the_one_account(cast, variant):
    client = Client()
    assert login(client, variant, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(cast.case_worker_a.user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_locked_account_stays_locked_in_every_spelling(cast, settings, variant):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "worker.a@example.org", "wrong")
    response = login(Client(), variant, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


@pytest.mark.django_db
def test_failures_in_different_spellings_count_against_the_one_account(cast, settings):
    statuses = [login(Client(), VARIANTS[i % len(VARIANTS)], "wrong").status_code for i in range(12)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (12 - limit + 1)
    # One account, one counter: every attempt (those refused while locked too) is counted under the stored e-mail.
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("worker.a@example.org", 12)]
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=cast.case_worker_a.user).count() == 12
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=None).count() == 0


@pytest.mark.django_db
def test_an_unknown_account_looks_the_same_in_every_spelling(cast, settings):
    """Failures for an address nobody has are answered and locked exactly like those for a real account."""
    known, unknown = [], []
    for i in range(settings.AXES_FAILURE_LIMIT):
        spelling = VARIANTS[i % len(VARIANTS)]
        known.append(login(Client(), spelling, "wrong"))
        unknown.append(login(Client(), re.sub(r"worker\.a", "nobody", spelling, flags=re.IGNORECASE), "wrong"))
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 4 + [429]
    for mine, nobodys in zip(known[:-1], unknown[:-1], strict=True):
        assert mine.context["form"].errors == nobodys.context["form"].errors == {"__all__": [GENERIC]}
    assert sorted(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("nobody@example.org", 5),
        ("worker.a@example.org", 5),
    ]


@pytest.mark.django_db(transaction=True)
def test_password_reset_finds_the_account_in_any_spelling(cast):
    response = Client().post("/accounts/password/reset/", {"email": " WORKER.A@Example.org "})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["worker.a@example.org"]]


@pytest.mark.django_db
def test_issue_token_finds_the_member_in_any_spelling(cast):
    call_command("issue_token", user=" Worker.A@EXAMPLE.org ", org="shelter-a", stdout=StringIO(), stderr=StringIO())
    assert ApiToken.objects.get().membership == cast.case_worker_a
