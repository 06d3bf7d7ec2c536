"""The demo's referral mechanism: victim cases in every NRM state, spread over the demo organisations.

Everything goes through the cases and screening services, as the demo's case workers, supervisors and the designated
body's officer, so the demo carries the audit trail real work would. The people are invented (Kyrgyz and Russian
names); their documents and phone numbers follow no real numbering. Dates of presumption, decisions, consents and
services lie in the past so that deadlines read true: some reflection periods and shelter stays end within the
reminder window, some are overdue.

Identification decisions are recorded by ``data.IDENTIFICATION_BODY``. A deployment names its bodies in
``CTIP_IDENTIFICATION_BODIES``; if the demo's body is not among them the demo still records its decisions as that
body (for the story to be complete), and the body's officer can record further ones only once the setting names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.test.utils import override_settings
from django.utils import timezone

from ctip.cases import conf, services
from ctip.cases.models import Consent, Referral, VictimCase
from ctip.cases.services import ChildSafeguards, PersonData
from ctip.demo import data
from ctip.orgs.models import Membership, Organisation
from ctip.orgs.roles import Role
from ctip.screening import services as screening_services
from ctip.screening.models import IndicatorCatalogue, Screening

ADULT_INDICATED = (
    "al.dr.nature_of_job",
    "al.dr.wages",
    "al.ex.excessive_hours",
    "al.ex.low_salary",
    "al.cd.documents",
    "al.cd.violence",
)

# The service directory: organisation, service, regions.
DIRECTORY = [
    ("akbulak", "shelter", ["bishkek", "chuy"]),
    ("akbulak", "psychological", ["bishkek", "chuy"]),
    ("akbulak", "medical", ["bishkek"]),
    ("jardam", "psychological", ["osh", "osh_city", "jalal_abad", "batken"]),
    ("jardam", "family_tracing", ["osh", "osh_city"]),
    ("ukuk", "legal_aid", ["bishkek", "chuy", "osh", "osh_city"]),
    ("sms", "documents", ["national"]),
    ("iom", "return", ["national"]),
    ("iom", "vocational_training", ["bishkek", "osh"]),
    ("iom", "financial", ["national"]),
]


@dataclass(frozen=True)
class Cast:
    shelter: Membership  # akbulak case worker
    shelter_sup: Membership  # akbulak supervisor
    hotline: Membership  # jardam case worker
    hotline_sup: Membership  # jardam supervisor
    legal: Membership  # ukuk case worker
    body: Membership  # the designated body's identification officer
    iom: Membership  # the return case worker
    police: Membership  # mvd investigator
    coordinator: Membership
    orgs: dict[str, Organisation]


def _member(local: str, org: str) -> Membership:
    return Membership.objects.select_related("organisation", "user").get(
        user__email=data.email(local), organisation__code=org
    )


def _cast(orgs: dict[str, Organisation]) -> Cast:
    return Cast(
        shelter=_member("caseworker", "akbulak"),
        shelter_sup=_member("supervisor", "akbulak"),
        hotline=_member("outreach", "jardam"),
        hotline_sup=_member("supervisor.jardam", "jardam"),
        legal=_member("outreach", "ukuk"),
        body=_member("identification.sms", data.IDENTIFICATION_BODY),
        iom=_member("caseworker.iom", "iom"),
        police=_member("investigator", "mvd"),
        coordinator=Membership.objects.get(organisation=orgs["mlsm"], roles__role=Role.COORDINATOR),
        orgs=orgs,
    )


@contextmanager
def _designated_body() -> Iterator[None]:
    bodies = conf.identification_bodies()
    if data.IDENTIFICATION_BODY in bodies:
        yield
        return
    with override_settings(CTIP_IDENTIFICATION_BODIES=[*bodies, data.IDENTIFICATION_BODY]):
        yield


# --- People -------------------------------------------------------------------------------------------------------

# name as written, in Latin script, sex, year of birth, citizenship, languages
PEOPLE = [
    ("Айпери Мамытова", "Aiperi Mamytova", "Feminine", 1999, "KG", ["ky", "ru"]),
    ("Нурбек Сатыбалдиев", "Nurbek Satybaldiev", "Masculine", 1991, "KG", ["ky"]),
    ("Гүлзат Орозова", "Gulzat Orozova", "Feminine", 2001, "KG", ["ky", "ru"]),
    ("Ольга Ковалёва", "Olga Kovalyova", "Feminine", 1995, "KG", ["ru"]),
    ("Бекзат Турсунбаев", "Bekzat Tursunbaev", "Masculine", 1988, "KG", ["ky", "ru"]),
    ("Дмитрий Соколов", "Dmitry Sokolov", "Masculine", 1984, "KZ", ["ru"]),
    ("Жаркынай Абдиева", "Zharkynai Abdieva", "Feminine", 1997, "KG", ["ky"]),
    ("Наталья Ермакова", "Natalya Ermakova", "Feminine", 1993, "KG", ["ru"]),
    ("Эрмек Касымов", "Ermek Kasymov", "Masculine", 1990, "KG", ["ky", "ru"]),
    ("Мээрим Жусупова", "Meerim Zhusupova", "Feminine", 2000, "KG", ["ky"]),
    ("Сергей Литвинов", "Sergei Litvinov", "Masculine", 1986, "KG", ["ru"]),
    ("Алтынай Бейшеева", "Altynai Beisheeva", "Feminine", 1998, "KG", ["ky", "ru"]),
]
CHILDREN = [
    ("Улан Токтосунов", "Ulan Toktosunov", "Masculine", "Токтосунова Бурул (апасы)"),
    ("Чынара Эсенова", "Chynara Esenova", "Feminine", "Эсенов Мирбек (атасы)"),
]


def _adult(n: int) -> PersonData:
    name, latin, gender, born, citizenship, languages = PEOPLE[n]
    return PersonData(
        name_original=name,
        name_latin=latin,
        gender=gender,
        birth_year=born,
        citizenships=[citizenship],
        document_type="passport",
        document_number=f"DEMO{1000 + n * 37:05d}",
        phone=f"+996 700 90 {n:02d} {n + 10:02d}",
        address="",
        languages=languages,
    )


def _child(n: int) -> tuple[PersonData, str]:
    name, latin, gender, guardian = CHILDREN[n]
    today = timezone.localdate()
    person = PersonData(
        name_original=name,
        name_latin=latin,
        gender=gender,
        birth_date=dt.date(today.year - 15 - n, 3 + n, 12),
        citizenships=["KG"],
        document_type="birth_certificate",
        document_number=f"DEMO-C{500 + n}",
        languages=["ky"],
    )
    return person, guardian


# --- Steps --------------------------------------------------------------------------------------------------------


class Demo:
    def __init__(self, cast: Cast, catalogue: IndicatorCatalogue | None) -> None:
        self.c = cast
        self.catalogue = catalogue
        self.today = timezone.localdate()
        self.now = timezone.now()

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def at(self, days: int) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def screening(self, actor: Membership, days: int, place: str) -> Screening | None:
        if self.catalogue is None:
            return None
        return screening_services.screening_create(
            actor=actor,
            catalogue=self.catalogue,
            age=30,
            indicators=list(ADULT_INDICATED),
            interviewed_on=self.ago(days),
            place=place,
            language="ky",
            consent=screening_services.Consent(by="person", language="ky", given_at=self.at(days)),
        )

    def case(
        self,
        actor: Membership,
        person: PersonData,
        *,
        channel: str,
        region: str,
        exploitation: list[str],
        countries: list[str],
        screening_days: int | None = None,
        child: ChildSafeguards | None = None,
    ) -> VictimCase:
        screening = self.screening(actor, screening_days, region) if screening_days is not None else None
        case = services.case_create(
            actor=actor, person=person, intake_channel=channel, region=region, child=child, screening=screening
        )
        if child is not None and child.notified_at is None:
            return case  # a child's case waits for the child-protection notice before anything else
        changes = {
            "exploitation": exploitation,
            "country_of_origin": "KG",
            "countries_of_exploitation": countries,
            "recruitment_methods": ["ThroughFriendsOrSocialEvents"],
            "means_of_control": ["FalsePromises", "TakesEarnings"],
        }
        if "ForcedLabour" in exploitation:
            changes["sectors"] = ["F_Construction"] if person.gender == "Masculine" else ["C_Manufacturing"]
        return services.case_update(actor=actor, case=case, changes=changes)

    def presume(self, actor: Membership, case: VictimCase, days: int) -> VictimCase:
        return services.case_mark_presumed(
            actor=actor,
            case=case,
            reason="Screening indicated trafficking; the account is consistent and detailed.",
            on=self.ago(days),
        )

    def consent(
        self, actor: Membership, case: VictimCase, purpose: str, org: str | None, days: int, identity: bool = False
    ) -> Consent:
        return services.consent_give(
            actor=actor,
            case=case,
            purpose=purpose,
            given_by="person",
            language="ky",
            organisation=self.c.orgs[org] if org else None,
            covers_identity=identity,
            given_at=self.at(days),
        )

    def refer(self, actor: Membership, case: VictimCase, org: str, services_: list[str], days: int) -> Referral:
        self.consent(actor, case, "referral", org, days, identity=True)
        return services.referral_send(actor=actor, case=case, to_organisation=self.c.orgs[org], services=services_)

    def decide(self, case: VictimCase, outcome: str, days: int) -> None:
        with _designated_body():
            services.identification_decide(
                actor=self.c.body,
                case=case,
                outcome=outcome,
                decided_on=self.ago(days),
                reasons=(
                    "The criteria of the national identification procedure are met: recruitment by deception, "
                    "exploitation and control established from the interview and documents."
                    if outcome == "identified"
                    else "The account does not show the means or the purpose of exploitation; labour dispute."
                ),
            )

    def give(self, actor: Membership, case: VictimCase, service: str, days: int, ended: int | None = None) -> None:
        services.service_record(
            actor=actor,
            case=case,
            service=service,
            started_on=self.ago(days),
            ended_on=self.ago(ended) if ended is not None else None,
            outcome="provided" if ended is not None else "ongoing",
        )


def _directory(c: Cast) -> None:
    for org, service, regions in DIRECTORY:
        for region in regions:
            services.service_offer_add(actor=c.coordinator, organisation=c.orgs[org], service=service, region=region)


def _stories(d: Demo) -> None:
    c = d.c
    rus = ["RU"]
    # 1. Potential: a hotline call yesterday, opened by the shelter.
    one = d.case(
        c.shelter, _adult(0), channel="hotline", region="bishkek", exploitation=["ForcedLabour"], countries=rus
    )
    d.consent(c.shelter, one, "processing", None, 1)

    # 2. Presumed; the reflection period ends in two days; shelter stay ending; a referral sent to legal aid.
    two = d.case(
        c.shelter,
        _adult(1),
        channel="police",
        region="chuy",
        exploitation=["ForcedLabour"],
        countries=rus,
        screening_days=29,
    )
    two = d.presume(c.shelter, two, 28)
    services.shelter_stay_start(actor=c.shelter, case=two, started_on=d.ago(8))
    d.refer(c.shelter, two, "ukuk", ["legal_aid"], 3)

    # 3. Presumed, reflection overdue; legal aid accepted and is working; a note shared with them.
    three = d.case(
        c.shelter,
        _adult(2),
        channel="ngo",
        region="bishkek",
        exploitation=["SexualExploitation"],
        countries=["AE"],
        screening_days=40,
    )
    three = d.presume(c.shelter, three, 35)
    referral = d.refer(c.shelter, three, "ukuk", ["legal_aid"], 33)
    services.referral_accept(actor=c.legal, referral=referral)
    d.give(c.legal, three, "legal_aid", 30)
    d.give(c.shelter, three, "psychological", 34)
    services.note_add(
        actor=c.shelter,
        case=three,
        text="Prefers meetings in the morning; needs an interpreter for Arabic papers.",
        shared=True,
    )

    # 4. Identified by the designated body; documents done; shared with the police for the investigation.
    four = d.case(
        c.shelter,
        _adult(3),
        channel="consulate",
        region="bishkek",
        exploitation=["ForcedLabour"],
        countries=rus,
        screening_days=70,
    )
    four = d.presume(c.shelter, four, 65)
    documents = d.refer(c.shelter, four, "sms", ["documents"], 64)
    services.referral_accept(actor=c.body, referral=documents)
    d.give(c.body, four, "documents", 60, ended=45)
    d.decide(four, "identified", 40)
    services.referral_complete(actor=c.body, referral=documents)
    d.give(c.shelter, four, "shelter", 65, ended=50)
    police = d.consent(c.shelter, four, "law_enforcement", "mvd", 39)
    services.share_create(
        actor=c.shelter,
        case=four,
        organisation=c.orgs["mvd"],
        purpose="Criminal investigation of the recruiter",
        scope="case",
        expires_at=d.now + dt.timedelta(days=90),
        consent=police,
    )

    # 5. Not identified by the body; closed.
    five = d.case(c.shelter, _adult(4), channel="self", region="chuy", exploitation=["ForcedLabour"], countries=rus)
    five = d.presume(c.shelter, five, 50)
    body = d.refer(c.shelter, five, "sms", ["documents"], 49)
    d.decide(five, "not_identified", 30)
    services.referral_revoke(actor=c.shelter, referral=body)
    services.case_close(actor=c.shelter, case=five, reason="NotAVictim")

    # 6. The hotline's case: the shelter had no place (rejected); returned home with IOM (done); closed.
    six = d.case(
        c.hotline,
        _adult(5),
        channel="hotline",
        region="osh",
        exploitation=["ForcedLabour"],
        countries=rus,
        screening_days=90,
    )
    six = d.presume(c.hotline, six, 88)
    shelter = d.refer(c.hotline, six, "akbulak", ["shelter"], 87)
    services.referral_reject(actor=c.shelter, referral=shelter, reason="No place in the shelter this month.")
    back = d.refer(c.hotline, six, "iom", ["return", "financial"], 86)
    services.referral_accept(actor=c.iom, referral=back)
    d.give(c.iom, six, "return", 80, ended=70)
    services.referral_complete(actor=c.iom, referral=back)
    services.case_close(actor=c.hotline, case=six, reason="Returned")

    # 7. The hotline revoked a referral the person no longer wanted; police consent withdrawn, share ended.
    seven = d.case(
        c.hotline,
        _adult(6),
        channel="hotline",
        region="osh_city",
        exploitation=["SexualExploitation"],
        countries=["TR"],
    )
    seven = d.presume(c.hotline, seven, 12)
    revoked = d.refer(c.hotline, seven, "ukuk", ["legal_aid"], 11)
    services.referral_revoke(actor=c.hotline, referral=revoked)
    consent = d.consent(c.hotline, seven, "law_enforcement", "mvd", 10)
    services.share_create(
        actor=c.hotline,
        case=seven,
        organisation=c.orgs["mvd"],
        purpose="Statement for the investigation",
        scope="case",
        expires_at=d.now + dt.timedelta(days=30),
        consent=consent,
    )
    services.consent_withdraw(actor=c.hotline, consent=consent)

    # 8. A child, notified to child protection; the supervisor referred on the legal basis of child protection.
    person, guardian = _child(0)
    eight = d.case(
        c.hotline,
        person,
        channel="police",
        region="jalal_abad",
        exploitation=["ForcedBegging"],
        countries=["KZ"],
        child=ChildSafeguards(
            is_child=True,
            age_at_recruitment=14,
            unaccompanied=True,
            guardian=guardian,
            notified_at=d.at(6),
            body="Jalal-Abad oblast child-protection department",
        ),
    )
    eight = d.presume(c.hotline, eight, 5)
    protection = services.referral_send(
        actor=c.hotline_sup,
        case=eight,
        to_organisation=c.orgs["akbulak"],
        services=["shelter", "psychological"],
        override_reason="Child protection: the child is unaccompanied and at risk (Code on Children).",
    )
    services.referral_accept(actor=c.shelter, referral=protection)
    d.give(c.shelter, eight, "shelter", 4)

    # 9. A child's case just opened by the hotline: nothing else until the notice is recorded.
    person, guardian = _child(1)
    d.case(
        c.hotline_sup,
        person,
        channel="hotline",
        region="osh",
        exploitation=["ChildLabour"],
        countries=["KG"],
        child=ChildSafeguards(is_child=True, age_at_recruitment=16, guardian=guardian),
    )

    # 10. Identified long ago, services completed, closed with follow-up.
    ten = d.case(
        c.shelter, _adult(7), channel="ngo", region="bishkek", exploitation=["ForcedLabour", "Servitude"], countries=rus
    )
    ten = d.presume(c.shelter, ten, 160)
    body_ref = d.refer(c.shelter, ten, "sms", ["documents"], 158)
    services.referral_accept(actor=c.body, referral=body_ref)
    d.decide(ten, "identified", 130)
    services.referral_complete(actor=c.body, referral=body_ref)
    d.give(c.shelter, ten, "shelter", 160, ended=120)
    d.give(c.shelter, ten, "psychological", 150, ended=90)
    training = d.refer(c.shelter, ten, "iom", ["vocational_training"], 100)
    services.referral_accept(actor=c.iom, referral=training)
    d.give(c.iom, ten, "vocational_training", 95, ended=40)
    services.referral_complete(actor=c.iom, referral=training)
    services.case_close(
        actor=c.shelter, case=ten, reason="SociallyIncluded", follow_up_until=d.today + dt.timedelta(days=60)
    )

    # 11–12. Two more potential and presumed cases in the regions, for the lists and the statistics.
    eleven = d.case(
        c.hotline, _adult(8), channel="hotline", region="batken", exploitation=["ForcedLabour"], countries=rus
    )
    d.presume(c.hotline, eleven, 2)
    d.case(c.shelter, _adult(9), channel="other", region="issyk_kul", exploitation=["ForcedMarriage"], countries=["KG"])


def load(orgs: dict[str, Organisation]) -> None:
    """Load this part of the demo; `orgs` maps the demo organisations' codes to them."""
    cast = _cast(orgs)
    catalogue = IndicatorCatalogue.objects.filter(code="ilo-2009").order_by("-version").first()
    _directory(cast)
    _stories(Demo(cast, catalogue))
