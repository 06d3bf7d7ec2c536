"""Helpers for the screening tests (and the access matrix): the shipped catalogue and saved screenings."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone

from ctip.orgs.models import Membership
from ctip.screening import engine
from ctip.screening.models import IndicatorCatalogue, Screening
from ctip.screening.services import Consent, screening_create

DATA = Path(__file__).resolve().parent.parent / "data" / "ilo-2009.csv"
# An adult with deceptive recruitment, exploitation and coercion at destination all positive.
INDICATED_ADULT = (
    "al.dr.nature_of_job",
    "al.dr.wages",
    "al.ex.excessive_hours",
    "al.ex.low_salary",
    "al.cd.documents",
    "al.cd.violence",
)


def data_rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def engine_catalogue(rules: engine.Rules | None = None) -> engine.Catalogue:
    """Return ilo-2009 straight from the data file, for tests of the engine that need no database."""
    return engine.Catalogue(
        code="ilo-2009",
        version=1,
        rules=rules or engine.Rules(),
        indicators=[
            engine.IndicatorDef(
                id=r["id"],
                list=r["list"],
                dimension=r["dimension"],
                strength=r["strength"],
                label_en=r["label_en"],
                label_ru=r["label_ru"],
                label_ky=r["label_ky"],
                verified=r["verified"] == "true",
            )
            for r in data_rows()
        ],
    )


def ilo_2009() -> IndicatorCatalogue:
    """Return catalogue ilo-2009 v1, loading it again if a transactional test flushed the migration's rows."""
    found = IndicatorCatalogue.objects.filter(code="ilo-2009", version=1).first()
    if found is None:
        importlib.import_module("ctip.screening.migrations.0002_ilo_2009").load(apps, None)
        found = IndicatorCatalogue.objects.get(code="ilo-2009", version=1)
    return found


def make_screening(
    actor: Membership,
    *,
    indicators: Sequence[str] = INDICATED_ADULT,
    age: int | None = 30,
    catalogue: IndicatorCatalogue | None = None,
    **fields: Any,
) -> Screening:
    values: dict[str, Any] = {
        "interviewed_on": timezone.localdate() - dt.timedelta(days=1),
        "place": "osh",
        "language": "ky",
        "consent": Consent(by="person", language="ky", given_at=timezone.now()),
    }
    values.update(fields)
    return screening_create(
        actor=actor, catalogue=catalogue or ilo_2009(), age=age, indicators=list(indicators), **values
    )
