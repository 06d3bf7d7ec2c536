"""Synthetic victim cases in bulk, for benchmarks and load tests (``ctip cases-generate``).

Nothing here is real: names, documents and phone numbers are drawn from small made-up lists by a seeded random
generator, so the same seed gives the same data (the ciphertexts differ, as every encryption draws a fresh nonce).
The identity columns go through the same encrypted fields as everything else, one cipher call per value, and the
blind indexes are computed the same way, so the rows are exactly what the services would have written.

Speed comes from writing in chunks with ``bulk_create`` (one transaction per chunk) and from not calling the
per-case services, which would lock the case counter and append an audit event for every case. Instead the case
numbers of each year are reserved from ``CaseCounter`` up front, in one locked transaction, so cases opened later
through the services continue the numbering without a gap or a clash; and one audit event records the whole run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from ctip.accounts.services import user_create
from ctip.audit.services import audit_record
from ctip.cases import conf, vocab
from ctip.cases.models import (
    CaseCounter,
    CaseExploitation,
    Consent,
    Person,
    Referral,
    ReferralService,
    StatusChange,
    VictimCase,
)
from ctip.crypto.fields import BlindIndexField, EncryptedMixin
from ctip.orgs.models import Membership, Organisation, OrgType, Region
from ctip.orgs.roles import Role
from ctip.orgs.services import membership_create, organisation_create

CHUNK = 5000

Row = dict[str, Any]  # a row to write: column attnames to Python values

# Made-up names (Kyrgyz/Russian Cyrillic with a Latin transliteration); combinations repeat, as real names do.
_GIVEN_F = [
    ("Айгерим", "Aigerim"), ("Гүлзат", "Gulzat"), ("Нургүл", "Nurgul"), ("Жылдыз", "Zhyldyz"), ("Асель", "Asel"),
    ("Бегимай", "Begimai"), ("Анна", "Anna"), ("Елена", "Elena"), ("Динара", "Dinara"), ("Сезим", "Sezim"),
]  # fmt: skip
_GIVEN_M = [
    ("Азамат", "Azamat"), ("Бакыт", "Bakyt"), ("Нурлан", "Nurlan"), ("Эрлан", "Erlan"), ("Тимур", "Timur"),
    ("Руслан", "Ruslan"), ("Алексей", "Aleksei"), ("Улан", "Ulan"), ("Данияр", "Daniiar"), ("Мирлан", "Mirlan"),
]  # fmt: skip
_FAMILY = [
    ("Абдыкадыров", "Abdykadyrov"), ("Токтогулов", "Toktogulov"), ("Осмонов", "Osmonov"), ("Сыдыков", "Sydykov"),
    ("Жумабаев", "Zhumabaev"), ("Иванов", "Ivanov"), ("Калыев", "Kalyev"), ("Мамытов", "Mamytov"),
    ("Турдубаев", "Turdubaev"), ("Асанов", "Asanov"), ("Бейшеналиев", "Beishenaliev"), ("Исаков", "Isakov"),
]  # fmt: skip
_STREETS = ["Чүй проспекти", "Манас көчөсү", "Ленина көчөсү", "Курманжан Датка көчөсү", "Масалиева көчөсү"]
_DESTINATIONS = ["RU", "KZ", "TR", "AE", "KR", "CN", "UZ", "TJ", "DE", "PL"]
_REGIONS = [r for r in Region.values if r != Region.NATIONAL]
# Status of a case, by weight: most cases stop at potential or presumed, as in the NRM statistics of the region.
_STATUS_WEIGHTS = {
    vocab.NrmStatus.POTENTIAL: 40,
    vocab.NrmStatus.PRESUMED: 30,
    vocab.NrmStatus.IDENTIFIED: 20,
    vocab.NrmStatus.NOT_IDENTIFIED: 10,
}
# Read once: a TextChoices' ``values`` is rebuilt on every access.
_EDUCATION = vocab.Education.values[1:5]
_MARITAL = vocab.MaritalStatus.values[:4]
_CLOSURE = vocab.ClosureReason.values[:6]
_SERVICES = vocab.Service.values


@dataclass
class Generated:
    """What a run created; ``counts`` by model name."""

    organisations: list[Organisation] = field(default_factory=list)
    case_workers: list[Membership] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def _refuse_bad_arguments(cases: int, organisations: int, years: int, prefix: str) -> None:
    errors: dict[str, str] = {}
    if cases < 0:
        errors["cases"] = f"--cases must be 0 or more, not {cases}"
    if organisations < 1:
        errors["organisations"] = f"--organisations must be 1 or more, not {organisations}"
    elif organisations > 9999:
        errors["organisations"] = f"--organisations must be at most 9999, not {organisations}"
    if years < 1 or years > 50:
        errors["years"] = f"--years must be between 1 and 50, not {years}"
    if not prefix or len(prefix) > 20 or not all(c.isalnum() or c in "-_" for c in prefix) or not prefix.isascii():
        errors["prefix"] = f"--prefix must be 1 to 20 Latin letters, digits, - or _, not {prefix!r}"
    if errors:
        raise ValidationError(errors)


def _people(organisations: int, prefix: str, result: Generated) -> None:
    """Create the organisations and one case worker each, through the ordinary services (each audited)."""
    codes = [f"{prefix}-{i:04d}" for i in range(1, organisations + 1)]
    taken = list(Organisation.objects.filter(code__in=codes).values_list("code", flat=True)[:3])
    if taken:
        raise ValidationError({"prefix": f"organisations {', '.join(taken)} already exist; choose another --prefix"})
    for i, code in enumerate(codes, start=1):
        org = organisation_create(
            by=None,
            code=code,
            name_ky=f"Сыноо уюму {i}",
            name_ru=f"Тестовая организация {i}",
            name_en=f"Generated organisation {i}",
            org_type=OrgType.NGO,
            region=_REGIONS[(i - 1) % len(_REGIONS)],
        )
        user = user_create(
            by=None, email=f"worker@{code}.generated.invalid", full_name=f"Case worker {i}", password=None
        )
        membership = membership_create(by=None, acting=None, user=user, organisation=org, roles=[Role.CASE_WORKER])
        result.organisations.append(org)
        result.case_workers.append(membership)


def _reserve_numbers(created: list[dt.datetime], tz: zoneinfo.ZoneInfo) -> list[str]:
    """Give each case (in order of opening) its code, reserving each year's block from the counter at once."""
    years = [moment.astimezone(tz).year for moment in created]
    per_year = Counter(years)
    prefix = conf.case_code_prefix()
    first: dict[int, int] = {}
    with transaction.atomic():
        for year in sorted(per_year):
            CaseCounter.objects.get_or_create(year=year)
            counter = CaseCounter.objects.select_for_update().get(year=year)
            first[year] = counter.last + 1
            counter.last += per_year[year]
            counter.save(update_fields=["last"])
    codes = []
    for year in years:
        codes.append(f"{prefix}-{year}-{first[year]:05d}")
        first[year] += 1
    return codes


