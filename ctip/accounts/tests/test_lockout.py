"""Wrong passwords and wrong second-factor codes share one count per account, reset only by a complete login."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from ctip.accounts.middleware import MFA_AT
from ctip.accounts.models import TotpDevice
from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.testing import PASSWORD, current_code, enrol_second_factor

EMAIL = "worker.a@example.org"
WRONG_CODE = "000000"


def password_step(email: str = EMAIL, password: str = PASSWORD):
    client = Client(headers={"Accept-Language": "en"})
    response = client.post("/accounts/login/", {"username": email, "password": password})
    return client, response


def logged_in_past_password(email: str = EMAIL) -> Client:
    client, response = password_step(email)
    assert response.status_code == 302
    return client


def failures(email: str = EMAIL) -> int:
    return sum(AccessAttempt.objects.filter(username=email).values_list("failures_since_start", flat=True))


def phone_backoff_over(device: TotpDevice) -> None:
    """Let the authenticator's own back-off after wrong codes pass, as it would after some seconds."""
    TotpDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def wrong_codes(client: Client, count: int) -> list[int]:
    return [client.post("/accounts/mfa/", {"code": WRONG_CODE}).status_code for _ in range(count)]


@pytest.mark.django_db
def test_wrong_codes_count_across_logins_until_the_account_locks(cast, settings):
    enrol_second_factor(cast.case_worker_a.user)
    limit = settings.AXES_FAILURE_LIMIT
    first = logged_in_past_password()
    assert wrong_codes(first, limit - 1) == [200] * (limit - 1)
    # The password again: it is right, but it does not wipe the wrong codes.
    second = logged_in_past_password()
    assert failures() == limit - 1
    assert wrong_codes(second, 1) == [429]
    assert "_auth_user_id" not in second.session
    assert failures() == limit
    _client, third = password_step()
    assert third.status_code == 429
    assert "_auth_user_id" not in third.client.session


@pytest.mark.django_db
def test_the_password_alone_does_not_reset_the_count_of_an_account_with_a_second_factor(cast, settings):
    enrol_second_factor(cast.case_worker_a.user)
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert password_step(password="wrong")[1].status_code == 200
    client = logged_in_past_password()
    assert failures() == limit - 1
    assert wrong_codes(client, 1) == [429]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_code_completes_the_login_and_clears_the_count(cast, settings):
    device = enrol_second_factor(cast.case_worker_a.user)
    limit = settings.AXES_FAILURE_LIMIT
    client = logged_in_past_password()
    assert wrong_codes(client, limit - 1) == [200] * (limit - 1)
    phone_backoff_over(device)
    response = client.post("/accounts/mfa/", {"code": current_code(device), "next": "/orgs/"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert AccessAttempt.objects.count() == 0
    # A fresh count: the next login may again mistype limit - 1 codes.
    phone_backoff_over(device)
    assert wrong_codes(logged_in_past_password(), limit - 1) == [200] * (limit - 1)


@pytest.mark.django_db
def test_the_password_completes_the_login_of_an_account_without_a_second_factor(cast, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert password_step("viewer.a@example.org", "wrong")[1].status_code == 200
    assert logged_in_past_password("viewer.a@example.org").get("/orgs/").status_code == 200
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_a_locked_account_cannot_pass_the_second_factor_with_the_right_code(cast, settings):
    device = enrol_second_factor(cast.case_worker_a.user)
    waiting = logged_in_past_password()
    # Meanwhile someone else guesses passwords until the account locks.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(password="wrong")
    code = current_code(device)
    response = waiting.post("/accounts/mfa/", {"code": code, "next": "/orgs/"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in waiting.session
    assert not AuditEvent.objects.filter(action="auth.mfa_verified").exists()
    assert TotpDevice.objects.get(pk=device.pk).last_t == -1  # the code was not even tried
    assert waiting.get("/orgs/")["Location"] == "/accounts/login/?next=/orgs/"


@pytest.mark.django_db
def test_a_locked_out_user_is_logged_out_when_asked_for_a_fresh_code(cast, settings):
    client = client_for(cast.case_worker_a)
    session = client.session
    session[MFA_AT] = time.time() - settings.CTIP_STEP_UP_SECONDS - 1
    session.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(password="wrong")
    device = TotpDevice.objects.get(user=cast.case_worker_a.user)
    response = client.post("/accounts/mfa/?step_up=1", {"code": current_code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/mfa/recovery-codes/")["Location"].startswith("/accounts/login/")
    assert not AuditEvent.objects.filter(action="auth.recovery_codes_regenerated").exists()


@pytest.mark.django_db
def test_wrong_step_up_codes_and_wrong_passwords_share_the_count(cast, settings):
    client = client_for(cast.case_worker_a)
    session = client.session
    session[MFA_AT] = time.time() - settings.CTIP_STEP_UP_SECONDS - 1
    session.save()
    limit = settings.AXES_FAILURE_LIMIT
    assert [password_step(password="wrong")[1].status_code for _ in range(2)] == [200, 200]
    assert wrong_codes(client, limit - 2) == [200] * (limit - 3) + [429]
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True).distinct()) == [EMAIL]
    assert failures() == limit


@pytest.mark.django_db
def test_wrong_codes_older_than_the_cool_off_no_longer_count(cast, settings):
    enrol_second_factor(cast.case_worker_a.user)
    limit = settings.AXES_FAILURE_LIMIT
    client = logged_in_past_password()
    assert wrong_codes(client, limit - 1) == [200] * (limit - 1)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - cool_off)
    assert wrong_codes(logged_in_past_password(), 1) == [200]
    assert failures() == 1
