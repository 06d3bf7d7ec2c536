"""The demo's coordination part: the national council, two meetings with decisions, and partners' activities.

Everything goes through the coordination services, as the coordinator and the organisations' own members would.
Free texts (agenda, minutes, decisions, activities) are in Russian, the working language of the council's papers;
the body's name is in the three languages.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ctip.coordination import services
from ctip.coordination.access import ACTIVITY_ROLES
from ctip.coordination.models import BodyKind, Decision, DecisionStatus, MeetingStatus
from ctip.orgs.models import Membership, Organisation, Region
from ctip.orgs.roles import Role
from ctip.plans.models import Action, Pillar, Program

COUNCIL_MEMBERS = ("mlsm", "mvd", "gpo", "sms", "mfa", "akbulak", "unodc", "iom")

# (responsible, pillar of the linked action, text, days from the meeting to the deadline, follow-up or None)
DECISIONS: list[tuple[str, str, str, int, tuple[str, str] | None]] = [
    (
        "mvd",
        Pillar.PROSECUTION,
        "Провести обучение следователей областных управлений по выявлению признаков торговли людьми.",
        60,
        (DecisionStatus.DONE, "Обучены 48 следователей в Оше, Джалал-Абаде и Бишкеке."),
    ),
    (
        "sms",
        Pillar.PROTECTION,
        "Разместить информацию о горячей линии в пунктах пропуска через государственную границу.",
        120,
        (DecisionStatus.IN_PROGRESS, "Плакаты размещены в аэропорту «Манас»; наземные пункты — до конца квартала."),
    ),
    (
        "gpo",
        Pillar.PROSECUTION,
        "Обобщить практику по уголовным делам о торговле людьми за прошлый год и представить совету.",
        45,
        None,
    ),
    (
        "mfa",
        Pillar.PARTNERSHIP,
        "Подготовить проект соглашения о взаимодействии консульств при возвращении пострадавших.",
        400,
        None,
    ),
    (
        "akbulak",
        Pillar.PROTECTION,
        "Открыть второй приют в Чуйской области.",
        90,
        (DecisionStatus.CANCELLED, "Заменено решением о расширении существующего приюта в Бишкеке."),
    ),
]

# (organisation, title, description, region, pillar, start offset in days, length in days, beneficiaries by sex)
ACTIVITIES: list[tuple[str, str, str, str, str, int, int, tuple[int, int, int, int]]] = [
    (
        "akbulak",
        "Приют и реабилитация пострадавших",
        "Проживание, психологическая и медицинская помощь.",
        Region.BISHKEK,
        Pillar.PROTECTION,
        -300,
        365,
        (31, 9, 4, 2),
    ),
    (
        "ukuk",
        "Юридическая помощь пострадавшим в уголовном процессе",
        "Представительство интересов пострадавших в суде.",
        Region.CHUY,
        Pillar.PROSECUTION,
        -200,
        300,
        (12, 6, 0, 0),
    ),
    (
        "jardam",
        "Информационная кампания о безопасной миграции",
        "Встречи в школах и сёлах, листовки, горячая линия.",
        Region.OSH,
        Pillar.PREVENTION,
        -120,
        180,
        (420, 380, 150, 140),
    ),
    (
        "unodc",
        "Семинары для местных сообществ о рисках вербовки",
        "Совместно с айыл окмоту; сельские сходы.",
        Region.OSH,
        Pillar.PREVENTION,
        -60,
        120,
        (210, 190, 0, 0),
    ),
    (
        "iom",
        "Помощь в возвращении и реинтеграции",
        "Возвращение из-за рубежа, стартовые гранты.",
        Region.JALAL_ABAD,
        Pillar.PROTECTION,
        -150,
        365,
        (18, 11, 1, 2),
    ),
]


def _member(org: Organisation, roles: tuple[str, ...]) -> Membership | None:
    return (
        Membership.objects.filter(organisation=org, is_active=True, roles__role__in=roles)
        .select_related("user", "organisation")
        .prefetch_related("roles")
        .order_by("pk")
        .first()
    )


def load(orgs: dict[str, Organisation]) -> None:
    """Load this part of the demo; `orgs` maps the demo organisations' codes to them."""
    coordinator = _member(orgs["mlsm"], (Role.COORDINATOR,))
    if coordinator is None:
        return
    today = timezone.localdate()
    program = Program.objects.order_by("-starts_on", "-pk").first()
    council = services.body_create(
        actor=coordinator,
        name_ky="Адам сатууга каршы аракеттенүү боюнча улуттук кеңеш",
        name_ru="Национальный совет по противодействию торговле людьми",
        name_en="National Council on Combating Trafficking in Persons",
        kind=BodyKind.NATIONAL_COUNCIL,
        chair=orgs["mlsm"],
        members=[orgs[code] for code in COUNCIL_MEMBERS],
    )
    held_on = min(dt.date(today.year, 3, 14), today - dt.timedelta(days=30))
    held = services.meeting_create(
        actor=coordinator,
        body=council,
        date=held_on,
        place="Бишкек, Дом правительства",
        status=MeetingStatus.HELD,
        agenda="1. Итоги выполнения Плана действий за второе полугодие.\n2. Выявление и защита пострадавших.\n"
        "3. Разное.",
        attended=[orgs[c] for c in ("mlsm", "mvd", "gpo", "sms", "akbulak", "unodc")],
        others_invited="Программный офис ОБСЕ в Бишкеке",
        minutes="Заслушаны отчёты МВД, ГП и ГМС. Отмечен рост числа выявленных пострадавших. Приняты решения 1–5.",
    )
    for number, (code, pillar, text, days, follow_up) in enumerate(DECISIONS, start=1):
        decision = services.decision_create(
            actor=coordinator,
            meeting=held,
            number=str(number),
            text=text,
            responsible=orgs[code],
            deadline=held_on + dt.timedelta(days=days),
            action=_action(program, pillar, orgs[code]),
        )
        if follow_up is not None:
            _follow_up(decision, coordinator, orgs[code], *follow_up, on=min(today, decision.deadline))
    services.meeting_create(
        actor=coordinator,
        body=council,
        date=today + dt.timedelta(days=45),
        place="Бишкек, Министерство труда",
        agenda="1. Ход выполнения решений предыдущего заседания.\n2. Проект отчёта за полугодие.",
    )
    _activities(orgs, program, today)