def generate(
    *,
    cases: int,
    organisations: int,
    seed: int = 0,
    years: int = 8,
    prefix: str = "gen",
    chunk: int = CHUNK,
    now: dt.datetime | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> Generated:
    """Create ``organisations`` organisations with a case worker each and ``cases`` cases spread over them.

    Each case has a person (identity encrypted), one or two forms of exploitation, its status history, and about
    one in twenty a consent and a referral to another generated organisation. Cases are opened at random moments
    over the last ``years`` years and written in the order they were opened. ``progress(done, total, seconds)``
    is called after every chunk. Raises ValidationError (nothing written) on bad arguments or a prefix in use.
    """
    _refuse_bad_arguments(cases, organisations, years, prefix)
    started = time.monotonic()
    result = Generated()
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        _people(organisations, prefix, result)
        audit_record(
            action="cases.generate",
            actor=None,
            obj=None,
            details={"cases": cases, "organisations": organisations, "seed": seed, "prefix": prefix},
        )
    span = years * 365 * 86400
    # Sorted offsets into the past: cases are written oldest first, as they would have been opened.
    created = [
        now - dt.timedelta(seconds=s) for s in sorted((rng.uniform(0, span) for _ in range(cases)), reverse=True)
    ]
    codes = _reserve_numbers(created, tz)
    owners = [(m.organisation_id, m.pk, m.user_id) for m in result.case_workers]
    for begin in range(0, cases, chunk):
        end = min(begin + chunk, cases)
        with transaction.atomic():
            _write_chunk(rng, created[begin:end], codes[begin:end], owners, now, result.counts)
        if progress is not None:
            progress(end, cases, time.monotonic() - started)
    result.seconds = time.monotonic() - started
    return result


def _person(rng: random.Random, org_id: int, opened: dt.datetime) -> Row:
    feminine = rng.random() < 0.6
    given = rng.choice(_GIVEN_F if feminine else _GIVEN_M)
    family = rng.choice(_FAMILY)
    ending = ("а", "a") if feminine else ("", "")
    age = rng.randint(12, 55)
    born = opened.date() - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    known_date = rng.random() < 0.8
    return {
        "organisation_id": org_id,
        "name_original": f"{given[0]} {family[0]}{ending[0]}",
        "name_latin": f"{given[1]} {family[1]}{ending[1]}",
        "birth_date": born if known_date else None,
        "birth_year": "" if known_date else str(born.year),
        "gender": vocab.Gender.FEMININE if feminine else vocab.Gender.MASCULINE,
        "citizenships": ["KG"],
        "document_type": vocab.DocumentType.PASSPORT,
        "document_number": f"A{rng.choice('CNP')}{rng.randrange(10**7):07d}",
        "phone": f"+996 {rng.choice((550, 555, 700, 705, 770, 777))} {rng.randrange(10**6):06d}",
        "address": f"{rng.choice(_STREETS)}, {rng.randint(1, 250)}",
        "languages": ["ky", "ru"] if rng.random() < 0.7 else ["ru"],
        "education": rng.choice(_EDUCATION),
        "marital_status": rng.choice(_MARITAL),
        "children": str(rng.choice((0, 0, 0, 1, 2, 3))),
        "created_at": opened,
    }


def _write_chunk(
    rng: random.Random,
    created: list[dt.datetime],
    codes: list[str],
    owners: list[tuple[int, int, int]],
    now: dt.datetime,
    counts: Counter[str],
) -> None:
    statuses = list(_STATUS_WEIGHTS)
    weights = list(_STATUS_WEIGHTS.values())
    exploitations = vocab.Exploitation.values
    sectors = vocab.Sector.values
    methods = vocab.Recruitment.values
    controls = vocab.MeansOfControl.values
    relations = vocab.RelationshipToRecruiter.values
    channels = vocab.IntakeChannel.values
    today = now.date()
    reflection = dt.timedelta(days=conf.reflection_days())

    plan = [rng.randrange(len(owners)) for _ in created]
    persons = [_person(rng, owners[o][0], opened) for o, opened in zip(plan, created, strict=True)]
    _insert(Person, persons)

    rows: list[Row] = []
    for person, o, opened, code in zip(persons, plan, created, codes, strict=True):
        org_id, worker_id, user_id = owners[o]
        status = rng.choices(statuses, weights)[0]
        presumed = decided = None
        if status != vocab.NrmStatus.POTENTIAL:
            presumed = min(opened.date() + dt.timedelta(days=rng.randint(0, 60)), today)
        if status in (vocab.NrmStatus.IDENTIFIED, vocab.NrmStatus.NOT_IDENTIFIED):
            decided = min(presumed + dt.timedelta(days=rng.randint(5, 90)), today)  # type: ignore[operator]
        closed = None
        if (now - opened).days > 365 and rng.random() < 0.6:
            closed = opened + dt.timedelta(days=rng.randint(120, 365))
        child = rng.random() < 0.1
        internal = rng.random() < 0.15
        rows.append(
            {
                "code": code,
                "person_id": person["id"],
                "owner_id": org_id,
                "case_worker_id": worker_id,
                "status": status,
                "state": vocab.CaseState.CLOSED if closed else vocab.CaseState.ACTIVE,
                "intake_channel": rng.choice(channels),
                "region": rng.choice(_REGIONS),
                "sectors": rng.sample(sectors, rng.randint(0, 2)),
                "recruitment_methods": rng.sample(methods, rng.randint(1, 2)),
                "means_of_control": rng.sample(controls, rng.randint(1, 3)),
                "country_of_origin": "KG",
                "countries_of_transit": [] if internal or rng.random() < 0.7 else ["KZ"],
                "countries_of_exploitation": ["KG"] if internal else [rng.choice(_DESTINATIONS)],
                "internal_trafficking": internal,
                "relationship_to_recruiter": rng.choice(relations),
                "is_child": child,
                "age_at_recruitment": rng.randint(12, 17) if child else rng.randint(18, 55),
                "unaccompanied": (rng.random() < 0.3) if child else None,
                "guardian": "Ата-энеси / родитель" if child else "",
                "child_protection_notified_at": opened + dt.timedelta(hours=rng.randint(1, 48)) if child else None,
                "child_protection_body": "Балдарды коргоо бөлүмү" if child else "",
                "presumed_on": presumed,
                "identified_on": decided,
                "reflection_ends_on": presumed + reflection if presumed else None,
                "closed_at": closed,
                "closure_reason": rng.choice(_CLOSURE) if closed else "",
                "follow_up_until": None,
                "created_by_id": user_id,
                "created_at": opened,
            }
        )
    _insert(VictimCase, rows)

    kinds: list[Row] = []
    history: list[Row] = []
    consents: list[Row] = []
    referred: list[tuple[Row, int, int]] = []
    for case, o in zip(rows, plan, strict=True):
        org_id, _worker_id, user_id = owners[o]
        for kind in rng.sample(exploitations, 1 if rng.random() < 0.7 else 2):
            kinds.append({"case_id": case["id"], "type": kind})
        steps: list[tuple[str, str, dt.datetime]] = [("", vocab.NrmStatus.POTENTIAL, case["created_at"])]
        if case["presumed_on"]:
            steps.append((vocab.NrmStatus.POTENTIAL, vocab.NrmStatus.PRESUMED, _moment(case["presumed_on"], case)))
        if case["identified_on"]:
            steps.append((vocab.NrmStatus.PRESUMED, case["status"], _moment(case["identified_on"], case)))
        for before, after, at in steps:
            history.append(
                {
                    "case_id": case["id"],
                    "from_status": before,
                    "to_status": after,
                    "at": at,
                    "by_id": user_id,
                    "organisation_id": org_id,
                }
            )
        if len(owners) > 1 and rng.random() < 0.05:
            to = rng.randrange(len(owners) - 1)
            to_org = owners[to if to < o else to + 1][0]
            consents.append(
                {
                    "case_id": case["id"],
                    "purpose": vocab.ConsentPurpose.REFERRAL,
                    "organisation_id": to_org,
                    "covers_identity": rng.random() < 0.5,
                    "given_by": vocab.ConsentBy.GUARDIAN if case["is_child"] else vocab.ConsentBy.PERSON,
                    "language": rng.choice(("ky", "ru")),
                    "given_at": case["created_at"] + dt.timedelta(days=1),
                    "recorded_by_id": user_id,
                }
            )
            referred.append((case, to_org, user_id))
    _insert(CaseExploitation, kinds)
    _insert(StatusChange, history)
    _insert(Consent, consents)

    referrals: list[Row] = []
    referral_statuses = vocab.ReferralStatus.values
    for consent, (case, to_org, user_id) in zip(consents, referred, strict=True):
        referral_status: str = vocab.ReferralStatus.DONE if case["closed_at"] else rng.choice(referral_statuses)
        sent = case["created_at"] + dt.timedelta(days=rng.randint(1, 30))
        answered = sent + dt.timedelta(days=1) if referral_status != vocab.ReferralStatus.SENT else None
        referrals.append(
            {
                "case_id": case["id"],
                "from_organisation_id": case["owner_id"],
                "to_organisation_id": to_org,
                "status": referral_status,
                "reason": vocab.ReferralReason.ADDITIONAL_SERVICES,
                "consent_id": consent["id"],
                "sent_at": sent,
                "sent_by_id": user_id,
                "responded_at": answered if referral_status != vocab.ReferralStatus.REVOKED else None,
                "rejection_reason": "Орун жок / нет мест" if referral_status == vocab.ReferralStatus.REJECTED else "",
                "done_at": answered if referral_status == vocab.ReferralStatus.DONE else None,
                "ended_at": answered if referral_status == vocab.ReferralStatus.REVOKED else None,
                "end_reason": vocab.EndReason.ENDED_BY_OWNER if referral_status == vocab.ReferralStatus.REVOKED else "",
            }
        )
    _insert(Referral, referrals)
    services = [
        {"referral_id": referral["id"], "service": service}
        for referral in referrals
        for service in rng.sample(_SERVICES, rng.randint(1, 2))
    ]
    _insert(ReferralService, services)

    counts["persons"] += len(persons)
    counts["cases"] += len(rows)
    counts["exploitations"] += len(kinds)
    counts["status_changes"] += len(history)
    counts["consents"] += len(consents)
    counts["referrals"] += len(referrals)
    counts["referral_services"] += len(services)


def _insert(model: type[models.Model], rows: list[Row]) -> None:
    """Write new rows and put each one's id into it (``row["id"]``), for the rows that refer to it.

    On PostgreSQL: ids drawn from the table's sequence, then one COPY. Elsewhere: ``bulk_create``. Either way each
    column's value is prepared by its own field (encrypted columns encrypt, blind indexes hash, JSON is dumped).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        model._default_manager.bulk_create(objs)
        for row, obj in zip(rows, objs, strict=True):
            row["id"] = obj.pk
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = pk
        fields = meta.concrete_fields
        readers = [_reader(f, rows[0]) for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.attname if f.column is None else f.column) for f in fields)
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([read(row) for read in readers])


def _reader(f: models.Field[Any, Any], sample: Row) -> Callable[[Row], Any]:
    """How one column's value is read from a row, as the field itself would prepare it for saving."""
    name = f.attname
    if isinstance(f, BlindIndexField):
        return lambda row: f.compute(row.get(f.source))
    if name not in sample:
        default = f.get_default()
        if isinstance(f, EncryptedMixin):
            return lambda row: f.get_prep_value(default)  # a fresh nonce for every row
        prepared = json.dumps(default) if isinstance(f, models.JSONField) else default
        return lambda row: prepared
    if isinstance(f, EncryptedMixin):
        return lambda row: f.get_prep_value(row[name])  # the cipher, once per value
    if isinstance(f, models.JSONField):
        return lambda row: json.dumps(row[name])
    return lambda row: row[name]


def _moment(day: dt.date, case: Row) -> dt.datetime:
    """Noon UTC of ``day``, but never before the case was opened."""
    opened: dt.datetime = case["created_at"]
    return max(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), opened)


__all__ = ["CHUNK", "Generated", "generate"]
