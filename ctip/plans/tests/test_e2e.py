"""End to end, in a real browser and in each of ctip's languages: the reporting cycle of the action plan.

The coordinator imports a plan workbook and approves the plan; an agency files a progress report; the coordinator
returns it with a comment; the agency corrects and resubmits it; the coordinator accepts it; the dashboard and the
national report (PDF) show it. Two people at two desks: each has a browser of their own, where they choose the
language with the header's switcher before logging in. Both hold roles that need no second factor.

Interface text is looked up in the catalogues (``ui_text``), so it is the page's own wording in the language, or the
English msgid while a translation is missing. Plan content (titles, organisation names) is written in each language
in the workbook and the organisations, and checked as the page must show it in that language.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from ctip.e2e.pages import (
    BROWSER_LOCALES,
    choose_language,
    expect,
    expect_language,
    fill_login,
    snap,
    ui_text,
    unavailable,
    url,
)
from ctip.orgs.models import Membership
from ctip.orgs.roles import Role
from ctip.plans.workbook import layout, workbook_bytes
from ctip.testing import OrganisationFactory, enrol_second_factor, member

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse, Locator, Page, Route

pytest_plugins = ("ctip.e2e.fixtures",)  # the browser and open_page fixtures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDFTOTEXT = shutil.which("pdftotext")  # poppler-utils: reads the national report's text
PDF_TIMEOUT_MS = 60_000  # WeasyPrint lays the report out while the other agents' tests share the CPU

AGENCY = {"name_en": "Ministry of Internal Affairs", "name_ru": "МВД", "name_ky": "Ички иштер министрлиги"}
SECRETARIAT = {
    "name_en": "Secretariat of the Coordination Council",
    "name_ru": "Секретариат Координационного совета",
    "name_ky": "Координациялык кеңештин катчылыгы",
}
SOCIAL = {"name_en": "Ministry of Social Development", "name_ru": "Минсоцразвития", "name_ky": "Социалдык өнүктүрүү"}
ACTION_TITLES = {
    "en": "Train police officers to identify victims",
    "ru": "Обучение сотрудников милиции выявлению жертв",
    "ky": "Милиция кызматкерлерин жабырлануучуларды аныктоого окутуу",
}
PROGRAM_TITLES = {
    "en": "State Program against Trafficking in Persons",
    "ru": "Государственная программа по противодействию торговле людьми",
    "ky": "Адам сатууга каршы күрөшүү боюнча мамлекеттик программа",
}
# A few words of each language in the narrative: the PDF must carry the script, not only the ASCII marker.
NARRATIVE_WORDS = {"en": "officers trained in Osh", "ru": "обучены сотрудники в Оше", "ky": "Ош шаарында окутулду"}


def _half_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def plan_workbook() -> bytes:
    """A plan of three actions around today: 1.1 led by the agency (running now), 1.2 long overdue, 2.1 co-executed.

    Built with the workbook module, as the template ctip hands out is; the periods are left to ctip (half-years).
    """
    today = timezone.localdate()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year + 1, 12, 31)
    now = _half_year_start(today)
    program = {f"title_{lang}": title for lang, title in PROGRAM_TITLES.items()}
    program.update(starts_on=start, ends_on=end, act_number=f"E2E-{today.year}", act_date=start)
    objectives = [
        {"code": "1", "title_ky": "Коргоо", "title_ru": "Защита", "title_en": "Protection"},
        {"code": "2", "title_ky": "Өнөктөштүк", "title_ru": "Партнёрство", "title_en": "Partnership"},
    ]
    actions = [
        {
            "code": "1.1",
            "objective": "1",
            **{f"title_{lang}": title for lang, title in ACTION_TITLES.items()},
            "pillars": "PROTECTION, PROSECUTION",
            "lead": "mvd",
            "partners": "iom",
            "starts_on": now,
            "deadline": end,
            "budget": Decimal("25000.00"),
            "currency": "USD",
        },
        {
            "code": "1.2",
            "objective": "1",
            "title_ky": "Баш калкалоочу жайлар",
            "title_ru": "Приюты для жертв",
            "title_en": "Shelters for victims",
            "pillars": "PROTECTION",
            "lead": "msd",
            "starts_on": start,
            "deadline": dt.date(start.year, 3, 31),
        },
        {
            "code": "2.1",
            "objective": "2",
            "title_ky": "Маалымат алмашуу",
            "title_ru": "Обмен информацией",
            "title_en": "Information exchange",
            "pillars": "PARTNERSHIP",
            "lead": "msd",
            "co_executors": "mvd",
            "starts_on": now,
            "deadline": end,
        },
    ]
    indicators = [
        {
            "action": "1.1",
            "name_ky": "Окутулган кызматкерлер",
            "name_ru": "Обучено сотрудников",
            "name_en": "Officers trained",
            "unit": "persons",
            "baseline": 0,
            "target": 200,
        }
    ]
    return workbook_bytes(
        {
            layout.PROGRAM: [program],
            layout.OBJECTIVES: objectives,
            layout.ACTIONS: actions,
            layout.INDICATORS: indicators,
        }
    )


def _people(language: str) -> tuple[Membership, Membership]:
    """The coordinator (in the council's secretariat) and the agency's focal point (its administrator)."""
    secretariat = OrganisationFactory(code="secretariat", **SECRETARIAT)
    agency = OrganisationFactory(code="mvd", **AGENCY)
    OrganisationFactory(code="msd", **SOCIAL)
    OrganisationFactory(code="iom", name_en="IOM", name_ru="МОМ", name_ky="ЭМУ")
    coordinator = member(secretariat, Role.COORDINATOR, email=f"coordinator.{language}@example.org")
    focal_point = member(agency, Role.ORG_ADMIN, email=f"focal.{language}@example.org")
    for person in (coordinator, focal_point):  # both roles log in with a second factor
        enrol_second_factor(person.user)
    return coordinator, focal_point


def _log_in_choosing_language(page: Page, live_server, membership: Membership, language: str, start: str) -> None:
    """Open a page, land on the login form, choose the language in the header, log in, and arrive at the page."""
    page.goto(start)
    choose_language(page, language)
    fill_login(page, membership.user.email, second_factor=True)
    expect(page).to_have_url(url(live_server, start))
    expect_language(page, language)


def _message(page: Page, language: str, text: str) -> None:
    expect(page.locator("main .messages")).to_contain_text(ui_text(language, text))


def _figure(page: Page, language: str, title: str) -> Locator:
    caption = page.locator("figcaption", has_text=ui_text(language, title))
    return page.locator("figure", has=caption)


def _cell(table_owner: Locator, row_text: str, column: str) -> Locator:
    """The cell of a data table in the row naming ``row_text``, under the header ``column``."""
    headers = [h.strip() for h in table_owner.locator("thead th").all_inner_texts()]
    assert column in headers, f"no column {column!r} in {headers}"
    row = table_owner.locator("tbody tr", has_text=row_text)
    return row.locator("th, td").nth(headers.index(column))


def _program_pk(page: Page) -> int:
    """The program's number, read from the dashboard's address."""
    found = re.search(r"/programs/(\d+)/dashboard/", page.url)
    assert found, page.url
    return int(found.group(1))


def _pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text, with runs of white space made single spaces (lines and table cells wrap)."""
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    result = subprocess.run(
        [PDFTOTEXT, str(source), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_a_report_goes_from_the_imported_plan_through_review_to_the_dashboard_and_the_pdf(
    open_page, live_server, tmp_path, language
):
    coordinator, focal_point = _people(language)
    marker = f"E2E-{language}-{uuid.uuid4().hex[:10]}"
    comment = f"{marker}: how many officers were trained?"
    narrative = f"{marker} {NARRATIVE_WORDS[language]}"
    action_title = ACTION_TITLES[language]
    shot = f"{language}-"
    t = lambda message: ui_text(language, message)  # noqa: E731 - the page's own wording, read like a phrase

    # 1. The coordinator imports the plan from the upload page: checks it, sees the preview, imports, sees the tree.
    desk = open_page(BROWSER_LOCALES["en"])  # a browser set to English: the person chooses ctip's language
    _log_in_choosing_language(desk, live_server, coordinator, language, reverse("plans:programs"))
    desk.get_by_role("link", name=t("Import a plan workbook")).click()
    workbook = {"name": "plan.xlsx", "mimeType": XLSX, "buffer": plan_workbook()}
    desk.locator('main input[type="file"][name="file"]').set_input_files(workbook)
    desk.locator('main button[name="step"][value="check"]').click()
    expect(desk.locator("#result-heading")).to_have_text(
        t("The workbook is valid. Importing it would make these changes:")
    )
    preview = desk.locator("main section[aria-labelledby=result-heading] table")
    expect(_cell(preview, t("Actions"), t("Created"))).to_have_text("3")
    snap(desk, shot + "1-import-preview")
    desk.locator('main input[type="file"][name="file"]').set_input_files(workbook)  # nothing uploaded is kept
    desk.locator('main button[name="step"][value="import"]').click()
    expect(desk.locator("#result-heading")).to_have_text(t("Imported."))
    # The result links to the imported program (its name there is in English for now: reported to the lead).
    desk.locator("main section[aria-labelledby=result-heading] p a").click()
    expect(desk.locator("h1")).to_have_text(PROGRAM_TITLES[language])
    tree = desk.locator("main table", has=desk.locator("th", has_text=t("Lead organisation")))
    row = tree.locator("tbody tr", has_text=action_title)
    expect(row).to_contain_text(AGENCY[f"name_{language}"])
    expect(row).to_contain_text(t("Nothing reported"))
    expect(tree.locator("tbody tr", has_text="1.2")).to_contain_text(t("Overdue"))
    desk.locator('main button[name="step"][value="approve"]').click()  # agencies report only on an approved plan
    _message(desk, language, "The program is approved; agencies now report on it.")
    snap(desk, shot + "1-plan-tree")

    # 2. The agency's focal point finds the report in "Reports due", files it and submits it.
    agency_desk = open_page(BROWSER_LOCALES["en"])
    _log_in_choosing_language(agency_desk, live_server, focal_point, language, reverse("plans:programs"))
    agency_desk.get_by_role("link", name=t("Reports due"), exact=True).click()
    expect(agency_desk.locator("main")).to_contain_text(t("Not filed"))
    expect(agency_desk.locator("main")).to_contain_text("2.1")  # co-executed: owed too
    agency_desk.get_by_role("link", name=f"1.1 {action_title}").click()
    form = agency_desk.locator("main form.narrow")
    form.locator('select[name="progress"]').select_option("in_progress")
    form.locator('input[name="percent"]').fill("40")
    form.locator('textarea[name="narrative"]').fill(f"{marker} first draft")
    snap(agency_desk, shot + "2-report-form")
    form.locator('button[name="submit"]').click()
    _message(agency_desk, language, "The report was sent to the coordinator.")

    # 3. The coordinator returns it with a comment.
    desk.get_by_role("link", name=t("Review queue"), exact=True).click()
    desk.get_by_role("link", name=f"1.1 {action_title}").click()
    expect(desk.locator("main dl.record")).to_contain_text(f"{marker} first draft")
    desk.locator('main input[name="decision"][value="return"]').check()
    desk.locator('main textarea[name="comment"]').fill(comment)
    snap(desk, shot + "3-review-return")
    desk.get_by_role("button", name=t("Record the decision")).click()
    _message(desk, language, "The report was returned to the organisation with your comment.")
    expect(desk.locator("main table")).to_contain_text(t("No report is waiting for review."))

    # 4. The agency sees the comment among what needs its action, corrects the report and sends it again.
    agency_desk.goto(reverse("plans:due"))  # the action's page it was left on has no plan menu: a bookmark
    returned = agency_desk.locator("main h3", has_text=t("Returned: needs your action"))
    expect(returned).to_be_visible()
    agency_desk.get_by_role("link", name=f"1.1 {action_title}").click()
    expect(agency_desk.locator('main [role="note"]')).to_contain_text(comment)
    form = agency_desk.locator("main form.narrow")
    expect(form.locator('textarea[name="narrative"]')).to_have_value(f"{marker} first draft")
    form.locator('select[name="progress"]').select_option("completed")
    form.locator('input[name="percent"]').fill("100")
    form.locator('textarea[name="narrative"]').fill(narrative)
    form.locator('input[name^="v_"]').fill("120")  # the one indicator reported by hand: officers trained
    snap(agency_desk, shot + "4-report-corrected")
    form.locator('button[name="submit"]').click()
    _message(agency_desk, language, "The report was sent to the coordinator.")

    # 5. The coordinator accepts it.
    desk.reload()
    desk.get_by_role("link", name=f"1.1 {action_title}").click()
    expect(desk.locator("main dl.record")).to_contain_text(narrative)
    desk.locator('main input[name="decision"][value="accept"]').check()
    desk.get_by_role("button", name=t("Record the decision")).click()
    _message(desk, language, "The report was accepted and is now locked.")

    # 6. The plan, the dashboard (chart and table) and the national report in the language show it.
    desk.get_by_role("link", name=t("Programs"), exact=True).click()
    desk.get_by_role("link", name=PROGRAM_TITLES[language]).click()
    expect(tree.locator("tbody tr", has_text=action_title)).to_contain_text("100%")
    desk.get_by_role("link", name=t("Dashboard"), exact=True).click()
    expect(desk.locator("h1")).to_have_text(t("Dashboard"))
    agencies = _figure(desk, language, "Implementation by lead agency")
    expect(agencies.locator("svg")).to_contain_text(AGENCY[f"name_{language}"])
    expect(_cell(agencies, AGENCY[f"name_{language}"], t("Completed"))).to_have_text("1")
    expect(_cell(agencies, AGENCY[f"name_{language}"], t("No report"))).to_have_text("0")
    expect(_figure(desk, language, "Indicators against their targets")).to_contain_text("120")
    snap(desk, shot + "6-dashboard")

    # The PDF opens in Chromium's viewer (inline), which hides the file from the page: the test keeps what the
    # server sent on its way to the browser.
    report_path = reverse("plans:national_report", args=[_program_pk(desk)])
    received: list[APIResponse] = []

    def keep(route: Route) -> None:
        response = route.fetch(timeout=PDF_TIMEOUT_MS)
        received.append(response)
        route.fulfill(response=response)

    address = re.compile(re.escape(url(live_server, report_path)) + r"\?.+")
    desk.route(address, keep)
    with desk.expect_response(address, timeout=PDF_TIMEOUT_MS):
        desk.get_by_role("button", name=t("Generate the report")).click()
    (pdf,) = received
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert re.search(rf'filename="national-report-\d+-[\d-]+-{language}\.pdf"', pdf.headers["content-disposition"])
    content = pdf.body()
    assert content.startswith(b"%PDF-")
    if PDFTOTEXT is None:
        unavailable("pdftotext (apt-get install poppler-utils) is needed to read the PDF; its text was not checked")
    text = _pdf_text(content, tmp_path)
    assert narrative in text
    assert "first draft" not in text  # the report as accepted, not as first sent
    assert PROGRAM_TITLES[language] in text
    assert AGENCY[f"name_{language}"] in text
