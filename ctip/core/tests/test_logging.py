from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

from ctip.core.logging import RequestIdFilter


@pytest.mark.django_db
def test_log_lines_are_json_and_carry_the_request_id(db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get("/api/v1/no-such-thing/", headers={"X-Request-ID": "req-12345678"})
    assert response["X-Request-ID"] == "req-12345678"
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)
    line = json.loads(
        JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s", timestamp="time").format(record)
    )
    assert line["request_id"] == "req-12345678"
    assert line["levelname"] == "WARNING"
    assert "/api/v1/no-such-thing/" in line["request"]
    assert line["time"].endswith("+00:00")


def test_a_hostile_request_id_is_replaced(db):
    response = Client().get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no trusted proxy: the header is the client's word, ignored
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the proxy appended the address it saw
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "not-an-address", None),
    ],
)
def test_the_audit_trail_records_the_clients_address_behind_trusted_proxies(cast, settings, hops, forwarded, expected):
    from ctip.audit.models import AuditEvent
    from ctip.testing import PASSWORD

    settings.CTIP_PROXY_COUNT = hops
    Client(REMOTE_ADDR="127.0.0.1").post(
        "/accounts/login/",
        {"username": "viewer.a@example.org", "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded},
    )
    assert AuditEvent.objects.get(action="auth.login").ip == expected
