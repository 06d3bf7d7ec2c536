from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from ctip.conftest import logged_in
from ctip.core import modules
from ctip.orgs.roles import Role
from ctip.testing import UserFactory, member


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


# What each installed module offers each role, as the home page says it (English msgids), in menu order.
SCREEN = "You interview people against the indicators of trafficking and see whether to refer them."
ASSIST = "You assist and refer victims, and record the services your organisation gives."
LEGAL_BASIS = "You record the legal basis when a victim is referred, or their case shared, without their consent."
READ_CASES = "You read your organisation's victim cases, without the persons' identities."
SHARED_CASES = "You read the victim cases other organisations share with yours, within the person's consent."
BUILD_PLAN = (
    "You build, approve and publish the national Program and Action Plan, review the agencies' progress reports "
    "and prepare the national report."
)
FILE_REPORTS = "You file your organisation's progress reports on the actions of the plan it takes part in."
ANALYSE = "You file your organisation's progress reports on the plan and prepare the national report."
FOLLOW_PLAN = "You follow the action plan and the progress reported on it."
RUN_COUNCILS = "You run the coordination councils' meetings, record their decisions and follow them up."
DECISIONS = "You report on the council decisions your organisation is responsible for."
ACTIVITIES = "You record your organisation's own activities: who does what where."
COMMITMENTS = "You record donors' commitments to the plan and allocate them to its actions."
DISBURSEMENTS = "You record the disbursements your organisation receives from donors."
FOLLOW_FUNDING = "You follow donors' funding of the plan and where it falls short."
WHOLE_TRAIL = "You read the audit trail of every organisation."
OWN_TRAIL = "You read your organisation's audit trail."
MEMBERS = "You manage who works in ctip for your organisation and what each person may do."


def _work(client: Client) -> list[str]:
    """Return the lines under "Your work in ctip" on the home page."""
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    work = re.search(r'<ul class="work">(.*?)</ul>', body, re.S)
    assert work is not None
    return [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", work.group(1), re.S)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "work"),
    [
        ([Role.COORDINATOR], [BUILD_PLAN, RUN_COUNCILS, COMMITMENTS, WHOLE_TRAIL]),
        ([Role.ORG_ADMIN], [FILE_REPORTS, DECISIONS, DISBURSEMENTS, MEMBERS, OWN_TRAIL]),
        ([Role.CASE_WORKER], [SCREEN, ASSIST]),
        ([Role.SUPERVISOR, Role.CASE_WORKER], [SCREEN, LEGAL_BASIS, ASSIST, FILE_REPORTS, DECISIONS]),
        ([Role.INVESTIGATOR], [SHARED_CASES]),
        ([Role.PROSECUTOR], [SHARED_CASES]),
        ([Role.ANALYST], [READ_CASES, ANALYSE, DECISIONS]),
        ([Role.PARTNER], [FOLLOW_PLAN, ACTIVITIES, FOLLOW_FUNDING]),
        ([Role.VIEWER], [READ_CASES, FOLLOW_PLAN, FOLLOW_FUNDING]),
    ],
)
def test_the_home_page_lists_the_work_the_installed_modules_offer_the_roles(cast, as_member, roles, work):
    assert _work(as_member(member(cast.org_a, *roles))) == work


@pytest.mark.django_db
def test_a_module_that_is_not_installed_adds_no_line_to_the_home_page(cast, as_member, monkeypatch):
    monkeypatch.delitem(modules._registry, "screening")
    assert _work(as_member(cast.case_worker_a)) == [ASSIST]


# Words that name a module's work, and the module that must be installed for a line to say them.
MODULE_WORDS = {
    "screen": "screening",
    "indicators of trafficking": "screening",
    "victim": "cases",
    "refer": "cases",
    "action plan": "plans",
    "progress report": "plans",
    "national report": "plans",
    "council": "coordination",
    "activities": "coordination",
    "donor": "funding",
    "disbursement": "funding",
    "audit trail": "audit.events",
    "who works in ctip": "orgs.members",
    "investigation": "investigations",
    "suspect": "investigations",
    "cooperation request": "investigations",
    "prosecution": "prosecutions",
    "charges": "prosecutions",
    "verdict": "prosecutions",
    "statistic": "statistics",
}


def test_no_line_of_work_names_a_module_that_is_not_installed():
    lines = {str(line) for module in modules._registry.values() for line in module.work.values()}
    named = {(line, MODULE_WORDS[word]) for line in lines for word in MODULE_WORDS if word in line.lower()}
    assert sorted((line, needs) for line, needs in named if needs not in modules._registry) == []
    # The words are really looked for: every line names at least one module.
    assert {line for line, _needs in named} == lines


def test_a_module_offers_work_only_to_roles_that_can_open_it():
    for module in modules._registry.values():
        assert module.roles is None or set(module.work) <= module.roles, module.key


@pytest.mark.django_db
def test_an_account_acting_for_no_organisation_is_offered_no_home_page(db):
    response = logged_in(UserFactory(is_staff=True)).get("/accounts/organisation/")
    body = response.content.decode()
    assert response.status_code == 403  # the home page would send them back here
    assert 'href="/"' not in body
    assert 'href="/admin/"' in body


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
