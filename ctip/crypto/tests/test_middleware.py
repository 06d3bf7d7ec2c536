from __future__ import annotations

import pytest
from django.test import RequestFactory

from ctip.audit.models import AuditEvent
from ctip.crypto.cipher import DecryptionError
from ctip.crypto.middleware import DecryptionFailureMiddleware


def _raise(request):
    raise DecryptionError("ciphertext for testapp.specimen.name failed authentication")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "kind"), [("/cases/1/", "text/html"), ("/api/v1/cases/1/", "application/json")])
def test_a_value_that_does_not_decrypt_gives_an_error_page_a_log_line_and_an_audit_event(cast, path, kind, caplog):
    request = RequestFactory().get(path)
    request.user = cast.case_worker_a.user
    request.membership = cast.case_worker_a
    middleware = DecryptionFailureMiddleware(_raise)
    try:
        _raise(request)
    except DecryptionError as error:
        response = middleware.process_exception(request, error)
    assert response.status_code == 500
    assert response["Content-Type"].startswith(kind)
    assert b"ctip1$" not in response.content
    event = AuditEvent.objects.get(action="crypto.decryption_failed")
    assert event.actor == cast.case_worker_a.user
    assert event.organisation == cast.org_a
    assert event.details["path"] == path
    assert "decryption failed" in caplog.text


def test_other_errors_pass_through():
    request = RequestFactory().get("/")
    assert DecryptionFailureMiddleware(_raise).process_exception(request, ValueError("x")) is None
