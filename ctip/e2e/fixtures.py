"""The browser tests' fixtures, loaded as a pytest plugin: ``pytest_plugins = ("ctip.e2e.fixtures",)``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ctip.e2e.pages import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, OpenPage, unavailable

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev requirements install it; the ``browser`` fixture then skips
    sync_playwright = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer


# --- Fixtures ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API keeps an event loop in this thread; Django would refuse ORM calls (the factories, the
    # database flush after each test) while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed: None) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if sync_playwright is None:
        unavailable("Playwright for Python is not installed (pip install -r requirements/dev-lock.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[OpenPage]:
    """Open a page in a new browser context: no cookies, and the browser's languages set by ``locale``."""
    contexts = []

    def open_page(locale: str = "en-US") -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    return open_page()
