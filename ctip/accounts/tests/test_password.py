from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from ctip.audit.models import AuditEvent

NEW = "a new and long enough passphrase"


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_email_end_to_end(cast):
    client = Client(headers={"Accept-Language": "en"})
    response = client.post("/accounts/password/reset/", {"email": "worker.a@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/password/reset/done/"
    assert client.post("/accounts/login/", {"username": "worker.a@example.org", "password": NEW}).status_code == 302
    assert AuditEvent.objects.filter(action="user.set_password", object_id=str(cast.case_worker_a.user.pk)).exists()
    # The link works once.
    assert Client().get(link, follow=True).context["validlink"] is False


@pytest.mark.django_db(transaction=True)
def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(db):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_with_the_field_named(cast, as_member):
    client = as_member(cast.case_worker_a)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "correct horse battery staple", "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    assert not AuditEvent.objects.filter(action="user.set_password").exists()


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(cast):
    assert cast.case_worker_a.user.password.startswith("argon2$")


@pytest.mark.django_db(transaction=True)
def test_the_task_queue_never_holds_a_working_link(cast, settings):
    """In production mail goes through a database queue: what is queued must not open the account."""
    from django_tasks.backends.dummy import DummyBackend  # noqa: F401  (the backend that only records)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    Client().post("/accounts/password/reset/", {"email": "worker.a@example.org"})
    queued = default_task_backend.results
    assert len(queued) == 1
    assert queued[0].kwargs == {"user_id": cast.case_worker_a.user.pk, "base_url": "http://testserver", "kind": "reset"}
    assert mail.outbox == []
