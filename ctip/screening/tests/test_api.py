"""POST /api/v1/screening/assess and the screenings resource."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ctip.accounts.services import token_issue
from ctip.audit.models import AuditEvent
from ctip.screening.importing import DEFAULT_RULES, CatalogueData, IndicatorRow
from ctip.screening.models import Screening
from ctip.screening.services import catalogue_import
from ctip.screening.tests.factories import INDICATED_ADULT, make_screening

pytestmark = pytest.mark.django_db
ASSESS = "/api/v1/screening/assess"


def api(membership, language: str = "en") -> Client:
    _, token = token_issue(by=None, membership_id=membership.pk)
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": language})


def post(client: Client, body, query: str = ""):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(ASSESS + query, text, content_type="application/json")


def changes() -> tuple[int, int]:
    return Screening.objects.count(), AuditEvent.objects.exclude(action="api_token.use").count()


# --- assess -------------------------------------------------------------------------------------------------------


def test_assess_answers_in_the_shape_of_the_command_line_and_stores_nothing(cast, ilo):
    client = api(cast.viewer_a)  # any member may try the engine
    before = changes()
    response = post(client, {"age": 25, "indicators": list(INDICATED_ADULT)})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["catalog", "version", "list", "dimensions", "outcome", "explanation"]
    assert (body["catalog"], body["version"], body["list"]) == ("ilo-2009", 1, "adult_labour")
    assert body["dimensions"]["ex"] == {"strong": 1, "medium": 1, "weak": 0, "positive": True}
    assert body["outcome"] == "trafficking_indicated"
    assert body["explanation"][-1].startswith("This is an indicator-based assessment")
    assert changes() == before


def test_assess_explains_in_the_callers_language(cast, ilo):
    body = post(api(cast.case_worker_a, "ru"), {"age": 25, "indicators": ["al.dr.nature_of_job"]}).json()
    assert "Обман относительно характера работы, места работы или работодателя" in body["explanation"][1]


def test_assess_uses_another_catalogue_when_asked(cast, ilo):
    rows = tuple(
        IndicatorRow(i, lst, "ex", "medium", f"L{i}", f"Л{i}", f"Л{i}", "", True, n)
        for n, (i, lst) in enumerate([("kg.a.one", "adult_labour"), ("kg.c.one", "child_labour")], start=1)
    )
    data = CatalogueData("National", "Национальный", "Улуттук", "decree", dict(DEFAULT_RULES), rows)
    catalogue_import(by=None, code="kg-2024", data=data)
    body = post(api(cast.case_worker_a), {"age": 30, "indicators": ["kg.a.one"]}, "?catalog=kg-2024:1").json()
    assert (body["catalog"], body["version"], body["dimensions"]["ex"]["medium"]) == ("kg-2024", 1, 1)


@pytest.mark.parametrize(
    ("body", "field", "code", "text"),
    [
        ({"age": 25, "indicators": ["al.dr.nope"]}, "indicators", "unknown_indicator", '"al.dr.nope"'),
        ({"age": 25, "indicators": ["cl.dr.wages"]}, "indicators", "wrong_list", '"cl.dr.wages"'),
        (
            {"age": 25, "indicators": ["al.dr.wages", "al.dr.wages"]},
            "indicators",
            "duplicate_indicator",
            "more than once",
        ),
        ({"age": "25", "indicators": []}, "age", "invalid", 'not "25"'),
        ({"age": -1, "indicators": []}, "age", "invalid", "not -1"),
        ({"age": None, "possible_minor": "true", "indicators": []}, "possible_minor", "invalid", 'not "true"'),
        ({"age": 30, "act": 0, "indicators": []}, "act", "invalid", "not 0"),
        ({"age": 30, "indicators": [], "name": "A"}, "name", "invalid", 'Unknown key "name"'),
        ('{"age": 30, "age": 3, "indicators": []}', "age", "invalid", "given twice"),
    ],
)
def test_assess_refuses_bad_input_naming_the_field(cast, ilo, body, field, code, text):
    client = api(cast.case_worker_a)
    before = changes()
    response = post(client, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, code)
    assert list(error["fields"]) == [field]
    assert text in error["fields"][field][0]
    assert changes() == before


def test_assess_refuses_malformed_json(cast, ilo):
    response = post(api(cast.case_worker_a), '{"age": 30,')
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"].startswith("JSON parse error")


@pytest.mark.parametrize("spec", ["nope", "ilo-2009:9", "ILO 2009"])
def test_assess_refuses_an_unknown_catalogue(cast, ilo, spec):
    response = post(api(cast.case_worker_a), {"age": 30, "indicators": []}, f"?catalog={spec}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["catalog"]


def test_assess_needs_a_member(ilo):
    response = Client().post(ASSESS, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_assess_takes_only_json_posts(cast, ilo):
    client = api(cast.case_worker_a)
    assert client.get(ASSESS).status_code == 405
    assert client.post(ASSESS, {"age": "30"}).status_code == 415


# --- screenings ---------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_organisations_screenings_without_details(cast, ilo, django_assert_num_queries):
    ours = [make_screening(cast.case_worker_a), make_screening(cast.case_worker_a, indicators=["al.dr.wages"])]
    make_screening(cast.case_worker_b)
    client = api(cast.case_worker_a)
    client.get("/api/v1/me/")  # the token's first use is recorded once
    # the token, the roles, the count, the page with its catalogues: the same however many rows
    with django_assert_num_queries(4):
        body = client.get("/api/v1/screenings/").json()
    assert body["count"] == 2
    assert sorted(r["reference"] for r in body["results"]) == sorted(s.reference for s in ours)
    assert set(body["results"][0]) == {
        "id",
        "reference",
        "catalogue",
        "catalogue_version",
        "list",
        "outcome",
        "status",
        "interviewed_on",
        "place",
        "created_at",
    }


def test_the_list_filters_by_outcome(cast, ilo):
    make_screening(cast.case_worker_a)
    negative = make_screening(cast.case_worker_a, indicators=["al.dr.wages"])
    client = api(cast.case_worker_a)
    body = client.get("/api/v1/screenings/?outcome=not_indicated").json()
    assert [r["reference"] for r in body["results"]] == [negative.reference]
    refused = client.get("/api/v1/screenings/?outcome=maybe")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["outcome"]


@pytest.mark.parametrize("who", ["viewer_a", "admin_a", "coordinator"])
def test_members_without_the_role_cannot_list(cast, ilo, who):
    make_screening(cast.case_worker_a)
    response = api(getattr(cast, who)).get("/api/v1/screenings/")
    assert response.status_code == 403


def test_reading_one_screening_is_audited_and_shows_the_answers(cast, ilo):
    screening = make_screening(cast.case_worker_a, notes={"al.dr.wages": "promised 800 USD"})
    response = api(cast.case_worker_a).get(f"/api/v1/screenings/{screening.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == screening.reference
    assert body["result"]["outcome"] == "trafficking_indicated"
    assert body["interviewer"] == "worker.a@example.org"
    assert body["corrects"] is None
    wages = next(a for a in body["answers"] if a["indicator"] == "al.dr.wages")
    assert wages == {
        "indicator": "al.dr.wages",
        "dimension": "dr",
        "strength": "medium",
        "label": "Deceived about wages/earnings",
        "note": "promised 800 USD",
    }
    read = AuditEvent.objects.get(action="record.read")
    assert (read.object_type, read.object_id) == ("screening.screening", str(screening.pk))
    assert (read.actor, read.organisation) == (cast.case_worker_a.user, cast.org_a)
    assert "promised" not in json.dumps(read.details)


def test_another_organisation_gets_404_like_a_missing_screening(cast, ilo):
    screening = make_screening(cast.case_worker_a)
    client = api(cast.case_worker_b)
    theirs = client.get(f"/api/v1/screenings/{screening.pk}/")
    missing = client.get("/api/v1/screenings/987654/")
    assert theirs.status_code == missing.status_code == 404
    strip = lambda r: {k: v for k, v in r.json()["error"].items() if k != "request_id"}  # noqa: E731
    assert strip(theirs) == strip(missing)
    assert not AuditEvent.objects.filter(action="record.read").exists()
    # Both refusals are audited alike: the trail does not say which screening exists.
    denials = AuditEvent.objects.filter(action="access.denied").order_by("id")
    assert [d.details for d in denials] == [
        {"model": "screening.screening", "object_id": str(pk), "action": "view", "status": 404}
        for pk in (screening.pk, 987654)
    ]


def test_screenings_cannot_be_written_through_the_api(cast, ilo):
    screening = make_screening(cast.case_worker_a)
    client = api(cast.case_worker_a)
    assert client.post("/api/v1/screenings/", {}).status_code == 405
    assert client.delete(f"/api/v1/screenings/{screening.pk}/").status_code == 405


def test_the_schema_documents_the_screening_api(cast, as_member):
    paths = as_member(cast.case_worker_a).get("/api/v1/schema/?format=json").json()["paths"]
    assert "/api/v1/screening/assess" in paths
    assert "/api/v1/screenings/{id}/" in paths
