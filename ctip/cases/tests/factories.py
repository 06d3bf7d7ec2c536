"""Helpers for the case tests: a person's data, and cases made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ctip.cases import services
from ctip.cases.models import VictimCase
from ctip.cases.services import ChildSafeguards, PersonData
from ctip.orgs.models import Membership

NAME = "Айгүл Токтогулова"


def person_data(**overrides: Any) -> PersonData:
    fields: dict[str, Any] = {
        "name_original": NAME,
        "name_latin": "Aigul Toktogulova",
        "gender": "Feminine",
        "birth_date": dt.date(1998, 4, 2),
        "citizenships": ["KG"],
        "document_type": "passport",
        "document_number": "AC 1234567",
        "phone": "+996 (555) 12-34-56",
        "address": "Ош шаары, Ленин көчөсү 5",
        "languages": ["ky", "ru"],
        **overrides,
    }
    return PersonData(**fields)


def make_case(actor: Membership, *, child: ChildSafeguards | None = None, **person: Any) -> VictimCase:
    return services.case_create(
        actor=actor, person=person_data(**person), intake_channel="hotline", region="osh", child=child
    )


def child_case(actor: Membership, *, notified: bool = False) -> VictimCase:
    safeguards = ChildSafeguards(
        is_child=True,
        age_at_recruitment=15,
        unaccompanied=True,
        guardian="Мамасы",
        notified_at=timezone.now() - dt.timedelta(hours=1) if notified else None,
        body="Osh district child-protection department" if notified else "",
    )
    return make_case(actor, child=safeguards, birth_date=dt.date(2011, 5, 1))


def presumed_case(actor: Membership) -> VictimCase:
    case = make_case(actor)
    return services.case_mark_presumed(actor=actor, case=case, reason="Screening indicated trafficking.")
