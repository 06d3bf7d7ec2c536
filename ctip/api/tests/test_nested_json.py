"""Deeply nested JSON bodies are a 400 in the API's error format, never a 500 (issue #10, finding 8)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from ctip.accounts.services import token_issue
from ctip.api.parsers import MAX_DEPTH, JSONParser, nesting_depth
from ctip.audit.models import AuditEvent
from ctip.cases.models import CaseDocument, CaseNote, VictimCase
from ctip.cases.tests.factories import make_case
from ctip.conftest import client_for
from ctip.screening.tests.factories import ilo_2009

TOO_DEEP = {
    "status": 400,
    "code": "nested_too_deeply",
    "message": "The body is nested too deeply: at most 32 levels of arrays and objects are accepted.",
}


def arrays(levels: int) -> str:
    return "[" * levels + "]" * levels


def objects(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


BODIES = [
    pytest.param(arrays(100_000), id="100000-arrays"),
    pytest.param(objects(100_000), id="100000-objects"),
    pytest.param("[" * 100_000, id="100000-never-closed"),
    pytest.param(arrays(5_000), id="5000-arrays"),
    pytest.param(objects(5_000), id="5000-objects"),
    pytest.param(arrays(900), id="900-arrays"),  # Python's decoder still decodes this much
    pytest.param('{"text": "x", "shared": ' + arrays(MAX_DEPTH) + "}", id="33-levels"),
]


def api(membership) -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}, raise_request_exception=False)


def changes() -> tuple[int, int, int, int]:
    return (
        VictimCase.objects.count(),
        CaseNote.objects.count(),
        CaseDocument.objects.count(),
        # Using a token, and opening the case a note or document would go to, are audited before the body is read.
        AuditEvent.objects.exclude(action__in=["api_token.use", "record.read"]).count(),
    )


def assert_too_deep(response) -> None:
    assert response.status_code == 400
    assert response.json() == {"error": {**TOO_DEEP, "request_id": response["X-Request-ID"]}}


# --- The count --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("", 0),
        ("30", 0),
        ('"[[["', 0),
        ("[]", 1),
        ("{}", 1),
        ('{"a": [1, {"b": []}], "c": {}}', 4),
        (r'["]", "\"[", "\\", "{"]', 1),  # brackets, quotes and backslashes inside strings do not count
        ('"never closed [[[[', 0),
        ('[["trailing backslash \\', 2),
        (arrays(MAX_DEPTH), MAX_DEPTH),
        (arrays(100_000), 100_000),
        ("]]][[", 0),  # not JSON: the decoder refuses it
    ],
)
def test_the_depth_is_counted_on_the_text_outside_strings(text, depth):
    assert nesting_depth(text) == depth


# --- Every API door ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/screening/assess", "notes", "documents"])
def test_a_deep_body_is_a_400_in_the_error_format_and_changes_nothing(cast, body, path):
    if path in ("notes", "documents"):
        path = f"/api/v1/cases/{make_case(cast.case_worker_a).pk}/{path}/"
    client = api(cast.case_worker_a)
    before = changes()

    response = client.post(path, body, content_type="application/json")

    assert_too_deep(response)
    assert changes() == before


@pytest.mark.django_db
def test_a_browser_session_gets_the_same_400(cast):
    client = client_for(cast.case_worker_a)
    client.raise_request_exception = False
    before = changes()

    response = client.post("/api/v1/cases/", arrays(100_000), content_type="application/json")

    assert_too_deep(response)
    assert changes() == before


@pytest.mark.django_db
def test_a_body_at_the_limit_is_read(cast):
    case = make_case(cast.case_worker_a)
    body = '{"text": "Called the lawyer.", "ignored": ' + arrays(MAX_DEPTH - 1) + "}"

    response = api(cast.case_worker_a).post(f"/api/v1/cases/{case.pk}/notes/", body, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["text"] == "Called the lawyer."


@pytest.mark.django_db
def test_malformed_json_is_still_a_parse_error(cast):
    response = api(cast.case_worker_a).post("/api/v1/cases/", '{"person": [', content_type="application/json")
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "parse_error")
    assert error["message"] == "JSON parse error: Expecting value: line 1 column 13 (char 12)"


@pytest.mark.django_db
def test_nan_is_not_json(cast):
    response = api(cast.case_worker_a).post("/api/v1/cases/", '{"age": NaN}', content_type="application/json")
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "parse_error")
    assert error["message"] == "JSON parse error: Out of range float values are not JSON compliant: 'NaN'"


@pytest.mark.django_db
def test_the_screening_parser_still_names_a_key_given_twice(cast):
    ilo_2009()
    body = json.dumps({"age": 30, "indicators": []})[:-1] + ', "age": 31}'
    response = api(cast.case_worker_a).post("/api/v1/screening/assess", body, content_type="application/json")
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["fields"] == {"age": ['The key "age" is given twice.']}


# --- No view escapes the parser ---------------------------------------------------------------------------------


def _api_views(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, object]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace == "api" and hasattr(pattern.callback, "cls"):
            yield f"api:{pattern.name}", pattern.callback


def test_every_api_view_reads_json_through_the_depth_limited_parser():
    views = dict(_api_views(get_resolver()))
    json_parsers = {}
    for name, view in views.items():
        cls: type[APIView] = view.cls  # type: ignore[attr-defined]
        parsers = getattr(view, "initkwargs", {}).get("parser_classes", cls.parser_classes)
        json_parsers[name] = [p for p in parsers if "json" in p.media_type]
    assert {"api:screening-assess", "api:case-list", "api:case-care-documents"} <= set(views)
    assert json_parsers["api:case-care-documents"] != []
    assert {
        name: parsers for name, parsers in json_parsers.items() if not all(issubclass(p, JSONParser) for p in parsers)
    } == {}
