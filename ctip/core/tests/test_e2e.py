"""End to end: Debian's Chromium, driven through Playwright, against a live server.

Each test makes its own people and organisations (live-server tests run on a transactional database) and opens
fresh browser contexts, so no cookie or session leaks from one test into the next. Pages are reached the way a
person reaches them: by typing into the login form, clicking the header's buttons and links.

Most expected interface text is looked up in Django's catalogues for the language the page is in, so a change of
wording does not break these tests; a few Kyrgyz and Russian strings are written out, to show that the page really
speaks that language. The people here hold roles that need no second factor: these tests are about logging in,
languages and organisations.
"""

from __future__ import annotations

import re
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ctip.accounts.middleware import AUTH_AT, SEEN_AT
from ctip.e2e.pages import expect, expect_language, fill_login, log_in, log_out, login_url, url
from ctip.e2e.pages import ui_text as _text
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role
from ctip.testing import OrganisationFactory, enrol_second_factor, member

pytest_plugins = ("ctip.e2e.fixtures",)  # the browser, open_page and page fixtures


def _role_home(language: str, membership: Membership, role: str) -> str:
    """Return what the home page says about the role, in the language (organisation names are per language)."""
    with translation.override(language):
        sentence = translation.gettext("You are working as %(role)s for %(org)s.")
        return sentence % {"role": Role(role).label, "org": membership.organisation.name}


# --- Fixtures ---------------------------------------------------------------------------------------------------
@pytest.fixture
def shelter(transactional_db: None) -> Organisation:
    return OrganisationFactory(code="shelter-a", name_en="Shelter A", name_ru="Приют А", name_ky="А баш калкалоочу жай")


@pytest.fixture
def police(transactional_db: None) -> Organisation:
    return OrganisationFactory(code="police-b", name_en="Police B", name_ru="Полиция Б", name_ky="Б милициясы")


@pytest.fixture
def admin(shelter: Organisation) -> Membership:
    """An organisation administrator gives roles, so logs in with a second factor."""
    membership = member(shelter, Role.ORG_ADMIN, email="admin.a@example.org")
    enrol_second_factor(membership.user)
    return membership


# --- Tests ------------------------------------------------------------------------------------------------------
@pytest.mark.e2e
def test_a_wrong_password_is_refused_and_the_right_one_opens_the_role_home(page, live_server, admin):
    log_in(page, admin.user.email, "not the password")

    expect(page.get_by_role("alert")).to_contain_text(_text("en", "The e-mail or password is not correct."))
    expect(page).to_have_url(url(live_server, login_url()))
    expect(page.locator('input[name="username"]')).to_have_value(admin.user.email)
    expect(page.locator('input[name="password"]')).to_have_value("")
    expect(page.get_by_test_id("acting-org")).to_have_count(0)

    fill_login(page, admin.user.email, second_factor=True)

    expect(page).to_have_url(url(live_server, "/"))
    expect(page.get_by_test_id("role-home")).to_have_text(_role_home("en", admin, Role.ORG_ADMIN))
    acting = page.get_by_test_id("acting-org")
    expect(acting).to_contain_text("Shelter A")
    expect(acting.get_by_role("link")).to_have_count(0)  # one membership: nothing to switch to


@pytest.mark.e2e
def test_russian_is_the_language_when_the_browser_asks_for_none_ctip_speaks(open_page, transactional_db):
    page = open_page(locale="de-DE")
    page.goto(reverse("accounts:login"))
    expect_language(page, "ru")
    expect(page.locator("main form button[type=submit]")).to_have_text("Войти")  # "Log in"


