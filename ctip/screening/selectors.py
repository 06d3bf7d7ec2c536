"""Reads of catalogues and screenings; screenings always through ``ctip.screening.access``."""

from __future__ import annotations

import re
import threading
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ctip.core.access import get_for_actor
from ctip.orgs.models import Membership
from ctip.screening import access, engine
from ctip.screening.models import DEFAULT_CATALOGUE, IndicatorCatalogue, Screening

_SPEC = re.compile(r"^([a-z0-9][a-z0-9_-]*)(?::([0-9]+))?\Z")


class CatalogueNotFoundError(LookupError):
    """No catalogue answers to the code (and version) asked for; the message names them."""


def catalogue_spec(spec: str | None) -> tuple[str, int | None]:
    """Return (code, version or None for the latest) from ``CODE[:VERSION]``; None means the default catalogue."""
    if spec is None:
        return DEFAULT_CATALOGUE, None
    match = _SPEC.match(spec.strip())
    if match is None:
        raise CatalogueNotFoundError(
            _("%(spec)s is not a catalogue: write CODE or CODE:VERSION, e.g. ilo-2009 or ilo-2009:1.")
            % {"spec": engine.shown(spec)}
        )
    return match[1], int(match[2]) if match[2] else None


def catalogue_get(*, code: str, version: int | None = None) -> IndicatorCatalogue:
    """Return the catalogue version, or the latest version of the code when ``version`` is None."""
    found = IndicatorCatalogue.objects.filter(code=code)
    found = found.filter(version=version) if version is not None else found.order_by("-version")
    catalogue = found.first()
    if catalogue is None:
        if version is None:
            message = _("There is no catalogue %(code)s.") % {"code": engine.shown(code)}
        else:
            message = _("There is no catalogue %(code)s version %(version)s.") % {
                "code": engine.shown(code),
                "version": version,
            }
        raise CatalogueNotFoundError(message)
    return catalogue


def catalogue_from_spec(spec: str | None) -> IndicatorCatalogue:
    code, version = catalogue_spec(spec)
    return catalogue_get(code=code, version=version)


# Frozen versions never change, so their compiled form is kept for the life of the process. A draft (not frozen)
# is compiled afresh each time: an import or the admin may still change it.
_compiled: dict[tuple[int, str, int, datetime], engine.Catalogue] = {}
_compiled_lock = threading.Lock()


def compiled_catalogue(catalogue: IndicatorCatalogue) -> engine.Catalogue:
    """Return the engine's form of the catalogue version (its rules and indicators)."""
    if catalogue.frozen_at is None:
        return _compile(catalogue)
    key = (catalogue.pk, catalogue.code, catalogue.version, catalogue.frozen_at)
    found = _compiled.get(key)
    if found is None:
        found = _compile(catalogue)
        with _compiled_lock:
            _compiled[key] = found
    return found


def _compile(catalogue: IndicatorCatalogue) -> engine.Catalogue:
    return engine.Catalogue(
        code=catalogue.code,
        version=catalogue.version,
        rules=catalogue.rules(),
        indicators=[ind.definition() for ind in catalogue.indicators.order_by("position", "code")],
    )


def assessment(*, catalogue: IndicatorCatalogue, data: object, explain: bool = True) -> engine.Result:
    """Return the engine's assessment of decoded JSON input; raises ``engine.AssessmentError`` naming the value."""
    return engine.assess(compiled_catalogue(catalogue), engine.parse_input(data), explain=explain)


def screenings_visible_to(actor: Membership | None) -> QuerySet[Screening]:
    return access.screenings.visible(actor, "view").select_related("catalogue").order_by("-interviewed_on", "-id")


def screening_get_for_actor(actor: Membership | None, pk: object, *, action: str = "view") -> Screening:
    """Return one screening (404 outside the organisation, 403 without the role); the read is audited."""
    return get_for_actor(access.screenings, actor, pk, action)


def screening_get_by_reference(actor: Membership | None, reference: str, *, action: str = "view") -> Screening:
    """Return the screening known by ``reference``, fetched as the page fetches it: through the policy, audited.

    A reference the actor's organisation does not hold is a 404, like a record that does not exist.
    """
    pk = access.screenings.visible(actor, "view").filter(reference=reference).values_list("pk", flat=True).first()
    return get_for_actor(access.screenings, actor, pk, action)
