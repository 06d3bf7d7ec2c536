"""End to end, in a real browser and in each of ctip's languages: one person's way through the referral mechanism.

A hotline operator screens a caller and opens a case from the screening; the case becomes presumed. The shelter's
case worker (the same organisation: the shelter runs the hotline) records the person's consent to a referral to a
legal-aid NGO, without the identity, and refers them; the NGO's lawyer accepts from the inbox, records the legal aid
given, and never sees who the person is. With consent to law enforcement the case is shared with the police; the
investigator reads it; the consent is withdrawn and the investigator's next request is a 404. The designated
identification body, to which the person was also referred, records "identified"; the shelter closes the case.

Five people at five desks, each in a browser of their own set to English, where they choose ctip's language with the
header's switcher on the login page. All of them hold roles that see identities, so each passes the second factor
through the form with the code their authenticator shows (``ctip.testing.current_code``). Interface text is looked up
in the catalogues (``ui_text``): the page's own wording in the language, or the English msgid while untranslated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ctip.accounts.models import TotpDevice
from ctip.cases import conf
from ctip.cases.models import VictimCase
from ctip.cases.vocab import (
    CaseState,
    ClosureReason,
    ConsentPurpose,
    DecisionOutcome,
    Gender,
    IntakeChannel,
    NrmStatus,
    ReferralReason,
    Service,
    ServiceOutcome,
    ShareScope,
)
from ctip.e2e.pages import (
    BROWSER_LOCALES,
    choose_language,
    expect,
    expect_language,
    fill_login,
    pass_second_factor,
    snap,
    ui_text,
    url,
)
from ctip.orgs.models import Membership, Organisation, OrgType, Region
from ctip.orgs.roles import Role
from ctip.screening.models import Screening
from ctip.screening.tests.factories import INDICATED_ADULT, ilo_2009
from ctip.testing import OrganisationFactory, current_code, enrol_second_factor, member

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytest_plugins = ("ctip.e2e.fixtures",)  # the browser and open_page fixtures

# The person's name as they write it and in Latin script: it must never reach a page of an organisation whose
# consent does not cover the identity.
NAME = "Айгүл Токтосунова"
NAME_LATIN = "Aigul Toktosunova"

SHELTER = {
    "name_en": "Sezim Crisis Centre",
    "name_ru": "Кризисный центр «Сезим»",
    "name_ky": "«Сезим» кризистик борбору",
}
LEGAL_AID = {
    "name_en": "Legal Clinic Adilet",
    "name_ru": "Юридическая клиника «Адилет»",
    "name_ky": "«Адилет» юридикалык клиникасы",
}
POLICE = {
    "name_en": "Anti-trafficking police unit",
    "name_ru": "Отдел МВД по борьбе с торговлей людьми",
    "name_ky": "ИИМдин адам сатууга каршы бөлүмү",
}
BODY = {
    "name_en": "State Migration Service",
    "name_ru": "Государственная миграционная служба",
    "name_ky": "Мамлекеттик миграция кызматы",
}
BODY_CODE = "sms"


@dataclass
class Person:
    membership: Membership
    device: TotpDevice


@dataclass
class Cast:
    shelter: Organisation
    legal_aid: Organisation
    police: Organisation
    body: Organisation
    operator: Person  # the hotline operator (case worker of the shelter)
    shelter_worker: Person  # the shelter's case worker who carries the case on
    lawyer: Person  # case worker of the legal-aid NGO
    investigator: Person
    officer: Person  # case worker of the designated identification body


def _person(organisation: Organisation, role: str, email: str) -> Person:
    membership = member(organisation, role, email=email)
    return Person(membership, enrol_second_factor(membership.user))


def _cast(language: str) -> Cast:
    shelter = OrganisationFactory(code="sezim", **SHELTER)
    legal_aid = OrganisationFactory(code="adilet", org_type=OrgType.LEGAL, **LEGAL_AID)
    police = OrganisationFactory(code="mvd-att", org_type=OrgType.LAW_ENFORCEMENT, **POLICE)
    body = OrganisationFactory(code=BODY_CODE, org_type=OrgType.CENTRAL_GOVERNMENT, **BODY)
    return Cast(
        shelter=shelter,
        legal_aid=legal_aid,
        police=police,
        body=body,
        operator=_person(shelter, Role.CASE_WORKER, f"hotline.{language}@example.org"),
        shelter_worker=_person(shelter, Role.CASE_WORKER, f"shelter.{language}@example.org"),
        lawyer=_person(legal_aid, Role.CASE_WORKER, f"lawyer.{language}@example.org"),
        investigator=_person(police, Role.INVESTIGATOR, f"investigator.{language}@example.org"),
        officer=_person(body, Role.CASE_WORKER, f"officer.{language}@example.org"),
    )


# --- Steps a person takes -----------------------------------------------------------------------------------------
def _log_in(open_page, live_server, who: Person, language: str, start: str) -> Page:
    """A new browser set to English: open a page, choose the language on the login form, log in, give the code."""
    page = open_page(BROWSER_LOCALES["en"])
    page.goto(start)
    choose_language(page, language)
    fill_login(page, who.membership.user.email)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
    pass_second_factor(page, current_code(who.device))
    expect(page).to_have_url(url(live_server, start))
    expect_language(page, language)
    return page


def _message(page: Page, language: str, text: str) -> None:
    expect(page.locator("main .messages")).to_contain_text(ui_text(language, text))


def _tab(page: Page, language: str, label: str) -> None:
    page.locator("main nav ul a").filter(has_text=ui_text(language, label)).click()
    expect(page.locator("#tab-heading")).to_have_text(ui_text(language, label))


def _form(page: Page, name: str, pk: int, **kwargs: int) -> Locator:
    return page.locator(f'main form[action="{reverse(f"cases:{name}", kwargs={"pk": pk, **kwargs})}"]')


def _record(page: Page, language: str, term: str) -> Locator:
    """The value beside a term of the record (``<dl class="record">``)."""
    return page.locator(f'main dl.record dt:text-is("{ui_text(language, term)}") + dd')


def _label(language: str, text: object) -> str:
    """A choice's label (or an organisation's name) as the page in the language shows it."""
    with translation.override(language):
        return str(text)


def _no_name(page: Page) -> None:
    main = page.locator("main")
    expect(main).not_to_contain_text(NAME)
    expect(main).not_to_contain_text(NAME_LATIN)


# --- The flow -----------------------------------------------------------------------------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_a_hotline_screening_goes_through_referral_consent_identification_and_closure(
    open_page, live_server, settings, language
):
    settings.CTIP_IDENTIFICATION_BODIES = [BODY_CODE]  # the live server runs in this process: it reads the same
    ilo_2009()  # a transactional test may have flushed the migrated catalogue
    cast = _cast(language)
    t = lambda message: ui_text(language, message)  # noqa: E731 - the page's own wording, read like a phrase
    shot = f"cases-{language}-"
    today = timezone.localdate()

    # 1. The hotline operator screens the caller: indicators are present; a case is opened from the screening and
    #    marked presumed, which starts the recovery and reflection period.
    hotline = _log_in(open_page, live_server, cast.operator, language, reverse("screening:new"))
    hotline.locator('input[name="explained"]').check()
    hotline.locator('main button[type="submit"]').click()
    expect(hotline).to_have_url(url(live_server, reverse("screening:interview")))
    hotline.locator('input[name="age"]').fill("27")
    hotline.locator('input[name="age"]').dispatch_event("change")
    for code in INDICATED_ADULT:
        hotline.locator(f'input[name="i_{code}"]').check()
    verdict = t("Indicators of trafficking are present.")
    expect(hotline.get_by_test_id("outcome")).to_contain_text(verdict)
    snap(hotline, shot + "1-interview")
    hotline.locator('button[name="save"]').click()
    expect(hotline).to_have_url(re.compile(r"/screening/\d+/$"))
    screening = Screening.objects.get()
    expect(hotline.get_by_test_id("outcome")).to_contain_text(verdict)

    # The screening's page has no way to open a case from it (reported): the operator goes to the address.
    hotline.goto(f"{reverse('cases:new')}?screening={screening.pk}")
    expect(hotline.locator("main")).to_contain_text(screening.reference)
    form = hotline.locator("main form")
    form.locator('input[name="name_original"]').fill(NAME)
    form.locator('input[name="name_latin"]').fill(NAME_LATIN)
    form.locator('select[name="gender"]').select_option(Gender.FEMININE.value)
    form.locator('input[name="birth_year"]').fill("1998")
    form.locator('select[name="intake_channel"]').select_option(IntakeChannel.HOTLINE.value)
    form.locator('select[name="region"]').select_option(Region.OSH.value)
    snap(hotline, shot + "1-open-case")
    form.locator('button[type="submit"]').click()
    expect(hotline).to_have_url(re.compile(r"/cases/\d+/$"))
    case = VictimCase.objects.get()
    expect(hotline.locator("main .messages")).to_contain_text(
        ui_text(language, "Case %(code)s opened.", code=case.code)
    )
    expect(hotline.locator("h1")).to_contain_text(case.code)
    expect(_record(hotline, language, "NRM status")).to_have_text(_label(language, NrmStatus.POTENTIAL.label))
    _no_name(hotline)  # the case page never shows the identity, not even to the owner

    presume = _form(hotline, "presume", case.pk)
    presume.locator('textarea[name="reason"]').fill(f"{screening.reference}: deception about the job, wages withheld")
    presume.locator('button[type="submit"]').click()
    _message(hotline, language, "The person is now a presumed victim; the recovery and reflection period has started.")
    expect(_record(hotline, language, "NRM status")).to_have_text(_label(language, NrmStatus.PRESUMED.label))
    ends = today + dt.timedelta(days=conf.reflection_days())
    expect(_record(hotline, language, "Recovery and reflection period ends on")).to_contain_text(ends.isoformat())
    snap(hotline, shot + "1-presumed")

    # The owner sees who the person is only through "reveal identity", with a reason (the factor is still fresh).
    _tab(hotline, language, "Person")
    hotline.locator(f'main a[href="{reverse("cases:reveal", args=[case.pk])}"]').click()
    hotline.locator('main textarea[name="reason"]').fill("Arrange the shelter place")
    hotline.locator('main form button[type="submit"]').click()
    expect(_record(hotline, language, "Name as written")).to_have_text(NAME)
    snap(hotline, shot + "1-revealed")

    # 2. The shelter's case worker records consent to a referral to the legal-aid NGO (not to its identity) and
    #    refers the person for legal aid; the lawyer accepts, records the service, and never learns the name.
    case_path = reverse("cases:detail", args=[case.pk])
    shelter = _log_in(open_page, live_server, cast.shelter_worker, language, case_path)
    _give_consent(shelter, language, case, ConsentPurpose.REFERRAL, cast.legal_aid)
    _refer(shelter, language, case, cast.legal_aid, Service.LEGAL_AID)
    snap(shelter, shot + "2-referred")

    lawyer = _log_in(open_page, live_server, cast.lawyer, language, reverse("cases:inbox"))
    row = lawyer.locator("main tbody tr", has_text=case.code)
    expect(row).to_contain_text(_label(language, Service.LEGAL_AID.label))
    snap(lawyer, shot + "2-inbox")
    row.get_by_role("button", name=t("Accept"), exact=True).click()
    _message(lawyer, language, "Referral accepted: record the services you give on the case.")
    lawyer.locator("main tbody tr", has_text=case.code).get_by_role("link", name=case.code).click()
    expect(lawyer).to_have_url(url(live_server, case_path))
    expect(lawyer.locator("main .lead")).to_contain_text(SHELTER[f"name_{language}"])  # owned by the shelter
    _no_name(lawyer)
    _tab(lawyer, language, "Person")
    expect(lawyer.locator("main")).to_contain_text(t("Your organisation may not see the identity of this person."))
    expect(lawyer.locator(f'main a[href="{reverse("cases:reveal", args=[case.pk])}"]')).to_have_count(0)
    _no_name(lawyer)
    _tab(lawyer, language, "Services given")
    service = _form(lawyer, "service_add", case.pk)
    service.locator('select[name="service"]').select_option(Service.LEGAL_AID.value)
    service.locator('select[name="outcome"]').select_option(ServiceOutcome.PROVIDED.value)
    service.locator('button[type="submit"]').click()
    _message(lawyer, language, "The service is recorded.")
    given = lawyer.locator("main tbody tr", has_text=_label(language, Service.LEGAL_AID.label))
    expect(given).to_contain_text(LEGAL_AID[f"name_{language}"])
    expect(given).to_contain_text(_label(language, ServiceOutcome.PROVIDED.label))
    _no_name(lawyer)
    snap(lawyer, shot + "2-service-given")
    # Typing the address of the identity page does not open it either: consent does not cover the identity.
    refused = lawyer.goto(reverse("cases:reveal", args=[case.pk]))
    assert refused is not None
    assert refused.status == 403
    _no_name(lawyer)

    # 3. With the person's consent to law enforcement, the case (without the identity) is shared with the police.
    _give_consent(shelter, language, case, ConsentPurpose.LAW_ENFORCEMENT, cast.police)
    share = _form(shelter, "share_create", case.pk)
    share.locator('select[name="organisation"]').select_option(str(cast.police.pk))
    share.locator('textarea[name="purpose"]').fill("Criminal investigation of the recruiter")
    share.locator('select[name="scope"]').select_option(ShareScope.CASE.value)
    expires = timezone.localtime() + dt.timedelta(days=30)
    share.locator('input[name="expires_at"]').fill(expires.strftime("%Y-%m-%dT%H:%M"))
    share.locator('button[type="submit"]').click()
    _message(shelter, language, "The case is shared with the law-enforcement body.")
    expect(shelter.locator("main table", has_text=t("Law-enforcement body"))).to_contain_text(t("Active"))

    # The police have no list of the cases shared with them (reported): the investigator opens the case's address.
    investigator = _log_in(open_page, live_server, cast.investigator, language, case_path)
    expect(investigator.locator("h1")).to_contain_text(case.code)
    expect(investigator.locator("main .lead")).to_contain_text(_label(language, NrmStatus.PRESUMED.label))
    _no_name(investigator)
    snap(investigator, shot + "3-police-reads")

    consents = shelter.locator("main table", has_text=t("Purpose"))
    consent_row = consents.locator("tbody tr", has_text=_label(language, ConsentPurpose.LAW_ENFORCEMENT.label))
    consent_row.get_by_role("button", name=t("Withdraw")).click()
    _message(shelter, language, "The consent is withdrawn; what rested on it has ended.")
    expect(shelter.locator("main table", has_text=t("Law-enforcement body"))).to_contain_text(t("Ended"))
    snap(shelter, shot + "3-consent-withdrawn")

    gone = investigator.reload()
    assert gone is not None
    assert gone.status == 404
    _no_name(investigator)
    expect(investigator.locator("main")).not_to_contain_text(case.code)
    snap(investigator, shot + "3-police-404")

    # 4. The designated identification body, to which the person was referred for documents, records the decision.
    _give_consent(shelter, language, case, ConsentPurpose.REFERRAL, cast.body)
    _refer(shelter, language, case, cast.body, Service.DOCUMENTS)
    officer = _log_in(open_page, live_server, cast.officer, language, reverse("cases:inbox"))
    officer.locator("main tbody tr", has_text=case.code).get_by_role("button", name=t("Accept"), exact=True).click()
    _message(officer, language, "Referral accepted: record the services you give on the case.")
    officer.locator("main tbody tr", has_text=case.code).get_by_role("link", name=case.code).click()
    _tab(officer, language, "Identification")
    expect(officer.locator("main")).to_contain_text(screening.reference)  # the screening, as decision support
    decision = _form(officer, "decide", case.pk)
    decision.locator(f'input[name="outcome"][value="{DecisionOutcome.IDENTIFIED.value}"]').check()
    decision.locator('textarea[name="reasons"]').fill("Recruited by deception, documents and wages withheld in Osh")
    snap(officer, shot + "4-decision-form")
    decision.locator('button[type="submit"]').click()
    _message(officer, language, "The identification decision is recorded.")
    expect(_record(officer, language, "Decision")).to_have_text(_label(language, DecisionOutcome.IDENTIFIED.label))
    expect(_record(officer, language, "Decided by")).to_have_text(BODY[f"name_{language}"])
    _no_name(officer)

    shelter.goto(case_path)
    expect(_record(shelter, language, "NRM status")).to_have_text(_label(language, NrmStatus.IDENTIFIED.label))
    snap(shelter, shot + "4-identified")

    # 5. The shelter closes the case with a reason.
    _tab(shelter, language, "Closure")
    close = _form(shelter, "close", case.pk)
    close.locator('select[name="reason"]').select_option(ClosureReason.SERVICES_COMPLETED.value)
    close.locator('textarea[name="note"]').fill("Assistance completed, the person returned home")
    close.locator('button[type="submit"]').click()
    _message(shelter, language, "The case is closed.")
    expect(_record(shelter, language, "Reason for closure")).to_have_text(
        _label(language, ClosureReason.SERVICES_COMPLETED.label)
    )
    shelter.goto(case_path)
    expect(shelter.locator("main .lead")).to_contain_text(_label(language, NrmStatus.IDENTIFIED.label))
    expect(_record(shelter, language, "Case state")).to_have_text(_label(language, CaseState.CLOSED.label))
    snap(shelter, shot + "5-closed")

    case.refresh_from_db()
    assert case.closed_at is not None
    assert case.status == NrmStatus.IDENTIFIED


def _give_consent(page: Page, language: str, case: VictimCase, purpose: str, organisation: Organisation) -> None:
    """Record the person's own consent, explained in the language, to ``purpose`` for ``organisation`` (no identity)."""
    page.goto(f"{reverse('cases:detail', args=[case.pk])}?tab=consent")
    form = _form(page, "consent_give", case.pk)
    form.locator('select[name="purpose"]').select_option(purpose)
    form.locator('select[name="organisation"]').select_option(str(organisation.pk))
    expect(form.locator('input[name="covers_identity"]')).not_to_be_checked()
    form.locator('select[name="language"]').select_option(language)
    form.locator('button[type="submit"]').click()
    _message(page, language, "The consent is recorded.")


def _refer(page: Page, language: str, case: VictimCase, organisation: Organisation, service: str) -> None:
    page.goto(f"{reverse('cases:detail', args=[case.pk])}?tab=referrals")
    form = _form(page, "refer", case.pk)
    form.locator('select[name="to_organisation"]').select_option(str(organisation.pk))
    form.locator(f'input[name="services"][value="{service}"]').check()
    form.locator('select[name="reason"]').select_option(ReferralReason.ADDITIONAL_SERVICES.value)
    form.locator('button[type="submit"]').click()
    _message(page, language, "The referral is sent.")
    expect(page.locator("main tbody tr", has_text=_label(language, organisation))).to_be_visible()
