from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from ctip.audit.models import AuditEvent
from ctip.testing import PASSWORD

LOGIN = reverse("accounts:login")
GENERIC = "The e-mail or password is not correct."


def login(client: Client, email: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_it_logs_in_by_email_case_insensitively_and_goes_where_the_user_was(cast):
    client = Client()
    response = login(client, "Worker.A@Example.org", PASSWORD, next="/orgs/")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert AuditEvent.objects.filter(action="auth.login", actor=cast.case_worker_a.user).count() == 1


@pytest.mark.django_db
def test_wrong_password_and_unknown_account_get_the_same_message(cast):
    wrong = login(Client(), "worker.a@example.org", "not the password")
    unknown = login(Client(), "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in wrong.content.decode()
    assert GENERIC in unknown.content.decode()
    assert wrong.context["form"].errors == unknown.context["form"].errors


@pytest.mark.django_db
def test_a_failed_attempt_is_counted_and_audited(cast):
    login(Client(), "worker.a@example.org", "nope")
    attempt = AccessAttempt.objects.get(username="worker.a@example.org")
    assert attempt.failures_since_start == 1
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor == cast.case_worker_a.user


@pytest.mark.django_db
def test_inactive_user_gets_the_generic_message(cast):
    user = cast.case_worker_a.user
    user.is_active = False
    user.save()
    response = login(Client(), user.email, PASSWORD)
    assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in response.client.session


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_against_the_right_password(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "worker.a@example.org", "wrong").status_code == 200
    locked = login(client, "worker.a@example.org", "wrong")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    again = login(Client(), "worker.a@example.org", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in again.client.session
    assert AuditEvent.objects.filter(action="auth.locked_out", actor=cast.case_worker_a.user).exists()


@pytest.mark.django_db
def test_the_lock_is_per_account_not_per_office(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "worker.a@example.org", "wrong")
    response = login(Client(), "viewer.a@example.org", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(cast, as_member):
    client = as_member(cast.case_worker_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=cast.case_worker_a.user).count() == 1


@pytest.mark.django_db
def test_admin_login_goes_through_the_same_door(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
