"""The plan's pages, through the doors users use: the tree, an action, filing, review, what is due, overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctip.audit.models import AuditEvent
from ctip.conftest import client_for
from ctip.orgs.roles import Role
from ctip.plans import services
from ctip.plans.models import PlanIndicator, Program, ProgressReport, ReportEvidence, ReportStatus
from ctip.plans.tests.factories import make_action, make_objective, make_program
from ctip.plans.tests.routes import PDF
from ctip.testing import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(plan):
    """The shared plan: its program is approved, so its responsible organisations report on it."""
    return plan


def report_url(plan, period=None):
    return reverse("plans:report", kwargs={"pk": plan.action.pk, "period_pk": (period or plan.h1).pk})


def audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def text(response) -> str:
    return response.content.decode()


# --- Who sees which page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer_a", "admin_b", "coordinator", "case_worker_b"])
def test_every_member_reads_the_approved_plan(cast, approved, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("plans:programs")).status_code == 200
    tree = client.get(reverse("plans:program", args=[approved.program.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert tree.status_code == 200
    assert "2.3.1" in text(tree)
    assert client.get(reverse("plans:action", args=[approved.action.pk])).status_code == 200
    assert client.get(reverse("plans:mine")).status_code == 200
    assert client.get(reverse("plans:due")).status_code == 200


def test_a_draft_program_is_unknown_to_everyone_but_the_coordinator(cast, plan):
    draft = make_program(cast.coordinator, title_en="Next program")
    url = reverse("plans:program", args=[draft.pk])
    assert client_for(cast.viewer_a).get(url).status_code == 404
    assert client_for(cast.coordinator).get(url).status_code == 200
    listing = client_for(cast.viewer_a).get(reverse("plans:programs"), HTTP_ACCEPT_LANGUAGE="en")
    assert url not in text(listing)
    assert reverse("plans:program", args=[plan.program.pk]) in text(listing)


def test_the_title_follows_the_language(cast, approved):
    client = client_for(cast.viewer_a)
    url = reverse("plans:action", args=[approved.action.pk])
    client.cookies["ctip_language"] = "ru"
    assert "Мероприятие" in text(client.get(url))
    client.cookies["ctip_language"] = "en"
    page = text(client.get(url))
    assert "2.3.1 Action" in page
    assert "Мероприятие" not in page


@pytest.mark.parametrize(("who", "status"), [("coordinator", 200), ("admin_a", 403), ("viewer_a", 403)])
def test_only_coordinators_open_the_review_queue(cast, approved, who, status):
    assert client_for(getattr(cast, who)).get(reverse("plans:review")).status_code == status


def test_coordinators_and_analysts_see_overdue_others_do_not(cast, approved):
    assert client_for(cast.coordinator).get(reverse("plans:overdue")).status_code == 200
    assert client_for(approved.reporter_a).get(reverse("plans:overdue")).status_code == 200  # an analyst
    assert client_for(cast.case_worker_a).get(reverse("plans:overdue")).status_code == 403


def test_the_plan_is_in_the_menu(cast, approved):
    home = client_for(cast.viewer_a).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("plans:programs") in text(home)


# --- Filing, reviewing: the whole cycle through the pages ---------------------------------------------------------


def test_the_full_cycle_draft_submit_return_resubmit_accept(cast, approved):
    agency, coordinator = client_for(approved.reporter_a), client_for(cast.coordinator)
    form = {"progress": "in_progress", "percent": "40", "narrative": "Two trainings held"}

    response = agency.post(report_url(approved), {**form, "save": "1"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.status, report.percent, report.organisation) == (ReportStatus.DRAFT, 40, cast.org_a)
    assert coordinator.get(reverse("plans:report_detail", args=[report.pk])).status_code == 404  # a draft is private

    agency.post(report_url(approved), {**form, "submit": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    queue = coordinator.get(reverse("plans:review"), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("plans:review_report", args=[report.pk]) in text(queue)

    review = reverse("plans:review_report", args=[report.pk])
    assert coordinator.post(review, {"decision": "return", "comment": "Add the number of trainees"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_comment) == (ReportStatus.RETURNED, "Add the number of trainees")
    page = agency.get(report_url(approved), HTTP_ACCEPT_LANGUAGE="en")
    assert "Add the number of trainees" in text(page)

    agency.post(
        report_url(approved), {**form, "percent": "50", "narrative": "Two trainings, 40 trainees", "submit": "1"}
    )
    report.refresh_from_db()
    assert (report.status, report.percent) == (ReportStatus.SUBMITTED, 50)
    assert coordinator.post(review, {"decision": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.accepted_at is not None

    assert (
        audited("plans.report.save"),
        audited("plans.report.submit"),
        audited("plans.report.return"),
        audited("plans.report.accept"),
    ) == (3, 2, 1, 1)
    # Accepted: every member reads it, and the tree shows its status to other organisations.
    assert client_for(cast.admin_b).get(reverse("plans:report_detail", args=[report.pk])).status_code == 200
    tree = client_for(cast.admin_b).get(reverse("plans:program", args=[approved.program.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "In progress · 50%" in text(tree)


def test_an_accepted_report_is_locked_and_a_post_changes_nothing(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    services.report_accept(actor=cast.coordinator, report=report)
    agency = client_for(approved.reporter_a)
    before = AuditEvent.objects.count()
    response = agency.post(report_url(approved), {"progress": "completed", "percent": "100", "submit": "1"})
    assert response.status_code == 409
    assert "accepted this report; it is locked" in text(agency.get(report_url(approved), HTTP_ACCEPT_LANGUAGE="en"))
    report.refresh_from_db()
    assert (report.status, report.percent, report.progress) == (ReportStatus.ACCEPTED, 0, "not_started")
    assert AuditEvent.objects.count() == before


def test_a_submitted_report_is_shown_read_only(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    page = client_for(approved.reporter_a).get(report_url(approved), HTTP_ACCEPT_LANGUAGE="en")
    assert "awaits the coordinator" in text(page)
    assert 'name="submit"' not in text(page)


def test_bad_input_says_what_and_where_and_saves_nothing(approved):
    response = client_for(approved.reporter_a).post(
        report_url(approved), {"progress": "in_progress", "percent": "140", "save": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["percent"] == ["Ensure this value is less than or equal to 100."]
    assert ProgressReport.objects.count() == 0


def test_filing_on_another_agencys_action_is_404_and_without_the_role_403(cast, approved):
    data = {"progress": "in_progress", "percent": "10", "save": "1"}
    assert client_for(approved.reporter_c).post(report_url(approved), data).status_code == 404
    assert client_for(cast.viewer_a).post(report_url(approved), data).status_code == 403
    assert client_for(cast.coordinator).get(report_url(approved)).status_code == 404
    assert ProgressReport.objects.count() == 0
    assert audited("access.denied") == 3


def test_a_period_of_another_program_is_404(cast, approved):
    other = make_program(cast.coordinator, title_en="Other")
    url = reverse("plans:report", kwargs={"pk": approved.action.pk, "period_pk": other.periods.first().pk})
    assert client_for(approved.reporter_a).get(url).status_code == 404


def test_the_co_executor_files_its_own_report_beside_the_lead(cast, approved):
    form = {"progress": "in_progress", "percent": "10", "save": "1"}
    client_for(approved.reporter_a).post(report_url(approved), form)
    client_for(approved.reporter_b).post(report_url(approved), {**form, "percent": "30"})
    assert sorted(ProgressReport.objects.values_list("organisation__code", "percent")) == [
        ("police-b", 30),
        ("shelter-a", 10),
    ]
    # Each sees its own draft on the action page, not the other's.
    page = client_for(approved.reporter_b).get(reverse("plans:action", args=[approved.action.pk]))
    assert [r.organisation_id for p in page.context["periods"] for r in p.reports] == [cast.org_b.pk]


def test_manual_indicator_values_are_filed_with_the_report(cast, approved):
    indicator = PlanIndicator.objects.create(
        action=approved.action, name_ky="Адам", name_ru="Люди", name_en="People trained", unit="persons", target=100
    )
    form = {"progress": "in_progress", "percent": "10", f"v_{indicator.pk}": "42", "save": "1"}
    client_for(approved.reporter_a).post(report_url(approved), form)
    assert list(ProgressReport.objects.get().values.values_list("indicator_id", "value")) == [
        (indicator.pk, Decimal("42.00"))
    ]


def test_returning_without_a_comment_is_refused(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    response = client_for(cast.coordinator).post(
        reverse("plans:review_report", args=[report.pk]), {"decision": "return", "comment": "  "}
    )
    assert response.status_code == 400
    assert "comment" in response.context["form"].errors
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_accepting_twice_says_it_is_locked(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    url = reverse("plans:review_report", args=[report.pk])
    client = client_for(cast.coordinator)
    assert client.post(url, {"decision": "accept"}).status_code == 302
    second = client.post(url, {"decision": "accept"}, HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 400
    assert "locked" in " ".join(second.context["form"].non_field_errors())
    assert audited("plans.report.accept") == 1


# --- Evidence -----------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_evidence_is_attached_opened_and_removed_through_the_pages(cast, approved, media):
    agency = client_for(approved.reporter_a)
    agency.post(report_url(approved), {"progress": "in_progress", "percent": "10", "save": "1"})
    report = ProgressReport.objects.get()
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    assert agency.post(reverse("plans:evidence_add", args=[report.pk]), {"file": upload}).status_code == 302
    evidence = ReportEvidence.objects.get()
    download = agency.get(reverse("plans:evidence_open", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(cast.admin_b).get(reverse("plans:evidence_open", args=[evidence.pk])).status_code == 404
    assert agency.post(reverse("plans:evidence_remove", args=[evidence.pk])).status_code == 302
    assert ReportEvidence.objects.count() == 0
    assert (audited("plans.evidence.add"), audited("plans.evidence.open"), audited("plans.evidence.remove")) == (
        1,
        1,
        1,
    )


def test_a_file_that_is_not_evidence_is_refused_with_its_name(approved, media):
    agency = client_for(approved.reporter_a)
    agency.post(report_url(approved), {"progress": "in_progress", "percent": "10", "save": "1"})
    report = ProgressReport.objects.get()
    upload = SimpleUploadedFile("notes.pdf", b"MZ this is a program", content_type="application/pdf")
    response = agency.post(
        reverse("plans:evidence_add", args=[report.pk]), {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The file notes.pdf is not a PDF" in text(response)
    assert ReportEvidence.objects.count() == 0


# --- The tree -----------------------------------------------------------------------------------------------------


def _grow(cast, plan, n: int, lead=None) -> None:
    objective = plan.action.objective
    for i in range(n):
        make_action(
            cast.coordinator,
            objective,
            lead or cast.org_b,
            code=f"9.{len(str(n))}.{i}",
            co_executors=(cast.org_a,),
            pillars=["PREVENTION", "PARTNERSHIP"] if i % 2 else ["PROSECUTION"],
        )


def _tree_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plans:program", args=[plan.program.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_tree_runs_the_same_number_of_queries_for_5_and_50_actions(cast, plan):
    client = client_for(cast.viewer_a)
    _grow(cast, plan, 4)
    small = _tree_queries(client, plan)
    _grow(cast, plan, 46)
    assert plan.program.actions.count() == 51
    assert _tree_queries(client, plan) == small


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("reporter_b", "plans:mine"),
        ("reporter_b", "plans:due"),
        ("coordinator", "plans:overdue"),
        ("coordinator", "plans:review"),
    ],
)
def test_the_agency_and_coordinator_lists_keep_their_query_count(cast, plan, who, name):
    member = getattr(plan, who, None) or getattr(cast, who)
    client = client_for(member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    def file_all() -> None:
        for action in plan.program.actions.all():
            for period in plan.program.periods.all()[:2]:
                if not ProgressReport.objects.filter(action=action, period=period).exists():
                    report = services.report_save_draft(actor=plan.reporter_b, action=action, period=period)
                    services.report_submit(actor=plan.reporter_b, report=report)

    _grow(cast, plan, 2)
    file_all()
    few = queries()
    _grow(cast, plan, 20)
    file_all()
    assert queries() == few


def test_the_tree_groups_by_pillar_then_objective_and_filters(cast, plan):
    second = make_objective(cast.coordinator, plan.program, code="1")
    make_action(cast.coordinator, second, cast.org_b, code="1.1.1", pillars=["PREVENTION"], title_en="Awareness")
    client = client_for(cast.viewer_a)
    url = reverse("plans:program", args=[plan.program.pk])
    groups = client.get(url).context["groups"]
    assert [(g.pillar, [o.objective.code for o in g.objectives]) for g in groups] == [
        ("PREVENTION", ["1"]),
        ("PROTECTION", ["2"]),
    ]

    def codes(**query):
        page = client.get(url, query).context["page"]
        return [a.code for a in page.object_list]

    assert codes(pillar="PREVENTION") == ["1.1.1"]
    assert codes(organisation=cast.org_a.pk) == ["2.3.1"]
    assert codes(organisation=cast.org_b.pk) == ["1.1.1", "2.3.1"]  # org B co-executes 2.3.1
    assert codes(q="aware") == ["1.1.1"]
    assert codes(q="2.3") == ["2.3.1"]
    assert codes(status="none") == ["1.1.1", "2.3.1"]
    assert codes(status="completed") == []


def test_the_status_is_the_latest_accepted_or_for_my_organisation_my_latest(cast, approved):
    report = services.report_save_draft(
        actor=approved.reporter_a, action=approved.action, period=approved.h1, progress="completed", percent=100
    )
    url = reverse("plans:program", args=[approved.program.pk])

    def status(who):
        row = client_for(who).get(url, HTTP_ACCEPT_LANGUAGE="en").context["groups"][0].objectives[0].rows[0]
        return row.progress, row.percent, row.overdue

    assert status(cast.viewer_a) == ("Completed", 100, False)  # my organisation's draft
    assert status(cast.admin_b) == ("", None, True)  # nothing accepted; the deadline (2025-06-30) has passed
    services.report_submit(actor=approved.reporter_a, report=report)
    services.report_accept(actor=cast.coordinator, report=report)
    assert status(cast.admin_b) == ("Completed", 100, False)


def test_overdue_only_shows_actions_past_their_deadline(cast, plan):
    today = timezone.localdate()
    make_action(
        cast.coordinator,
        plan.action.objective,
        cast.org_b,
        code="2.3.2",
        deadline=today + dt.timedelta(days=30),
    )
    page = client_for(cast.viewer_a).get(reverse("plans:program", args=[plan.program.pk]), {"overdue": "on"})
    assert [a.code for a in page.context["page"].object_list] == ["2.3.1"]


def test_a_bad_filter_value_is_reported_not_ignored_silently(cast, approved):
    page = client_for(cast.viewer_a).get(
        reverse("plans:program", args=[approved.program.pk]), {"pillar": "NONSENSE"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    assert "pillar" in page.context["form"].errors


# --- What an agency owes, overdue by agency -----------------------------------------------------------------------


def test_my_actions_lists_led_and_co_executed_actions_with_my_reports(cast, approved):
    services.report_save_draft(actor=approved.reporter_b, action=approved.action, period=approved.h1)
    page = client_for(approved.reporter_b).get(reverse("plans:mine"), HTTP_ACCEPT_LANGUAGE="en")
    (table,) = page.context["tables"]
    (row,) = table.rows
    assert (row.action, row.role) == (approved.action, "co")
    assert [c.report.status if c and c.report else None for c in row.cells] == ["draft", None, None, None]
    assert client_for(approved.reporter_c).get(reverse("plans:mine")).context["tables"] == []


def test_reports_due_groups_my_reports_by_state(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    services.report_return(actor=cast.coordinator, report=report, comment="More")
    page = client_for(approved.reporter_a).get(reverse("plans:due"), HTTP_ACCEPT_LANGUAGE="en")
    by_period = {p.period: dict(p.groups) for p in page.context["periods"]}
    assert [i.action for i in by_period[approved.h1]["returned"]] == [approved.action]
    assert [i.action for i in by_period[approved.h2]["missing"]] == [approved.action]
    assert all(p.overdue for p in page.context["periods"])  # all of 2024–2025 is past due
    assert "Returned: needs your action" in text(page)


def test_overdue_reports_are_grouped_by_agency(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    services.report_submit(actor=approved.reporter_a, report=report)
    page = client_for(cast.coordinator).get(reverse("plans:overdue"), HTTP_ACCEPT_LANGUAGE="en")
    owed = {a.organisation.code: [(i.period, i.status) for i in a.items] for a in page.context["agencies"]}
    # The action runs 2024-01 – 2025-06: three periods. Org A submitted H1 2024; org B filed nothing.
    periods = list(approved.program.periods.order_by("starts_on"))[:3]
    assert owed == {"police-b": [(p, None) for p in periods], "shelter-a": [(p, None) for p in periods[1:]]}
    assert list(page.context["actions"]) == [approved.action]


def test_my_actions_and_reports_due_link_the_report_form_only_to_members_who_file(cast, approved):
    report = services.report_save_draft(actor=approved.reporter_a, action=approved.action, period=approved.h1)
    forms = [report_url(approved), report_url(approved, approved.h2)]
    detail = reverse("plans:report_detail", args=[report.pk])
    filer = client_for(approved.reporter_a)  # an analyst of the lead organisation
    reader = client_for(cast.case_worker_a)  # the same organisation, without a reporting role

    for name in ("plans:mine", "plans:due"):
        assert [f'href="{form}"' in text(filer.get(reverse(name))) for form in forms] == [True, True], name
        read = text(reader.get(reverse(name)))
        assert [f'href="{form}"' in read for form in forms] == [False, False], name
        assert f'href="{detail}"' in read, name  # the organisation's own report, to read
    assert [reader.get(forms[0]).status_code, reader.get(detail).status_code] == [403, 200]


def test_a_new_organisation_without_actions_sees_empty_pages(cast, approved):
    lonely = member(OrganisationFactory(code="lonely"), Role.ANALYST)
    client = client_for(lonely)
    assert client.get(reverse("plans:due")).context["periods"] == []
    assert client.get(reverse("plans:mine")).context["tables"] == []


# --- The coordinator edits the plan through the pages -------------------------------------------------------------


def test_the_coordinator_builds_approves_and_publishes_a_plan_through_the_pages(cast):
    client = client_for(cast.coordinator)
    titles = {"title_ky": "Программа", "title_ru": "Программа", "title_en": "Program 2026"}
    response = client.post(
        reverse("plans:program_create"), {**titles, "starts_on": "2026-01-01", "ends_on": "2027-12-31"}
    )
    assert response.status_code == 302
    program = Program.objects.get(title_en="Program 2026")
    assert program.periods.count() == 4

    objective_url = reverse("plans:objective_create", args=[program.pk])
    assert client.post(objective_url, {**titles, "code": "1", "position": "1"}).status_code == 302
    objective = program.objectives.get()
    action_form = {
        **titles,
        "objective": objective.pk,
        "code": "1.1.1",
        "pillars": ["PREVENTION", "PARTNERSHIP"],
        "lead": cast.org_a.pk,
        "co_executors": [cast.org_b.pk],
        "starts_on": "2026-02-01",
        "deadline": "2026-12-31",
        "budget": "5000.00",
        "currency": "USD",
    }
    assert client.post(reverse("plans:action_create", args=[program.pk]), action_form).status_code == 302
    action = program.actions.get()
    assert sorted(action.pillars.values_list("pillar", flat=True)) == ["PARTNERSHIP", "PREVENTION"]
    assert list(action.co_executors.all()) == [cast.org_b]

    edit = client.post(reverse("plans:action_edit", args=[action.pk]), {**action_form, "budget": "7500.00"})
    assert edit.status_code == 302
    action.refresh_from_db()
    assert action.budget == Decimal("7500.00")

    indicator = {**{f"name_{lang}": "Trained" for lang in ("ky", "ru", "en")}, "unit": "persons", "target": "200"}
    indicator.update({"direction": "increase", "source": "manual"})
    assert client.post(reverse("plans:indicator_create", args=[action.pk]), indicator).status_code == 302
    assert action.indicators.get().target == Decimal("200.00")

    step = reverse("plans:program_step", args=[program.pk])
    assert client.post(step, {"step": "approve"}).status_code == 302
    assert client.post(step, {"step": "publish"}).status_code == 302
    program.refresh_from_db()
    assert (program.status, program.published) == ("approved", True)
    assert Client().get(reverse("plans:public_program", args=[program.pk])).status_code == 200
    assert [audited(f"plans.{a}") for a in ("program.create", "objective.create", "action.create")] == [1, 1, 1]
    assert [audited(f"plans.{a}") for a in ("action.update", "indicator.create", "program.publish")] == [1, 1, 1]


def test_a_deadline_before_the_start_is_refused_on_the_field_and_nothing_is_written(cast, plan):
    client = client_for(cast.coordinator)
    form = {
        "title_ky": "x",
        "title_ru": "x",
        "title_en": "Backwards",
        "objective": plan.action.objective_id,
        "code": "2.3.9",
        "pillars": ["PROTECTION"],
        "lead": cast.org_a.pk,
        "starts_on": "2025-06-01",
        "deadline": "2025-01-01",
        "budget": "0",
        "currency": "KGS",
    }
    response = client.post(reverse("plans:action_create", args=[plan.program.pk]), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"] == ["The deadline cannot be before the start."]
    assert plan.program.actions.count() == 1


def test_a_second_approval_is_refused_with_a_message(cast, plan):
    client = client_for(cast.coordinator)
    response = client.post(
        reverse("plans:program_step", args=[plan.program.pk]),
        {"step": "approve"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Only a draft program can be approved" in text(response)


@pytest.mark.parametrize("who", ["admin_a", "viewer_a", "admin_b"])
def test_only_the_coordinator_edits_the_plan(cast, plan, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("plans:program_create")).status_code == 403
    assert client.get(reverse("plans:action_edit", args=[plan.action.pk])).status_code == 403
    assert client.post(reverse("plans:program_step", args=[plan.program.pk]), {"step": "close"}).status_code == 403
    plan.program.refresh_from_db()
    assert plan.program.status == "approved"
