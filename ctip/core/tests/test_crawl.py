"""Every link ctip shows leads somewhere its reader may go: a crawl of the demo as each of its people.

For each demo login (and, for a person with several memberships, for each organisation they act for) the crawl
starts at the home page and follows every same-site ``<a href>`` breadth first, GET only (never a form), each
address once. A link answering 403 is a link the page should not have shown, one answering 404 leads nowhere (or to
a record the reader may not know of), and a 5xx is a bug. Run it alone with ``pytest -m crawl``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings

from ctip.accounts.models import User
from ctip.conftest import logged_in
from ctip.demo import data
from ctip.demo.services import demo_load
from ctip.orgs.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

# A login that reaches this many pages is not being crawled through: raise it, or find the link that multiplies.
# The demo's busiest logins (the coordinator, the shelter's supervisor) open about 400 pages.
PAGES_PER_LOGIN = 600

# Not followed: leaving the session or the site's language, files served as they are, and the OpenAPI schema (the
# same document for everyone, costly to build, and linked for machines).
SKIP_PREFIXES = ("/accounts/logout/", "/language/", "/static/", "/media/", "/api/v1/schema/")
# Opened but not crawled through: Django's own admin, whose links its own permission hooks decide (and whose sorting
# and filter links multiply without end).
LEAF_PREFIXES = ("/admin/",)


def _logins() -> list[tuple[str, str | None]]:
    """Return (e-mail, organisation code) for every demo login; the system administrator acts for none."""
    logins: list[tuple[str, str | None]] = [(data.ADMIN_EMAIL, None)]
    for local, _name, memberships in data.PEOPLE:
        logins += [(data.email(local), code) for code, _roles in memberships]
    return logins


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the demo once, configured as ``make demo`` runs it, inside a transaction rolled back at the end."""
    demo_settings = override_settings(
        CTIP_IDENTIFICATION_BODIES=[data.IDENTIFICATION_BODY],
        CTIP_COORDINATING_BODIES=[data.COORDINATING_BODY],
        # Nobody logs in with a password here; hashing the demo's nineteen slowly would only cost time.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with demo_settings, django_db_blocker.unblock(), transaction.atomic():
        assert demo_load() is True
        yield
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Link:
    page: str
    target: str
    status: int

    def __str__(self) -> str:
        return f"{self.status} {self.target}  (linked from {self.page})"


@dataclass
class Crawl:
    pages: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # address → status
    linked_from: dict[str, list[str]] = field(default_factory=dict)  # address → pages showing a link to it
    redirected_from: dict[str, list[str]] = field(default_factory=dict)  # address → addresses redirecting to it

    def links(self, *statuses: int, server_errors: bool = False) -> list[Link]:
        """Return every link (page, target) whose target answered one of the statuses (or 5xx).

        A link that redirects counts as a link to where it ends: the person clicked it and landed there.
        """
        return [
            Link(page, target, status)
            for target, status in self.statuses.items()
            if status in statuses or (server_errors and status >= 500)
            for page in self._pages_leading_to(target, set())
        ]

    def _pages_leading_to(self, address: str, walked: set[str]) -> list[str]:
        walked.add(address)
        pages = list(self.linked_from.get(address, []))
        for source in self.redirected_from.get(address, []):
            if source not in walked:
                pages += self._pages_leading_to(source, walked)
        return pages


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith("#"):
            self.hrefs.append(href)


def _address(page: str, href: str) -> str | None:
    """Return the link's address on this site (path and query), or None for another site or an address skipped.

    Where to go after a login or a choice (``next``) makes no other page: one visit covers every ``next``.
    """
    parts = urlsplit(urljoin(f"http://testserver{page}", href))
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"])
    return parts.path + (f"?{query}" if query else "")


def _links_on(address: str, response: HttpResponse) -> list[str]:
    """Return the addresses a response leads to: its redirect, or the links of its HTML (an error page's too)."""
    if response.status_code in {301, 302, 303, 307, 308}:
        hrefs = [response["Location"]]
    elif response["Content-Type"].startswith("text/html") and not address.startswith(LEAF_PREFIXES):
        parser = _Anchors()
        parser.feed(response.content.decode())
        hrefs = parser.hrefs
    else:
        hrefs = []
    return [target for target in (_address(address, href) for href in hrefs) if target is not None]


def crawl(client: Client, start: str = "/") -> Crawl:
    """Follow every link from ``start`` breadth first, each address once, up to ``PAGES_PER_LOGIN`` pages."""
    found = Crawl()
    queue = deque([start])
    seen = {start}
    while queue and found.pages < PAGES_PER_LOGIN:
        address = queue.popleft()
        response = client.get(address)
        found.pages += 1
        found.statuses[address] = response.status_code
        redirect = response.status_code in {301, 302, 303, 307, 308}
        for target in _links_on(address, response):
            (found.redirected_from if redirect else found.linked_from).setdefault(target, []).append(address)
            if target not in seen:
                seen.add(target)
                queue.append(target)
        response.close()
    return found


def _client(email: str, code: str | None) -> Client:
    if code is None:
        return logged_in(User.objects.get(email=email))
    membership = Membership.objects.get(user__email=email, organisation__code=code)
    return logged_in(membership.user, membership=membership)


@pytest.mark.parametrize(("email", "code"), _logins())
def test_every_link_a_demo_user_is_shown_opens(demo: None, email: str, code: str | None) -> None:
    found = crawl(_client(email, code))

    assert found.pages < PAGES_PER_LOGIN, f"{email} ({code}): the crawl stopped at {found.pages} pages"
    broken = found.links(403, 404, server_errors=True)
    assert broken == [], f"{email} ({code}): {len(broken)} links refused, missing or failing:\n" + "\n".join(
        map(str, broken)
    )


def test_a_link_that_redirects_to_a_refusal_counts_as_a_link_to_it() -> None:
    found = Crawl(
        statuses={"/": 200, "/a/": 302, "/b/": 403, "/c/": 500, "/d/": 404},
        linked_from={"/a/": ["/"], "/c/": ["/", "/a/"], "/d/": ["/"]},
        redirected_from={"/b/": ["/a/"]},
    )
    assert [str(link) for link in found.links(403, server_errors=True)] == [
        "403 /b/  (linked from /)",
        "500 /c/  (linked from /)",
        "500 /c/  (linked from /a/)",
    ]
    assert found.links(404) == [Link("/", "/d/", 404)]


def test_only_same_site_addresses_are_followed_and_next_does_not_make_another_page() -> None:
    assert _address("/plans/", "actions/3/") == "/plans/actions/3/"
    assert _address("/plans/", "/accounts/organisation/?next=%2Fplans%2F&x=1") == "/accounts/organisation/?x=1"
    assert [_address("/", href) for href in ("https://example.org/", "mailto:a@b.kg", "/static/ctip/ctip.css")] == [
        None,
        None,
        None,
    ]