def _action(program: Program | None, pillar: str, responsible: Organisation | None = None) -> Action | None:
    """An action of the pillar, preferably one the responsible organisation leads."""
    if program is None:
        return None
    rows = Action.objects.filter(program=program, pillars__pillar=pillar).order_by("code")
    return (rows.filter(lead=responsible).first() if responsible else None) or rows.first()


def _follow_up(
    decision: Decision, coordinator: Membership, org: Organisation, status: str, note: str, on: dt.date
) -> None:
    """Posted by the organisation's focal point when it has one, else by the council's secretariat."""
    actor = _member(org, (Role.ORG_ADMIN, Role.SUPERVISOR, Role.ANALYST)) or coordinator
    services.decision_follow_up(actor=actor, decision=decision, status=status, note=note, on=on)


def _activities(orgs: dict[str, Organisation], program: Program | None, today: dt.date) -> None:
    # An organisation with no member who records activities (in the demo: none for IOM) is skipped.
    for code, title, description, region, pillar, offset, length, (women, men, girls, boys) in ACTIVITIES:
        actor = _member(orgs[code], ACTIVITY_ROLES)
        if actor is None:
            continue
        starts_on = today + dt.timedelta(days=offset)
        action = _action(program, pillar)  # the first action of the pillar: Jardam and UNODC overlap on it in Osh
        services.activity_create(
            actor=actor,
            title=title,
            description=description,
            region=region,
            pillar=pillar,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=length),
            action=action,
            beneficiaries=women + men + girls + boys,
            women=women,
            men=men,
            girls=girls,
            boys=boys,
        )
