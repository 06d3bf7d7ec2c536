"""Demo organisations and people, modelled on the Kyrgyz reference deployment. NGO names are invented."""

from __future__ import annotations

from ctip.orgs.models import OrgType, Region
from ctip.orgs.roles import Role

DEMO_PASSWORD = "ctip-demo-2026"
DEMO_DOMAIN = "demo.ctip.test"

# code, type, region, (ky, ru, en)
ORGANISATIONS = [
    (
        "mlsm",
        OrgType.CENTRAL_GOVERNMENT,
        Region.NATIONAL,
        (
            "Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлиги",
            "Министерство труда, социального обеспечения и миграции Кыргызской Республики",
            "Ministry of Labour, Social Security and Migration",
        ),
    ),
    (
        "mvd",
        OrgType.LAW_ENFORCEMENT,
        Region.NATIONAL,
        (
            "Кыргыз Республикасынын Ички иштер министрлиги",
            "Министерство внутренних дел Кыргызской Республики",
            "Ministry of Internal Affairs (police)",
        ),
    ),
    (
        "gpo",
        OrgType.LAW_ENFORCEMENT,
        Region.NATIONAL,
        (
            "Кыргыз Республикасынын Башкы прокуратурасы",
            "Генеральная прокуратура Кыргызской Республики",
            "Prosecutor General's Office",
        ),
    ),
    (
        "sms",
        OrgType.IMMIGRATION,
        Region.NATIONAL,
        (
            "Мамлекеттик миграция кызматы",
            "Государственная миграционная служба",
            "State Migration Service",
        ),
    ),
    (
        "mfa",
        OrgType.CENTRAL_GOVERNMENT,
        Region.NATIONAL,
        (
            "Кыргыз Республикасынын Тышкы иштер министрлиги",
            "Министерство иностранных дел Кыргызской Республики",
            "Ministry of Foreign Affairs",
        ),
    ),
    (
        "akbulak",
        OrgType.NGO,
        Region.BISHKEK,
        (
            "«Ак-Булак» кризистик борбору",
            "Кризисный центр «Ак-Булак»",
            "Ak-Bulak Crisis Centre (shelter)",
        ),
    ),
    (
        "jardam",
        OrgType.NGO,
        Region.OSH,
        (
            "«Жардам» ишеним телефону",
            "Горячая линия «Жардам»",
            "Jardam Hotline",
        ),
    ),
    (
        "ukuk",
        OrgType.LEGAL,
        Region.BISHKEK,
        (
            "«Укук» юридикалык жардам борбору",
            "Центр правовой помощи «Укук»",
            "Ukuk Legal Aid Centre",
        ),
    ),
    (
        "unodc",
        OrgType.INTERNATIONAL,
        Region.NATIONAL,
        (
            "БУУнун Баңгизаттар жана кылмыштуулук боюнча башкармалыгы (UNODC)",
            "Управление ООН по наркотикам и преступности (УНП ООН)",
            "United Nations Office on Drugs and Crime (UNODC)",
        ),
    ),
    (
        "iom",
        OrgType.INTERNATIONAL,
        Region.NATIONAL,
        (
            "Эл аралык миграция уюму (ЭМУ)",
            "Международная организация по миграции (МОМ)",
            "International Organization for Migration (IOM)",
        ),
    ),
    (
        "inl",
        OrgType.DONOR,
        Region.NATIONAL,
        (
            "АКШ Мамлекеттик департаментинин Эл аралык баңгизат жана укук коргоо бюросу (INL)",
            "Бюро по международным наркотикам и правоохранительным вопросам Госдепартамента США (INL)",
            "U.S. Department of State, Bureau of International Narcotics and Law Enforcement Affairs (INL)",
        ),
    ),
]

# local part of the e-mail, full name, [(organisation code, roles)]
PEOPLE = [
    ("coordinator", "Айгүл Токтогулова", [("mlsm", [Role.COORDINATOR])]),
    ("orgadmin", "Нурлан Асанов", [("akbulak", [Role.ORG_ADMIN])]),
    ("caseworker", "Жылдыз Мамбетова", [("akbulak", [Role.CASE_WORKER])]),
    ("supervisor", "Гүлнара Сыдыкова", [("akbulak", [Role.SUPERVISOR, Role.CASE_WORKER])]),
    ("investigator", "Бакыт Жумабаев", [("mvd", [Role.INVESTIGATOR])]),
    ("prosecutor", "Эрлан Усенов", [("gpo", [Role.PROSECUTOR])]),
    ("analyst", "Динара Абдыкадырова", [("mlsm", [Role.ANALYST])]),
    ("partner", "Anna Keller", [("unodc", [Role.PARTNER])]),
    ("viewer", "John Doe", [("inl", [Role.VIEWER])]),
    (
        "outreach",
        "Азамат Осмонов",
        [("jardam", [Role.CASE_WORKER]), ("ukuk", [Role.CASE_WORKER, Role.ORG_ADMIN])],
    ),
    # Focal points who file their agency's progress reports on the action plan (see ctip.demo.plan).
    ("focal.mvd", "Руслан Бекмуратов", [("mvd", [Role.ANALYST])]),
    ("focal.gpo", "Айзада Керимбекова", [("gpo", [Role.ANALYST])]),
    ("focal.sms", "Мирлан Турдубаев", [("sms", [Role.ORG_ADMIN])]),
    ("focal.mfa", "Чолпон Алиева", [("mfa", [Role.ANALYST])]),
    ("focal.jardam", "Бурулай Ташиева", [("jardam", [Role.ORG_ADMIN])]),
    # The referral mechanism (see ctip.demo.cases): the hotline's supervisor, the designated body's identification
    # officer, and the migration organisation's return case worker.
    ("supervisor.jardam", "Нургүл Жээнбекова", [("jardam", [Role.SUPERVISOR, Role.CASE_WORKER])]),
    ("identification.sms", "Канатбек Орозбаев", [("sms", [Role.CASE_WORKER])]),
    ("caseworker.iom", "Елена Морозова", [("iom", [Role.CASE_WORKER])]),
]

# The organisation that records formal identification decisions in the demo. A deployment names its own in
# CTIP_IDENTIFICATION_BODIES; the demo's decisions are recorded as this body (see ctip.demo.cases).
IDENTIFICATION_BODY = "sms"
# The ministry the demo's Program names as national coordinator; `make demo` sets CTIP_COORDINATING_BODIES to it, and
# the demo designates it while loading if the deployment has not (ctip.demo.services).
COORDINATING_BODY = "mlsm"


def email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


ADMIN_EMAIL = email("admin")
