from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_has_an_inline_script(cast, as_member):
    client = as_member(cast.admin_a)
    for path in ["/", "/orgs/", "/orgs/members/", "/accounts/security/"]:
        body = client.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag, (path, tag)


@pytest.mark.django_db
def test_authenticated_pages_are_not_stored(cast, as_member):
    response = as_member(cast.admin_a).get("/orgs/members/")
    cache = {p.strip() for p in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only_where_they_can_be(cast):
    from ctip.testing import PASSWORD

    response = Client().post("/accounts/login/", {"username": "viewer.a@example.org", "password": PASSWORD})
    session = response.cookies["ctip_session"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
