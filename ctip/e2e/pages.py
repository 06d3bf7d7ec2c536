"""Helpers of the browser tests: logging in, languages, interface text, screenshots (see ``ctip.e2e``)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ctip.testing import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev requirements install it; the ``browser`` fixture then skips
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Long enough for an Argon2 login on a slow CI machine, short enough that a broken page fails quickly.
TIMEOUT_MS = 10_000
# The browser's own languages for each of ctip's (what a person's browser in that language would ask for).
BROWSER_LOCALES = {"ky": "ky-KG", "ru": "ru-RU", "en": "en-US"}

OpenPage = Callable[..., "Page"]


def unavailable(reason: str) -> None:
    """Skip the test because the browser cannot run, or fail it when ``CTIP_REQUIRE_E2E=1``."""
    if os.environ.get("CTIP_REQUIRE_E2E") == "1":
        pytest.fail(f"CTIP_REQUIRE_E2E=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def ui_text(language: str, message: str, **params: object) -> str:
    """Return the interface text the page shows for a message in a language (the msgid if not translated)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


# --- Helpers ----------------------------------------------------------------------------------------------------
def fill_login(page: Page, email: str, password: str = PASSWORD, *, second_factor: bool = False) -> None:
    """Log in on the form; with ``second_factor``, also type the code of the person's authenticator when asked."""
    form = page.locator("main form")
    form.locator('input[name="username"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()
    if second_factor:
        from ctip.accounts.models import TotpDevice
        from ctip.testing import current_code

        expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
        pass_second_factor(page, current_code(TotpDevice.objects.get(user__email=email, confirmed=True)))


def log_in(page: Page, email: str, password: str = PASSWORD, *, second_factor: bool = False) -> None:
    page.goto(reverse("accounts:login"))
    fill_login(page, email, password, second_factor=second_factor)


def log_out(page: Page) -> None:
    page.locator(f'header form[action="{reverse("accounts:logout")}"] button[type="submit"]').click()


def url(live_server: LiveServer, path: str) -> str:
    return str(live_server.url) + path


def login_url(next_path: str | None = None) -> str:
    path = reverse("accounts:login")
    return f"{path}?next={next_path}" if next_path else path


def expect_language(page: Page, language: str) -> None:
    """The page is in the language, and the header's switcher says so."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    for code, _name in settings.LANGUAGES:
        button = page.locator(f'header button[name="language"][value="{code}"]')
        expect(button).to_have_attribute("aria-pressed", "true" if code == language else "false")


def choose_language(page: Page, language: str) -> None:
    """Press the language's button in the header, as a person does, and wait for the page to come back in it."""
    here = page.url
    page.locator(f'header button[name="language"][value="{language}"]').click()
    expect_language(page, language)
    expect(page).to_have_url(re.compile(re.escape(here.split("#")[0]) + "$"))  # back where the switch was made


def snap(page: Page, name: str) -> None:
    """Keep a full-page screenshot as ``CTIP_E2E_SCREENSHOTS/name.png`` when that variable names a folder."""
    folder = os.environ.get("CTIP_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def pass_second_factor(page: Page, code: str) -> None:
    """On the second-factor page (after the password, or a step-up), type the authenticator's code and continue."""
    form = page.locator("main form")
    form.locator('input[name="code"]').fill(code)
    form.locator('button[type="submit"]').click()