@pytest.mark.e2e
def test_the_chosen_language_is_remembered_in_the_browser_and_on_the_account(open_page, live_server, admin):
    page = open_page(locale="en-US")
    log_in(page, admin.user.email, second_factor=True)
    expect(page).to_have_url(url(live_server, "/"))
    expect_language(page, "en")

    page.get_by_role("button", name="Кыргызча").click()

    expect_language(page, "ky")
    expect(page).to_have_url(url(live_server, "/"))  # back where the switch was made
    acting = page.get_by_test_id("acting-org")
    expect(acting).to_contain_text("Атынан иштейт")  # "Acting for"
    expect(acting).to_contain_text("А баш калкалоочу жай")  # the organisation's own Kyrgyz name
    expect(page.locator("h2#work-heading")).to_have_text("ctip системасындагы ишиңиз")  # "Your work in ctip"
    expect(page.get_by_test_id("role-home")).to_have_text(_role_home("ky", admin, Role.ORG_ADMIN))

    page.reload()
    expect_language(page, "ky")
    expect(page.locator("header")).to_contain_text("Чыгуу")  # "Log out"
    page.goto(reverse("orgs:directory"))
    expect_language(page, "ky")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "ky"
    admin.user.refresh_from_db()
    assert admin.user.language == "ky"

    log_out(page)
    expect(page).to_have_url(url(live_server, login_url()))

    # Another browser, which asks for English and has never seen ctip: the account's choice wins after login.
    elsewhere = open_page(locale="en-US")
    elsewhere.goto(reverse("accounts:login"))
    expect_language(elsewhere, "en")
    fill_login(elsewhere, admin.user.email, second_factor=True)
    expect(elsewhere).to_have_url(url(live_server, "/"))
    expect_language(elsewhere, "ky")
    expect(elsewhere.get_by_test_id("acting-org")).to_contain_text("А баш калкалоочу жай")
    expect(elsewhere.locator("h2#work-heading")).to_have_text("ctip системасындагы ишиңиз")


@pytest.mark.e2e
def test_a_member_of_two_organisations_chooses_and_switches(page, live_server, shelter, police):
    in_shelter = member(shelter, Role.VIEWER, email="both@example.org")
    in_police = member(police, Role.ORG_ADMIN, user=in_shelter.user)
    enrol_second_factor(in_shelter.user)
    choose = reverse("accounts:choose_organisation")

    log_in(page, "both@example.org", second_factor=True)

    # The picker keeps where the user was going (the home page), however the address escapes it.
    back_home = re.compile(re.escape(url(live_server, choose)) + r"\?next=(/|%2F)$")
    expect(page).to_have_url(back_home)
    expect(page.get_by_test_id("acting-org")).to_have_count(0)
    expect(page.locator('main input[type="radio"]')).to_have_count(2)
    page.get_by_label("Police B").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(url(live_server, "/"))
    acting = page.get_by_test_id("acting-org")
    expect(acting).to_contain_text("Police B")
    expect(page.get_by_test_id("role-home")).to_have_text(_role_home("en", in_police, Role.ORG_ADMIN))

    acting.get_by_role("link", name=_text("en", "Switch organisation")).click()

    expect(page).to_have_url(back_home)
    page.get_by_label("Shelter A").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(url(live_server, "/"))
    expect(acting).to_contain_text("Shelter A")
    expect(acting).not_to_contain_text("Police B")
    expect(page.get_by_test_id("role-home")).to_have_text(_role_home("en", in_shelter, Role.VIEWER))


@pytest.mark.e2e
def test_after_logging_out_the_home_page_asks_for_a_login(page, live_server, admin):
    log_in(page, admin.user.email, second_factor=True)
    expect(page.get_by_test_id("role-home")).to_be_visible()

    log_out(page)

    expect(page).to_have_url(url(live_server, login_url()))
    page.goto("/")
    expect(page).to_have_url(url(live_server, login_url("/")))
    expect(page.get_by_test_id("acting-org")).to_have_count(0)
    expect(page.locator('main input[name="password"]')).to_be_visible()


@pytest.mark.e2e
def test_without_a_session_a_page_asks_for_a_login_and_then_opens(page, live_server, admin):
    directory = reverse("orgs:directory")
    page.goto(directory)

    expect(page).to_have_url(url(live_server, login_url(directory)))
    fill_login(page, admin.user.email, second_factor=True)

    expect(page).to_have_url(url(live_server, directory))
    expect(page.locator("main table")).to_contain_text("shelter-a")
    expect(page.get_by_test_id("acting-org")).to_contain_text("Shelter A")


