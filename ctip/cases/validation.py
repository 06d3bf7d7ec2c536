"""Checks of input to the case services. Each raises ``ValidationError`` naming the field and the bad value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import vocab
from ctip.cases.countries import ISO_3166_ALPHA2
from ctip.orgs.models import Region

if TYPE_CHECKING:
    from ctip.cases.services.cases import ChildSafeguards, PersonData

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
MAX_AGE = 120


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def choice(value: str, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {field: [_("%(value)s is not one of the allowed values for this field.") % {"value": _shown(value)}]}
        )
    return value


def choices(values: Iterable[str], allowed: type[models.TextChoices], field: str) -> list[str]:
    """Return the values without repeats, in the order given."""
    if isinstance(values, str):
        raise ValidationError({field: [_("Give a list of values.")]})
    seen: list[str] = []
    for value in values:
        choice(value, allowed, field)
        if value not in seen:
            seen.append(value)
    return seen


def country(value: str, field: str) -> str:
    code = (value or "").strip().upper()
    if code not in ISO_3166_ALPHA2:
        raise ValidationError(
            {field: [_("%(value)s is not an ISO 3166 country code (e.g. KG, RU, KZ).") % {"value": _shown(value)}]}
        )
    return code


def countries(values: Iterable[str], field: str) -> list[str]:
    if isinstance(values, str):
        raise ValidationError({field: [_("Give a list of country codes.")]})
    result: list[str] = []
    for value in values:
        code = country(value, field)
        if code not in result:
            result.append(code)
    return result


def language(value: str, field: str) -> str:
    if not LANGUAGE_TAG.match(value or ""):
        raise ValidationError(
            {field: [_("%(value)s is not a language code such as ky, ru or en.") % {"value": _shown(value)}]}
        )
    return value


def age(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise ValidationError(
            {field: [_("An age is a whole number from 0 to 120, not %(value)s.") % {"value": _shown(value)}]}
        )
    return value


def person(data: PersonData) -> None:
    errors: dict[str, str] = {}
    if not data.name_original.strip():
        errors["name_original"] = _("Write the person's name as they write it.")
    if data.gender not in vocab.Gender.values:
        errors["gender"] = _("%(value)s is not one of the allowed values for this field.") % {
            "value": _shown(data.gender)
        }
    today = timezone.localdate()
    if data.birth_date is not None and (data.birth_date > today or data.birth_date.year < today.year - MAX_AGE):
        errors["birth_date"] = _("The date of birth %(value)s is not possible.") % {"value": data.birth_date}
    if data.birth_year is not None and not today.year - MAX_AGE <= data.birth_year <= today.year:
        errors["birth_year"] = _("The year of birth %(value)s is not possible.") % {"value": data.birth_year}
    if data.document_type and data.document_type not in vocab.DocumentType.values:
        errors["document_type"] = _("%(value)s is not a known kind of document.") % {
            "value": _shown(data.document_type)
        }
    if data.document_number and not data.document_type:
        errors["document_type"] = _("Say what kind of document the number is of.")
    if data.education and data.education not in vocab.Education.values:
        errors["education"] = _("%(value)s is not one of the allowed values for this field.") % {
            "value": _shown(data.education)
        }
    if data.marital_status and data.marital_status not in vocab.MaritalStatus.values:
        errors["marital_status"] = _("%(value)s is not one of the allowed values for this field.") % {
            "value": _shown(data.marital_status)
        }
    if data.children is not None and not 0 <= data.children <= 30:
        errors["children"] = _("The number of children %(value)s is not possible.") % {"value": data.children}
    if data.phone and not any(ch.isdigit() for ch in data.phone):
        errors["phone"] = _("%(value)s is not a phone number.") % {"value": _shown(data.phone)}
    if errors:
        raise ValidationError(errors)
    countries(data.citizenships, "citizenships")
    for tag in data.languages:
        language(tag, "languages")


def child(data: ChildSafeguards) -> None:
    age(data.age_at_recruitment, "age_at_recruitment")
    if data.notified_at is not None and data.notified_at > timezone.now():
        raise ValidationError({"notified_at": [_("The time of the notice cannot be in the future.")]})
    if data.notified_at is not None and not data.body.strip():
        raise ValidationError({"body": [_("Name the child-protection body that was notified.")]})


_CHECKS: dict[str, Any] = {
    "exploitation": lambda v: choices(v, vocab.Exploitation, "exploitation"),
    "sectors": lambda v: choices(v, vocab.Sector, "sectors"),
    "recruitment_methods": lambda v: choices(v, vocab.Recruitment, "recruitment_methods"),
    "means_of_control": lambda v: choices(v, vocab.MeansOfControl, "means_of_control"),
    "country_of_origin": lambda v: country(v, "country_of_origin") if v else "",
    "countries_of_transit": lambda v: countries(v, "countries_of_transit"),
    "countries_of_exploitation": lambda v: countries(v, "countries_of_exploitation"),
    "relationship_to_recruiter": lambda v: (
        choice(v, vocab.RelationshipToRecruiter, "relationship_to_recruiter") if v else ""
    ),
    "region": lambda v: choice(v, Region, "region"),
    "age_at_recruitment": lambda v: age(v, "age_at_recruitment"),
    "unaccompanied": lambda v: _optional_bool(v, "unaccompanied"),
    "guardian": lambda v: str(v).strip(),
}


def _optional_bool(value: Any, field: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError({field: [_("Answer yes, no or leave it empty.")]})
    return value


def profile(changes: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Return the checked changes; an unknown field name is an error, not silently ignored."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({unknown[0]: [_("This field cannot be changed here.")]})
    return {name: _CHECKS[name](value) for name, value in changes.items()}


def not_future(value: dt.date, field: str) -> dt.date:
    if value > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    return value
