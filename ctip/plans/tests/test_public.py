"""The public pages: published programs and accepted progress, to anyone, and nothing else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctip.plans import services
from ctip.plans.tests.factories import make_action, make_program
from ctip.plans.tests.routes import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast, plan, settings, tmp_path):
    """The (approved) plan published, with a report in every state and an evidence file on the draft."""
    settings.MEDIA_ROOT = tmp_path
    services.program_publish(actor=cast.coordinator, program=plan.program)
    periods = list(plan.program.periods.order_by("starts_on"))
    second = make_action(cast.coordinator, plan.action.objective, cast.org_b, code="2.3.2", title_en="Hotline")

    accepted = services.report_save_draft(
        actor=plan.reporter_a,
        action=plan.action,
        period=periods[0],
        progress="in_progress",
        percent=35,
        narrative="ACCEPTED-NARRATIVE",
    )
    services.report_submit(actor=plan.reporter_a, report=accepted)
    services.report_accept(actor=cast.coordinator, report=accepted)
    # A later draft says 90% and completed: only its organisation may know it.
    draft = services.report_save_draft(
        actor=plan.reporter_a,
        action=plan.action,
        period=periods[1],
        progress="completed",
        percent=90,
        narrative="DRAFT-NARRATIVE",
    )
    services.evidence_add(
        actor=plan.reporter_a,
        report=draft,
        uploaded_file=SimpleUploadedFile("SECRET-EVIDENCE.pdf", PDF, content_type="application/pdf"),
    )
    returned = services.report_save_draft(
        actor=plan.reporter_b,
        action=second,
        period=periods[0],
        progress="delayed",
        percent=77,
        narrative="RETURNED-NARRATIVE",
    )
    services.report_submit(actor=plan.reporter_b, report=returned)
    services.report_return(actor=cast.coordinator, report=returned, comment="RETURN-COMMENT")
    submitted = services.report_save_draft(
        actor=plan.reporter_b,
        action=plan.action,
        period=periods[0],
        progress="cancelled",
        percent=66,
        narrative="SUBMITTED-NARRATIVE",
    )
    services.report_submit(actor=plan.reporter_b, report=submitted)
    return plan


def test_anyone_reads_the_published_list_and_program_without_logging_in(published):
    client = Client()
    listing = client.get(reverse("plans:public_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200
    assert reverse("plans:public_program", args=[published.program.pk]) in listing.content.decode()
    page = client.get(reverse("plans:public_program", args=[published.program.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "2.3.1" in body
    assert "2.3.2" in body
    assert "In progress · 35%" in body  # the accepted report


def test_nothing_but_accepted_progress_leaks(published):
    page = Client().get(reverse("plans:public_program", args=[published.program.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    for secret in ("90%", "77%", "66%", "Completed ·", "Delayed ·", "Cancelled ·", "RETURN-COMMENT", "SECRET-EVIDENCE"):
        assert secret not in body, secret
    for narrative in ("DRAFT-NARRATIVE", "RETURNED-NARRATIVE", "SUBMITTED-NARRATIVE", "ACCEPTED-NARRATIVE"):
        assert narrative not in body
    # Nor links into the members' pages.
    assert "/plans/actions/" not in body
    assert "/plans/evidence/" not in body


def test_an_unpublished_program_is_404_like_a_missing_one(cast, published):
    approved_only = make_program(cast.coordinator, title_en="Not yet public")
    services.program_approve(actor=cast.coordinator, program=approved_only)
    draft = make_program(cast.coordinator, title_en="Working copy")
    client = Client()
    for program in (approved_only, draft):
        assert client.get(reverse("plans:public_program", args=[program.pk])).status_code == 404
    assert client.get(reverse("plans:public_program", args=[987654])).status_code == 404
    listing = client.get(reverse("plans:public_list")).content.decode()
    assert "Not yet public" not in listing
    assert "Working copy" not in listing


def test_unpublishing_takes_the_program_off_the_public_pages(cast, published):
    services.program_unpublish(actor=cast.coordinator, program=published.program)
    assert Client().get(reverse("plans:public_program", args=[published.program.pk])).status_code == 404


def test_the_public_tree_filters_work_on_accepted_status_only(published):
    url = reverse("plans:public_program", args=[published.program.pk])
    page = Client().get(url, {"status": "completed"})
    assert list(page.context["page"].object_list) == []
    page = Client().get(url, {"status": "in_progress"})
    assert [a.code for a in page.context["page"].object_list] == ["2.3.1"]
