"""What the browser tests share: Debian's Chromium driven through Playwright against a live server.

``fixtures`` is a pytest plugin (the browser, fresh contexts, pages): a test module names it with
``pytest_plugins = ("ctip.e2e.fixtures",)`` and must not import it, so that pytest loads it itself. ``pages`` holds
the helpers the tests import (logging in, choosing a language, interface text in a language, screenshots).

Each test makes its own people and organisations (live-server tests run on a transactional database) and opens
fresh browser contexts, so no cookie or session leaks from one test into the next.

``CTIP_REQUIRE_E2E=1`` turns a missing browser into a failure instead of a skip (CI sets it).
``CTIP_E2E_SCREENSHOTS=DIR`` keeps a full-page screenshot of each step a test names with ``snap`` (for looking at
the pages in every language); without it ``snap`` does nothing.
"""