@pytest.mark.e2e
def test_an_expired_session_asks_for_a_login_and_then_returns_to_the_page(page, live_server, admin):
    directory = reverse("orgs:directory")
    log_in(page, admin.user.email, second_factor=True)
    expect(page.get_by_test_id("role-home")).to_be_visible()

    # Leave the browser idle past the limit, as far as the server can tell.
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    now = time.time()
    session[SEEN_AT] = now - settings.CTIP_SESSION_IDLE_SECONDS - 60
    session[AUTH_AT] = now - settings.CTIP_SESSION_IDLE_SECONDS - 60
    session.save()

    page.goto(directory)

    expect(page).to_have_url(url(live_server, login_url(directory)))
    expect(page.locator("main .messages")).to_contain_text(
        _text("en", "Your session has expired. Please log in again.")
    )
    fill_login(page, admin.user.email, second_factor=True)
    expect(page).to_have_url(url(live_server, directory))
    expect(page.get_by_test_id("acting-org")).to_contain_text("Shelter A")


@pytest.mark.e2e
def test_a_case_worker_enrols_an_authenticator_then_needs_it_at_the_next_login(page, live_server, shelter):
    from ctip.accounts.models import TotpDevice

    worker = member(shelter, Role.CASE_WORKER, email="worker@example.org")
    page.goto(url(live_server, "/orgs/"))
    fill_login(page, worker.user.email)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next=%2Forgs%2F$"))
    expect(page.locator(".qr svg")).to_be_visible()
    device = TotpDevice.objects.get(user=worker.user, confirmed=False)
    page.get_by_role("textbox", name=_text("en", "Code")).fill(device.current_code())
    page.get_by_role("button", name=_text("en", "Confirm")).click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name=_text("en", "I have kept them — continue")).click()
    expect(page).to_have_url(url(live_server, "/orgs/"))
    log_out(page)

    fill_login(page, worker.user.email)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
    page.get_by_role("textbox", name=_text("en", "Code")).fill("000000")
    page.get_by_role("button", name=_text("en", "Continue")).click()
    expect(page.get_by_text(_text("en", "The code is not correct."))).to_be_visible()
    time.sleep(1.1)  # the device waits a second after a wrong code
    device.refresh_from_db()
    page.get_by_role("textbox", name=_text("en", "Code")).fill(device.current_code())
    page.get_by_role("button", name=_text("en", "Continue")).click()
    expect(page.get_by_test_id("role-home")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_a_screening_interview_from_consent_to_the_saved_record(open_page, live_server, shelter, language):
    from ctip.screening.models import Screening
    from ctip.screening.tests.factories import INDICATED_ADULT, ilo_2009

    ilo_2009()  # a transactional test may have flushed the migrated catalogue
    worker = member(shelter, Role.CASE_WORKER, email=f"worker.{language}@example.org")
    device = enrol_second_factor(worker.user)
    page = open_page({"ky": "ky-KG", "ru": "ru-RU", "en": "en-US"}[language])
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto(url(live_server, "/screening/new/"))
    fill_login(page, worker.user.email)
    page.locator('input[name="code"]').fill(device.current_code())
    page.locator('main button[type="submit"]').click()
    expect(page).to_have_url(url(live_server, "/screening/new/"))
    expect(page.locator("html")).to_have_attribute("lang", language)

    page.locator('input[name="explained"]').check()
    page.locator('main button[type="submit"]').click()
    expect(page).to_have_url(url(live_server, "/screening/new/interview/"))
    page.locator('input[name="age"]').fill("29")
    page.locator('input[name="age"]').dispatch_event("change")
    for code in INDICATED_ADULT:
        page.locator(f'input[name="i_{code}"]').check()
    verdict = _text(language, "Indicators of trafficking are present.")
    expect(page.get_by_test_id("outcome")).to_contain_text(verdict)  # shown before saving (htmx)
    assert Screening.objects.count() == 0
    page.locator('button[name="save"]').click()
    expect(page).to_have_url(re.compile(r"/screening/\d+/$"))
    saved = Screening.objects.get()
    expect(page.locator("h1")).to_contain_text(saved.reference)
    expect(page.get_by_test_id("outcome")).to_contain_text(verdict)
    assert saved.outcome == "trafficking_indicated"
