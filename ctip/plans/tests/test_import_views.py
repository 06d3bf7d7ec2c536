"""The upload page: the coordinator checks a workbook (every problem in a table, or what would change), then imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.plans.forms import MAX_UPLOAD_BYTES
from ctip.plans.models import Action, Program
from ctip.plans.tests.test_workbook import ACTIONS, changed, sheets, state, xlsx

URL = "/plans/import/"


def upload(content: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
def test_the_page_is_the_coordinators(cast):
    assert reverse("plans:import") == URL
    response = client_for(cast.coordinator).get(URL)
    assert response.status_code == 200
    assert reverse("plans:import_template").encode() in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin_a", "viewer_a", "admin_b"])
def test_other_members_get_403_and_nothing_changes(cast, who):
    client = client_for(getattr(cast, who))
    before = state()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(xlsx()), "step": "import"}).status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(cast):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_check_shows_what_would_change_and_writes_nothing(cast):
    before = state()
    response = client_for(cast.coordinator).post(URL, {"file": upload(xlsx()), "step": "check"})

    assert response.status_code == 200
    assert state() == before
    result = response.context["result"]
    assert result.dry_run
    assert result.counts["actions"].created == 2
    assert "Importing it would make these changes" in response.content.decode()


@pytest.mark.django_db
def test_import_writes_the_plan_and_again_changes_nothing(cast):
    client = client_for(cast.coordinator)
    response = client.post(URL, {"file": upload(xlsx()), "step": "import"})
    assert response.status_code == 200
    assert Action.objects.count() == 2
    program = Program.objects.get()
    assert reverse("plans:program", args=[program.pk]) in response.content.decode()
    before = state()

    again = client.post(URL, {"file": upload(xlsx()), "step": "import"})

    assert "Nothing changed: the plan already matches the workbook." in again.content.decode()
    assert state() == before


@pytest.mark.django_db
def test_every_problem_is_listed_in_a_table_and_nothing_is_written(cast):
    data = sheets(Actions=changed(changed(ACTIONS, 0, lead="ghost"), 1, budget=-3))
    before = state()

    response = client_for(cast.coordinator).post(URL, {"file": upload(xlsx(data)), "step": "import"})

    assert response.status_code == 422
    assert [(p.sheet, p.row, p.column) for p in response.context["problems"]] == [
        ("Actions", 2, "lead"),
        ("Actions", 3, "budget"),
    ]
    page = response.content.decode()
    assert "2 problems: nothing was imported" in page
    assert "There is no organisation with the short code “ghost”." in page
    assert state() == before


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_gets_a_clear_error(cast):
    response = client_for(cast.coordinator).post(URL, {"file": upload(b"not a workbook", "plan.xls"), "step": "check"})
    assert response.status_code == 422
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(cast):
    before = state()
    big = upload(b"x" * (MAX_UPLOAD_BYTES + 1))
    response = client_for(cast.coordinator).post(URL, {"file": big, "step": "import"})
    assert response.status_code == 422
    assert "the limit is 5 MB" in response.content.decode()
    assert state() == before


@pytest.mark.django_db
def test_posting_without_a_file_says_so(cast):
    response = client_for(cast.coordinator).post(URL, {"step": "check"})
    assert response.status_code == 422
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(cast):
    client = client_for(cast.coordinator)
    client.handler.enforce_csrf_checks = True
    response = client.post(URL, {"file": upload(xlsx()), "step": "import"})
    assert response.status_code == 403
    assert Program.objects.count() == 0
    assert not AuditEvent.objects.filter(action="plans.program.import").exists()


@pytest.mark.django_db
def test_the_template_downloads_for_members(cast, tmp_path):
    response = client_for(cast.admin_a).get(reverse("plans:import_template"))
    assert response.status_code == 200
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert load_workbook(path).sheetnames[:5] == ["README", "Program", "Objectives", "Actions", "Indicators"]
