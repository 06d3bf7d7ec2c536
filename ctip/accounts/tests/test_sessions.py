from __future__ import annotations

import time

import pytest

from ctip.accounts.middleware import AUTH_AT, SEEN_AT
from ctip.audit.models import AuditEvent


def _age_session(client, *, seen_ago: float, auth_ago: float | None = None) -> None:
    session = client.session
    now = time.time()
    session[SEEN_AT] = now - seen_ago
    session[AUTH_AT] = now - (auth_ago if auth_ago is not None else seen_ago)
    session.save()


@pytest.mark.django_db
def test_an_idle_session_ends_and_login_returns_the_user_where_they_were(cast, as_member, settings):
    client = as_member(cast.admin_a)
    _age_session(client, seen_ago=settings.CTIP_SESSION_IDLE_SECONDS + 5)
    response = client.get("/orgs/members/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/orgs/members/"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.details == {"reason": "idle"}


@pytest.mark.django_db
def test_activity_inside_the_idle_window_keeps_the_session(cast, as_member, settings):
    client = as_member(cast.admin_a)
    _age_session(client, seen_ago=settings.CTIP_SESSION_IDLE_SECONDS - 60)
    assert client.get("/orgs/members/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5


@pytest.mark.django_db
def test_the_absolute_limit_ends_even_an_active_session(cast, as_member, settings):
    client = as_member(cast.admin_a)
    _age_session(client, seen_ago=10, auth_ago=settings.CTIP_SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get("/orgs/members/")
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.session_expired").details == {"reason": "absolute"}


@pytest.mark.django_db
def test_the_idle_limit_is_configurable(cast, as_member, settings):
    settings.CTIP_SESSION_IDLE_SECONDS = 120
    client = as_member(cast.admin_a)
    _age_session(client, seen_ago=121)
    assert client.get("/orgs/members/").status_code == 302


@pytest.mark.django_db
def test_an_htmx_request_with_an_expired_session_redirects_the_whole_page(cast, as_member, settings):
    client = as_member(cast.admin_a)
    _age_session(client, seen_ago=settings.CTIP_SESSION_IDLE_SECONDS + 5)
    response = client.get("/orgs/members/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/orgs/members/"
