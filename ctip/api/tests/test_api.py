from __future__ import annotations

import pytest
from django.test import Client
from rest_framework import exceptions

from ctip.accounts.services import token_issue
from ctip.api.errors import exception_handler
from ctip.testing import OrganisationFactory


def bearer(membership) -> dict[str, str]:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return {"Authorization": f"Bearer {token}"}


ERROR_KEYS = {"status", "code", "message", "request_id"}


@pytest.mark.django_db
def test_anonymous_gets_401_in_the_error_format(db):
    response = Client().get("/api/v1/organisations/")
    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == 401
    assert error["code"] == "not_authenticated"
    assert error["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_an_unknown_api_url_is_404_in_the_error_format(cast):
    response = Client().get("/api/v1/no-such-thing/", headers=bearer(cast.case_worker_a))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_member_without_the_role_gets_403_in_the_error_format(cast):
    response = Client().get("/api/v1/memberships/", headers=bearer(cast.case_worker_a))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_a_wrong_method_is_405_in_the_error_format(cast):
    response = Client().post("/api/v1/organisations/", {}, headers=bearer(cast.case_worker_a))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_validation_errors_name_each_field():
    exc = exceptions.ValidationError({"name": ["This field is required."], "code": ["Too long."]})
    response = exception_handler(exc, {})
    assert response is not None
    error = response.data["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid"
    assert error["message"] == "The request has invalid fields."
    assert error["fields"] == {"name": ["This field is required."], "code": ["Too long."]}


@pytest.mark.django_db
def test_the_organisation_list_is_paginated(cast):
    for _ in range(3):
        OrganisationFactory()
    response = Client().get("/api/v1/organisations/?page_size=2", headers=bearer(cast.case_worker_a))
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 6
    assert body["pages"] == 3
    assert body["page"] == 1
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


@pytest.mark.django_db
def test_inactive_organisations_are_left_out(cast):
    cast.org_b.is_active = False
    cast.org_b.save()
    body = Client().get("/api/v1/organisations/", headers=bearer(cast.case_worker_a)).json()
    assert "police-b" not in [o["code"] for o in body["results"]]


@pytest.mark.django_db
def test_members_list_is_scoped_to_the_acting_organisation(cast):
    body = Client().get("/api/v1/memberships/", headers=bearer(cast.admin_a)).json()
    assert [m["email"] for m in body["results"]] == [
        "admin.a@example.org",
        "viewer.a@example.org",
        "worker.a@example.org",
    ]
    assert body["results"][0]["roles"] == ["org_admin"]


@pytest.mark.django_db
def test_the_browser_session_works_for_the_api_too(cast, as_member):
    response = as_member(cast.case_worker_a).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["organisation"]["code"] == "shelter-a"


@pytest.mark.django_db
def test_session_api_writes_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.case_worker_a.user)
    response = client.post("/api/v1/organisations/", {})
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_are_served(cast, as_member):
    client = as_member(cast.case_worker_a)
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/organisations/" in document["paths"]
    assert "/api/v1/me/" in document["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    """A warning means an ambiguous schema (e.g. two choice lists given one name): integrators would guess."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ctip", "spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
