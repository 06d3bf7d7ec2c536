"""Every route that takes a parameter is either in the access matrix below or exempt with a reason.

For each route in the matrix the same request is made as: nobody (anonymous), a member of another organisation,
a member of the right organisation without the role, and a permitted member. The first three must be refused —
login, 404 (exactly like a missing record) and 403 — and must change nothing but the audit row of the refusal, which
a missing record gets too, the same one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ctip.audit.models import AuditEvent
from ctip.conftest import Cast, client_for
from ctip.orgs.models import Membership, MembershipRole
from ctip.screening.tests.factories import make_screening
from ctip.testing import Route

CORE_ROUTES: dict[str, Route] = {
    "orgs:member_edit": Route(
        target=lambda c: c.viewer_a,
        permitted="admin_a",
        without_role="case_worker_a",
        methods=("get", "post"),
        data={"roles": ["viewer", "analyst"]},
    ),
    "orgs:member_set_active": Route(
        target=lambda c: c.viewer_a,
        permitted="admin_a",
        without_role="case_worker_a",
        methods=("post",),
        data={"active": "0"},
    ),
    "api:membership-detail": Route(target=lambda c: c.viewer_a, permitted="admin_a", without_role="case_worker_a"),
    # A screening is known only inside its organisation; there, case workers and supervisors read it (audited).
    "api:screening-detail": Route(
        target=lambda c: make_screening(c.case_worker_a), permitted="case_worker_a", without_role="viewer_a"
    ),
    "screening:detail": Route(
        target=lambda c: make_screening(c.case_worker_a), permitted="case_worker_a", without_role="viewer_a"
    ),
    "screening:close": Route(
        target=lambda c: make_screening(c.case_worker_a),
        permitted="case_worker_a",
        without_role="viewer_a",
        methods=("post",),
    ),
    "screening:pdf": Route(
        target=lambda c: make_screening(c.case_worker_a), permitted="case_worker_a", without_role="viewer_a"
    ),
    # The directory of organisations is open to every member of every organisation.
    "api:organisation-detail": Route(
        target=lambda c: c.org_a,
        permitted="case_worker_a",
        without_role=None,
        outsider_status=200,
    ),
}


def _app_routes() -> dict[str, Route]:
    """Each app lists its own routes as ``ROUTES`` in ``ctip/<app>/tests/routes.py`` (or ``routes_*.py``)."""
    found: dict[str, Route] = {}
    for config in apps.get_app_configs():
        tests = Path(config.path) / "tests"
        if not config.name.startswith("ctip.") or not tests.is_dir():
            continue
        for file in sorted(tests.glob("routes*.py")):
            module = importlib.import_module(f"{config.name}.tests.{file.stem}")
            found.update(module.ROUTES)
    return found


MATRIX: dict[str, Route] = {**CORE_ROUTES, **_app_routes()}

EXEMPT = {
    "accounts:password_reset_confirm": "one-time link; the token is the credential",
    "admin:*": "Django admin: system administrators only (is_staff), audited by AuditedModelAdmin",
    "django.views.static.serve": "static files",
    "plans:public_program": "public page: published programs and accepted progress only (plans/tests/test_public.py)",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.name or p.lookup_str}", p


def _parameterised_routes() -> list[str]:
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if pattern.pattern.regex.groups:
            names.append(name)
    return sorted(set(names))


def _exempt(name: str) -> bool:
    return name in EXEMPT or any(k.endswith(":*") and name.startswith(k[:-1]) for k in EXEMPT)


def test_every_route_with_a_parameter_is_in_the_matrix_or_exempt():
    missing = [n for n in _parameterised_routes() if n not in MATRIX and not _exempt(n)]
    assert missing == [], f"add these routes to MATRIX in {__file__}: {missing}"


def test_the_matrix_names_only_routes_that_exist():
    assert set(MATRIX) <= set(_parameterised_routes())


def _snapshot() -> tuple[Any, ...]:
    return (
        # Records of the access itself (logins, token use, later denied accesses) are expected; changes are not.
        AuditEvent.objects.exclude(action__startswith="auth.")
        .exclude(action__in=["api_token.use", "access.denied"])
        .count(),
        list(Membership.objects.order_by("pk").values_list("pk", "is_active")),
        list(MembershipRole.objects.order_by("pk").values_list("membership_id", "role")),
        len(mail.outbox),
    )


def _request(
    client: Client, method: str, name: str, pk: Any, data: dict[str, Any], token: str | None = None, route=None
):
    kwargs = route.kwargs(pk) if route is not None and route.kwargs else {"pk": pk}
    url = reverse(name, kwargs=kwargs)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data, headers=headers) if method == "post" else client.get(url, headers=headers)


def _client(cast: Cast, who: str | None, *, api: bool) -> tuple[Client, str | None]:
    if who is None:
        return Client(), None
    membership: Membership = getattr(cast, who)
    if api:
        from ctip.accounts.services import token_issue

        _, token = token_issue(by=None, membership_id=membership.pk)
        return Client(), token
    return client_for(membership), None


WHO = ["anonymous", "other_org", "without_role", "permitted"]
CASES = [
    (name, method, who)
    for name, route in MATRIX.items()
    for method in route.methods
    for who in WHO
    if not (who == "without_role" and route.without_role is None)  # every member may: no role to lack
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "who"), CASES)
def test_access_matrix(cast, name, method, who):
    route = MATRIX[name]
    api = name.startswith("api:")
    obj = route.target(cast)
    member = {
        "anonymous": None,
        "other_org": "admin_b",
        "without_role": route.without_role,
        "permitted": route.permitted,
    }[who]
    client, token = _client(cast, member, api=api)
    before = _snapshot()
    response = _request(client, method, name, obj.pk, route.data, token, route)
    if who == "permitted":
        assert response.status_code in route.ok_status
        return
    expected = {
        "anonymous": 401 if api else 302,
        "other_org": route.outsider_status,
        "without_role": 403,
    }[who]
    assert response.status_code == expected
    if expected in (200, 302) and who != "anonymous":
        return
    if who != "anonymous":
        denial = AuditEvent.objects.filter(action="access.denied").latest("id")
        assert denial.details["status"] == expected
        assert denial.details["object_id"] == str(obj.pk)
        assert denial.actor == getattr(cast, member).user
    if who == "anonymous" and not api:
        assert response["Location"].startswith("/accounts/login/")
    assert _snapshot() == before
    if expected == 404:
        denials = AuditEvent.objects.filter(action="access.denied")
        last = denials.latest("id").pk
        missing = _request(client, method, name, 987654, route.data, token, route)
        assert missing.status_code == 404
        assert _shape(missing, api) == _shape(response, api)
        # The refused organisation's trail must not tell a missing record from a forbidden one either.
        assert [_trace(e) for e in denials.filter(pk__gt=last)] == [
            {**_trace(denial), "details": {**denial.details, "object_id": "987654"}}
        ]


def _trace(event: AuditEvent) -> dict[str, Any]:
    """Return what an audit row of a refusal says, minus what differs per request."""
    return {
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "object": (event.object_type, event.object_id),
        "reason": event.reason,
        "details": event.details,
    }


def _shape(response: Any, api: bool) -> Any:
    """Return what a 404 tells the caller, minus what differs per request."""
    if api:
        return {k: v for k, v in response.json()["error"].items() if k != "request_id"}
    return (response.context["title"], response.context["message"], response.templates[0].name)
