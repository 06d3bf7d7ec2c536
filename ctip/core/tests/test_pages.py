from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from ctip.orgs.roles import Role
from ctip.testing import member


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(db):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@pytest.mark.django_db
def test_every_page_needs_a_login(db):
    for path in ["/", "/orgs/", "/orgs/members/", "/accounts/organisation/", "/accounts/password/change/"]:
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next="), path


@pytest.mark.django_db
def test_an_unknown_page_is_a_404_in_the_users_language(db):
    response = Client(headers={"Accept-Language": "ky"}).get("/no/such/page/")
    assert response.status_code == 404
    assert '<html lang="ky">' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_for_a_member_is_a_404_in_their_language(cast, as_member):
    client = as_member(cast.case_worker_a)
    client.post("/language/", {"language": "ru"})
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()
    assert response.context["title"] == "Страница не найдена"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        (Role.COORDINATOR, "coordinate the national Program", "Members"),
        (Role.ORG_ADMIN, "manage who works in ctip", "coordinate the national Program"),
        (Role.INVESTIGATOR, "record investigations", "Members"),
        (Role.VIEWER, "read what your organisation shares", "Members"),
    ],
)
def test_the_home_page_speaks_to_the_role(cast, as_member, role, sees, does_not_see):
    client = as_member(member(cast.org_a, role))
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = body.split('<main id="main"', 1)[1]
    assert sees in main
    assert does_not_see not in main


@pytest.mark.django_db
def test_the_header_always_shows_the_acting_organisation(cast, as_member):
    body = as_member(cast.case_worker_b).get("/orgs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'data-testid="acting-org".*?<strong>Police B</strong>', body, re.S)


def test_no_asset_comes_from_the_internet():
    package = Path(settings.LOCALE_PATHS[0]).parent
    external = re.compile(r"""(src|href)=["']?(https?:)?//""")
    offenders = [str(p) for p in package.rglob("*.html") if external.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.django_db
def test_static_files_are_served_by_ctip_itself(db):
    for path in ["/static/ctip/ctip.css", "/static/vendor/htmx/htmx.min.js"]:
        response = Client().get(path)
        assert response.status_code == 200, path
