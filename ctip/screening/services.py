"""Writes of catalogues and screenings. Each one audits in its own transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.models import User
from ctip.audit.services import audit_record
from ctip.orgs.models import Membership
from ctip.screening import access, engine, selectors
from ctip.screening.importing import CatalogueData, CatalogueFileError, Problem
from ctip.screening.models import (
    Indicator,
    IndicatorCatalogue,
    IndicatorList,
    Screening,
    ScreeningAnswer,
    ScreeningKind,
    ScreeningStatus,
)

REFERENCE_PREFIX = "SCR-"
REFERENCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32: no 0/O or 1/I/L to confuse


class CatalogueFrozenError(Exception):
    """The catalogue version is in use and cannot change; the message says which version to import instead."""


@dataclass(frozen=True)
class ImportResult:
    catalogue: IndicatorCatalogue
    action: Literal["created", "replaced", "unchanged"]


# --- Catalogues ---------------------------------------------------------------------------------------------------


def _snapshot_of_data(data: CatalogueData) -> tuple[Any, ...]:
    meta = (data.title_en, data.title_ru, data.title_ky, data.source, tuple(sorted(data.rules.items())))
    rows = tuple(
        (r.id, r.list, r.dimension, r.strength, r.label_en, r.label_ru, r.label_ky, r.source, r.verified, r.position)
        for r in data.indicators
    )
    return meta, rows


def _snapshot_of_catalogue(catalogue: IndicatorCatalogue) -> tuple[Any, ...]:
    fields = IndicatorCatalogue.RULE_FIELDS + IndicatorCatalogue.ROLE_FIELDS
    rules = tuple(sorted((f, getattr(catalogue, f)) for f in fields))
    meta = (catalogue.title_en, catalogue.title_ru, catalogue.title_ky, catalogue.source, rules)
    rows = tuple(
        catalogue.indicators.order_by("position", "code").values_list(
            "code",
            "list",
            "dimension",
            "strength",
            "label_en",
            "label_ru",
            "label_ky",
            "source",
            "verified",
            "position",
        )
    )
    return meta, rows


def _write_catalogue(catalogue: IndicatorCatalogue, data: CatalogueData) -> None:
    for name in ("title_en", "title_ru", "title_ky", "source"):
        setattr(catalogue, name, getattr(data, name))
    for name, value in data.rules.items():
        setattr(catalogue, name, value)
    catalogue.full_clean()
    catalogue.save()
    catalogue.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            catalogue=catalogue,
            code=r.id,
            list=r.list,
            dimension=r.dimension,
            strength=r.strength,
            label_en=r.label_en,
            label_ru=r.label_ru,
            label_ky=r.label_ky,
            source=r.source,
            verified=r.verified,
            position=r.position,
        )
        for r in data.indicators
    )


def _frozen(catalogue: IndicatorCatalogue) -> CatalogueFrozenError:
    return CatalogueFrozenError(
        _(
            "Catalogue %(code)s version %(version)s is frozen: screenings have used it since %(since)s. "
            "Import the changed file as a new version (--version %(next)s)."
        )
        % {
            "code": catalogue.code,
            "version": catalogue.version,
            "since": catalogue.frozen_at.isoformat() if catalogue.frozen_at else "",
            "next": catalogue.version + 1,
        }
    )


def _target(code: str, version: int | None) -> tuple[int, IndicatorCatalogue | None]:
    """Return the version to write and its row if it exists (locked). Without a version: the latest, or the next
    one when the latest is frozen."""
    versions = IndicatorCatalogue.objects.select_for_update().filter(code=code)
    if version is not None:
        return version, versions.filter(version=version).first()
    latest = versions.order_by("-version").first()
    if latest is None:
        return 1, None
    return latest.version, latest


@transaction.atomic
def catalogue_import(*, by: User | None, code: str, data: CatalogueData, version: int | None = None) -> ImportResult:
    """Create or replace a catalogue version from checked file data; re-importing the same data changes nothing.

    A frozen version is never changed: a different file for it raises ``CatalogueFrozenError``. Without ``version`` the
    latest version is the target, and a changed file for a frozen latest version becomes the next version.
    """
    if version is not None and version < 1:
        raise CatalogueFileError([Problem(None, "version", _("The version must be a whole number from 1."))])
    number, existing = _target(code, version)
    if existing is not None and _snapshot_of_catalogue(existing) == _snapshot_of_data(data):
        return ImportResult(existing, "unchanged")
    if existing is not None and existing.frozen_at is not None:
        if version is not None:
            raise _frozen(existing)
        number, existing = number + 1, None
    action: Literal["created", "replaced"] = "created" if existing is None else "replaced"
    catalogue = existing or IndicatorCatalogue(code=code, version=number)
    try:
        with transaction.atomic():
            _write_catalogue(catalogue, data)
    except IntegrityError:
        raise CatalogueFrozenError(
            _("Another import wrote catalogue %(code)s version %(version)s at the same time; run the import again.")
            % {"code": code, "version": number}
        ) from None
    audit_record(
        action="screening.catalogue_import",
        actor=by,
        obj=catalogue,
        details={"code": code, "version": number, "indicators": len(data.indicators), "action": action},
    )
    return ImportResult(catalogue, action)


# --- Screenings ---------------------------------------------------------------------------------------------------


def _new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _invalid(error: engine.AssessmentError) -> ValidationError:
    return ValidationError({error.field: [ValidationError(error.message, code=error.code)]})


def _insert_with_reference(screening: Screening) -> None:
    """Save under a fresh random reference, drawing again in the (2^-40) case it is taken."""
    for _attempt in range(5):
        screening.reference = _new_reference()
        try:
            with transaction.atomic():
                screening.save(force_insert=True)
            return
        except IntegrityError:
            if not Screening.objects.filter(reference=screening.reference).exists():
                raise
    raise IntegrityError("could not draw an unused screening reference")


def _check_screening_fields(
    actor: Membership, interviewed_on: dt.date, corrects: Screening | None, notes: Mapping[str, str], ids: set[str]
) -> None:
    errors: dict[str, str] = {}
    if interviewed_on > timezone.localdate():
        errors["interviewed_on"] = _("The date of the interview cannot be in the future.")
    if corrects is not None and corrects.organisation_id != actor.organisation_id:
        errors["corrects"] = _("There is no such screening.")  # the same answer as for one that does not exist
    stray = sorted(set(notes) - ids)
    if stray:
        errors["notes"] = _("A note is given for %(id)s, which is not among the indicators present.") % {
            "id": engine.shown(stray[0])
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def screening_create(
    *,
    actor: Membership,
    catalogue: IndicatorCatalogue,
    age: int | None,
    indicators: Sequence[str],
    interviewed_on: dt.date,
    place: str,
    language: str,
    possible_minor: bool = False,
    act: bool = True,
    notes: Mapping[str, str] | None = None,
    interpreter_used: bool = False,
    corrects: Screening | None = None,
    kind: str = ScreeningKind.FULL,
    consent: Consent | None = None,
) -> Screening:
    """Assess and store one screening for the actor's organisation, freezing the catalogue version it used.

    The interviewer is the acting user. ``notes`` maps indicator ids (among ``indicators``) to the interviewer's
    note, stored encrypted. Bad input raises ``ValidationError`` naming the field and the value.
    """
    if not access.screenings.can(actor, "create"):
        raise PermissionDenied
    if consent is None:
        raise ValidationError({"consent": [_("Record the person's consent to the interview first.")]})
    if kind not in ScreeningKind.values:
        raise ValidationError({"kind": [_("Unknown kind of screening: %(kind)s") % {"kind": kind}]})
    notes = dict(notes or {})
    # Lock the version first: an import cannot change a draft between the assessment and the freezing.
    locked = IndicatorCatalogue.objects.select_for_update().get(pk=catalogue.pk)
    try:
        given = {"age": age, "possible_minor": possible_minor, "act": act, "indicators": list(indicators)}
        result = selectors.assessment(catalogue=locked, data=given, explain=False)
    except engine.AssessmentError as error:
        raise _invalid(error) from None
    _check_screening_fields(actor, interviewed_on, corrects, notes, set(indicators))
    froze = locked.frozen_at is None
    if froze:
        locked.frozen_at = timezone.now()
        locked.save(update_fields=["frozen_at"])
    screening = Screening(
        organisation=actor.organisation,
        reference=_new_reference(),
        catalogue=locked,
        list=result.list,
        age=age,
        possible_minor=possible_minor,
        act=act,
        result=result.as_dict(explanation=False),
        outcome=result.outcome,
        interviewer=actor.user,
        interviewed_on=interviewed_on,
        place=place,
        language=language,
        interpreter_used=interpreter_used,
        corrects=corrects,
        kind=kind,
        refer_for_full=refers_for_full(result.list, indicators) if kind == ScreeningKind.SHORT else None,
        consent_at=consent.given_at,
        consent_by=consent.by,
        consent_language=consent.language,
    )
    # The related objects come from the service's own arguments, and the database holds the constraints.
    screening.full_clean(
        exclude=["reference", "organisation", "catalogue", "interviewer", "corrects"],
        validate_unique=False,
        validate_constraints=False,
    )
    _insert_with_reference(screening)
    by_code = dict(locked.indicators.filter(code__in=indicators).values_list("code", "pk"))
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(screening=screening, indicator_id=by_code[code], note=notes.get(code, ""))
        for code in indicators
    )
    audit_record(
        action="screening.create",
        actor=actor.user,
        organisation=actor.organisation,
        obj=screening,
        details={
            "reference": screening.reference,
            "catalogue": locked.code,
            "version": locked.version,
            "froze_catalogue": froze,
            "list": result.list,
            "outcome": result.outcome,
            "indicators": len(indicators),
            "corrects": corrects.reference if corrects is not None else None,
            "kind": kind,
            "consent_by": consent.by,
        },
    )
    return screening


@dataclass(frozen=True)
class Consent:
    """The person's (or guardian's) consent to the interview, recorded before any question is asked."""

    by: str
    language: str
    given_at: dt.datetime


def refers_for_full(list_name: str, indicators: Sequence[str]) -> bool:
    """The short version refers for a full screening when any indicator is present, and always for a child."""
    return bool(indicators) or list_name == IndicatorList.CHILD_LABOUR


@transaction.atomic
def screening_close(*, actor: Membership, screening: Screening) -> Screening:
    """Close a screening: from then on it is read only; a correction is a new screening that names it."""
    if not access.screenings.can(actor, "close", screening):
        raise PermissionDenied
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if locked.status == ScreeningStatus.CLOSED:
        return locked
    locked.status = ScreeningStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit_record(
        action="screening.close",
        actor=actor.user,
        organisation=actor.organisation,
        obj=locked,
        details={"reference": locked.reference},
    )
    return locked
