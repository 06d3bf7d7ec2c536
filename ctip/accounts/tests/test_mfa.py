from __future__ import annotations

import re
import time

import pytest
from django.db import connection
from django.test import Client

from ctip.accounts.middleware import MFA_AT
from ctip.accounts.models import RecoveryCode, TotpDevice
from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.orgs.roles import Role
from ctip.testing import PASSWORD, UserFactory, current_code, enrol_second_factor, member


def password_login(email: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    assert client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.CASE_WORKER, True),
        (Role.SUPERVISOR, True),
        (Role.INVESTIGATOR, True),
        (Role.PROSECUTOR, True),
        (Role.COORDINATOR, True),
        (Role.ORG_ADMIN, True),
        (Role.ANALYST, False),
        (Role.PARTNER, False),
        (Role.VIEWER, False),
    ],
)
def test_the_second_factor_is_enforced_for_roles_that_see_identities_give_roles_or_read_trails(cast, role, required):
    m = member(cast.org_a, role)
    response = password_login(m.user.email).get("/orgs/")
    if required:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/mfa/setup/?next=%2Forgs%2F"
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_the_second_factor_is_enforced_for_system_administrators(db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = password_login(admin.email).get("/admin/")
    assert response["Location"] == "/accounts/mfa/setup/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_then_recovery_codes_once(cast):
    client = password_login("worker.a@example.org")
    page = client.get("/accounts/mfa/setup/?next=/orgs/")
    body = page.content.decode()
    assert "<svg" in body
    device = TotpDevice.objects.get(user=cast.case_worker_a.user, confirmed=False)
    wrong = client.post("/accounts/mfa/setup/", {"code": "000000", "next": "/orgs/"})
    assert "code" in wrong.context["form"].errors
    time.sleep(1.1)  # a wrong code makes the device wait a second before the next try
    done = client.post("/accounts/mfa/setup/", {"code": current_code(device), "next": "/orgs/"})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert all(re.fullmatch(r"[0-9a-f]{5}-[0-9a-f]{5}", c) for c in codes)
    assert TotpDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/orgs/").status_code == 200
    # Only hashes are kept.
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=cast.case_worker_a.user).count() == 1


@pytest.mark.django_db
def test_the_secret_is_encrypted_at_rest(cast):
    device = enrol_second_factor(cast.case_worker_a.user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_totpdevice WHERE id = %s", [device.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("ctip1$")
    assert device.key not in raw


@pytest.mark.django_db
def test_login_asks_for_the_code_and_a_code_works_once(cast):
    device = enrol_second_factor(cast.case_worker_a.user)
    client = password_login("worker.a@example.org")
    assert client.get("/orgs/")["Location"] == "/accounts/mfa/?next=%2Forgs%2F"
    code = current_code(device)
    response = client.post("/accounts/mfa/", {"code": code, "next": "/orgs/"})
    assert response["Location"] == "/orgs/"
    assert client.get("/orgs/").status_code == 200
    replay = password_login("worker.a@example.org").post("/accounts/mfa/", {"code": code})
    assert replay.status_code == 200
    assert "code" in replay.context["form"].errors


@pytest.mark.django_db
def test_a_recovery_code_works_once(cast):
    client = password_login("worker.a@example.org")
    device = TotpDevice.objects.get(pk=client.get("/accounts/mfa/setup/") and TotpDevice.objects.get().pk)
    codes = client.post("/accounts/mfa/setup/", {"code": current_code(device)}).context["codes"]
    again = password_login("worker.a@example.org")
    assert again.post("/accounts/mfa/", {"code": codes[3].upper(), "next": "/"})["Location"] == "/"
    third = password_login("worker.a@example.org")
    assert third.post("/accounts/mfa/", {"code": codes[3]}).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_verified", details__method="recovery_code").count() == 1


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock_out(cast, settings):
    enrol_second_factor(cast.case_worker_a.user)
    client = password_login("worker.a@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/mfa/", {"code": "000000"}).status_code == 200
    locked = client.post("/accounts/mfa/", {"code": "000000"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == settings.AXES_FAILURE_LIMIT
    # The password alone no longer opens the account either.
    response = Client().post("/accounts/login/", {"username": "worker.a@example.org", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_step_up_asks_again_when_the_last_code_is_old(cast, settings):
    client = client_for(cast.case_worker_a)
    session = client.session
    session[MFA_AT] = time.time() - settings.CTIP_STEP_UP_SECONDS - 1
    session.save()
    response = client.post("/accounts/mfa/recovery-codes/")
    assert response["Location"] == "/accounts/mfa/?next=%2Faccounts%2Fmfa%2Frecovery-codes%2F&step_up=1"
    assert not AuditEvent.objects.filter(action="auth.recovery_codes_regenerated").exists()
    device = TotpDevice.objects.get(user=cast.case_worker_a.user)
    client.post("/accounts/mfa/", {"code": current_code(device)})
    fresh = client.post("/accounts/mfa/recovery-codes/")
    assert fresh.status_code == 200
    assert len(fresh.context["codes"]) == 10


@pytest.mark.django_db
def test_a_fresh_second_factor_is_not_asked_again(cast):
    client = client_for(cast.case_worker_a)
    assert client.post("/accounts/mfa/recovery-codes/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_cannot_use_the_api(cast):
    client = client_for(cast.case_worker_a, second_factor=False)
    enrol_second_factor(cast.case_worker_a.user)
    assert client.get("/api/v1/me/").status_code == 401
    assert client_for(cast.case_worker_a).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_logout_and_language_work_before_the_second_factor(cast):
    client = password_login("worker.a@example.org")
    assert client.post("/language/", {"language": "ky", "next": "/accounts/mfa/setup/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_the_authenticator(cast):
    original = enrol_second_factor(cast.case_worker_a.user)
    client = password_login("worker.a@example.org")
    response = client.get("/accounts/mfa/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/?next=%2Faccounts%2Fmfa%2Fsetup%2F")
    assert client.post("/accounts/mfa/setup/", {"code": "123456"}).status_code == 302
    assert list(TotpDevice.objects.filter(user=cast.case_worker_a.user)) == [original]
    assert client.get("/orgs/").status_code == 302


@pytest.mark.django_db
def test_a_verified_person_can_move_to_a_new_phone(cast):
    client = client_for(cast.case_worker_a)
    old = TotpDevice.objects.get(user=cast.case_worker_a.user)
    assert client.get("/accounts/mfa/setup/").status_code == 200
    new = TotpDevice.objects.get(user=cast.case_worker_a.user, confirmed=False)
    assert client.post("/accounts/mfa/setup/", {"code": current_code(new)}).status_code == 200
    assert list(TotpDevice.objects.filter(user=cast.case_worker_a.user)) == [new]
    assert not TotpDevice.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_system_administrator_resets_a_lost_second_factor(cast):
    from ctip.conftest import logged_in

    enrol_second_factor(cast.case_worker_a.user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = logged_in(admin).post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [cast.case_worker_a.user.pk]},
    )
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=cast.case_worker_a.user).exists()
    assert AuditEvent.objects.get(action="auth.mfa_reset").actor == admin
    after = password_login("worker.a@example.org").get("/orgs/")
    assert after["Location"] == "/accounts/mfa/setup/?next=%2Forgs%2F"
