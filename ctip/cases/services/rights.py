"""A person's rights over what ctip holds about them: a full export (JSON or PDF), and erasure of their identity.

Who may act: a supervisor of the organisation that owns every case of the person (the same role that may record a
legal basis instead of consent), giving a reason. Pages and the API also ask for a fresh second factor first.

Erasure keeps the pseudonymous rows the statistics count — case code, dates, statuses, forms of exploitation,
region, sex, referrals and services as codes — and removes everything else: the encrypted identity and its blind
indexes, the guardian, every free text that may quote the person (status and decision reasons, notes, closure and
legal-basis notes, share purposes, shelter extension reasons, screening answer notes) and the document files. The
audit trail is hash-chained and never rewritten: the services write only codes, ids and flags to it, and the
reasons given here are refused when they quote the person's name, document or phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.cases import access
from ctip.cases.models import (
    CaseDocument,
    CaseNote,
    IdentificationDecision,
    OwnershipTransfer,
    Person,
    Referral,
    Share,
    ShelterExtension,
    StatusChange,
    VictimCase,
)
from ctip.cases.services._common import _end_referral, _end_share, _required_text, quotes_identity
from ctip.cases.services.care import document_dir
from ctip.cases.vocab import ACTIVE_REFERRAL, EndReason, TransferStatus
from ctip.orgs.models import Membership
from ctip.screening.models import ScreeningAnswer

# The policy action that stands for "exercise the person's rights": for the owner it is granted to supervisors only.
# (The same action lets a supervisor record a legal basis instead of consent.)
RIGHTS_ACTION = "override"
FORMAT_VERSION = 1


# --- Who may act, and with what reason ----------------------------------------------------------------------------


def person_of_case(case: VictimCase) -> Person:
    return Person.objects.get(pk=case.person_id)


def is_erased(person: Person) -> bool:
    """An erased person keeps no name (every registered person has one)."""
    return not person.name_original


def _cases_of(actor: Membership, person: Person) -> list[VictimCase]:
    """Return the person's cases if the actor may exercise the person's rights over all of them; else refuse."""
    cases = list(VictimCase.objects.filter(person=person).select_related("owner").order_by("created_at", "id"))
    if not cases or not all(access.cases.can(actor, RIGHTS_ACTION, case) for case in cases):
        raise PermissionDenied(_("Only a supervisor of the organisation that owns the case may do this."))
    return cases


def _reason(person: Person, reason: str) -> str:
    reason = _required_text(reason, "reason", _("Give the reason: who asked, when and on what basis."))
    if quotes_identity(person, reason):
        raise ValidationError(
            {
                "reason": [
                    _(
                        "Do not quote the person's name, document or phone in the reason: it is kept in the audit "
                        "trail for years. Refer to the case code instead."
                    )
                ]
            }
        )
    return reason


# --- Export -------------------------------------------------------------------------------------------------------


def _choice(obj: Model, name: str, display: bool) -> Any:
    value = getattr(obj, name)
    if display and value:
        return str(getattr(obj, f"get_{name}_display")())
    return value


def _at(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _identity(person: Person, display: bool) -> dict[str, Any]:
    return {
        "name_original": person.name_original,
        "name_latin": person.name_latin,
        "birth_date": _at(person.birth_date),
        "birth_year": person.birth_year,
        "gender": _choice(person, "gender", display),
        "citizenships": list(person.citizenships or []),
        "document_type": person.document_type,
        "document_number": person.document_number,
        "phone": person.phone,
        "address": person.address,
        "languages": list(person.languages or []),
        "education": person.education,
        "marital_status": person.marital_status,
        "children": person.children,
        "registered_by": person.organisation.code,
        "registered_at": _at(person.created_at),
    }


def _case(case: VictimCase, display: bool) -> dict[str, Any]:
    c = case
    return {
        "code": c.code,
        "owner": c.owner.code,
        "status": _choice(c, "status", display),
        "state": _choice(c, "state", display),
        "intake_channel": _choice(c, "intake_channel", display),
        "region": _choice(c, "region", display),
        "created_at": _at(c.created_at),
        "exploitation": sorted(c.exploitations.values_list("type", flat=True)),
        "sectors": list(c.sectors),
        "recruitment_methods": list(c.recruitment_methods),
        "means_of_control": list(c.means_of_control),
        "country_of_origin": c.country_of_origin,
        "countries_of_transit": list(c.countries_of_transit),
        "countries_of_exploitation": list(c.countries_of_exploitation),
        "internal_trafficking": c.internal_trafficking,
        "relationship_to_recruiter": _choice(c, "relationship_to_recruiter", display),
        "is_child": c.is_child,
        "age_at_recruitment": c.age_at_recruitment,
        "unaccompanied": c.unaccompanied,
        "guardian": c.guardian,
        "child_protection_notified_at": _at(c.child_protection_notified_at),
        "child_protection_body": c.child_protection_body,
        "presumed_on": _at(c.presumed_on),
        "identified_on": _at(c.identified_on),
        "reflection_ends_on": _at(c.reflection_ends_on),
        "closed_at": _at(c.closed_at),
        "closure_reason": _choice(c, "closure_reason", display),
        "closure_note": c.closure_note,
        "follow_up_until": _at(c.follow_up_until),
        "screenings": [
            {
                "reference": s.reference,
                "interviewed_on": _at(s.interviewed_on),
                "outcome": _choice(s, "outcome", display),
            }
            for s in c.screenings.order_by("interviewed_on", "id")
        ],
        "status_history": [
            {
                "from": _choice(h, "from_status", display),
                "to": _choice(h, "to_status", display),
                "at": _at(h.at),
                "organisation": h.organisation.code,
                "reason": h.reason,
            }
            for h in c.status_history.select_related("organisation").order_by("at", "id")
        ],
        "decisions": [
            {
                "outcome": _choice(d, "outcome", display),
                "decided_on": _at(d.decided_on),
                "body": d.organisation.code,
                "reasons": d.reasons,
                "appeal_lodged_on": _at(d.appeal_lodged_on),
                "appeal_note": d.appeal_note,
            }
            for d in c.decisions.select_related("organisation").order_by("decided_on", "id")
        ],
        "consents": [
            {
                "purpose": _choice(k, "purpose", display),
                "recipient": k.organisation.code if k.organisation else None,
                "covers_identity": k.covers_identity,
                "given_by": _choice(k, "given_by", display),
                "language": k.language,
                "given_at": _at(k.given_at),
                "withdrawn_at": _at(k.withdrawn_at),
            }
            for k in c.consents.select_related("organisation").order_by("given_at", "id")
        ],
        "referrals": [
            {
                "from": r.from_organisation.code,
                "to": r.to_organisation.code,
                "status": _choice(r, "status", display),
                "reason": _choice(r, "reason", display),
                "services": sorted(r.services.values_list("service", flat=True)),
                "on_consent": r.consent_id is not None,
                "legal_basis": r.override_reason,
                "sent_at": _at(r.sent_at),
                "answered_at": _at(r.responded_at),
                "rejection_reason": r.rejection_reason,
                "done_at": _at(r.done_at),
                "ended_at": _at(r.ended_at),
                "end_reason": _choice(r, "end_reason", display),
            }
            for r in c.referrals.select_related("from_organisation", "to_organisation").order_by("sent_at", "id")
        ],
        "services_given": [
            {
                "service": _choice(s, "service", display),
                "provider": s.provider.code,
                "from": _at(s.started_on),
                "until": _at(s.ended_on),
                "outcome": _choice(s, "outcome", display),
            }
            for s in c.services_given.select_related("provider").order_by("started_on", "id")
        ],
        "shelter_stays": [
            {
                "shelter": stay.shelter.code,
                "from": _at(stay.started_on),
                "until": _at(stay.ends_on),
                "left_on": _at(stay.left_on),
                "extensions": [
                    {"previous_end": _at(e.previous_end), "new_end": _at(e.new_end), "reason": e.reason}
                    for e in stay.extensions.order_by("at", "id")
                ],
            }
            for stay in c.shelter_stays.select_related("shelter").order_by("started_on", "id")
        ],
        "shares": [
            {
                "organisation": s.organisation.code,
                "purpose": s.purpose,
                "scope": _choice(s, "scope", display),
                "on_consent": s.consent_id is not None,
                "legal_basis": s.override_reason,
                "created_at": _at(s.created_at),
                "expires_at": _at(s.expires_at),
                "ended_at": _at(s.ended_at),
            }
            for s in c.shares.select_related("organisation").order_by("created_at", "id")
        ],
        "transfers": [
            {
                "from": t.from_organisation.code,
                "to": t.to_organisation.code,
                "status": _choice(t, "status", display),
                "proposed_at": _at(t.proposed_at),
                "answered_at": _at(t.responded_at),
            }
            for t in c.transfers.select_related("from_organisation", "to_organisation").order_by("proposed_at", "id")
        ],
        "notes": [
            {"at": _at(n.created_at), "organisation": n.organisation.code, "shared": n.shared, "text": n.text}
            for n in c.notes.select_related("organisation").order_by("created_at", "id")
        ],
        "documents": [
            {
                "title": d.title,
                "type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": _at(d.uploaded_at),
                "organisation": d.organisation.code,
            }
            for d in c.documents.select_related("organisation").order_by("uploaded_at", "id")
        ],
    }


def _collect(person: Person, cases: list[VictimCase], *, display: bool = False) -> dict[str, Any]:
    return {
        "format": "ctip.person_export",
        "version": FORMAT_VERSION,
        "exported_at": _at(timezone.now()),
        "erased": is_erased(person),
        "identity": _identity(person, display),
        "cases": [_case(case, display) for case in cases],
    }


def _audit_export(actor: Membership, person: Person, cases: list[VictimCase], reason: str, fmt: str) -> None:
    with transaction.atomic():
        audit_record(
            action="cases.person_export",
            actor=actor.user,
            organisation=actor.organisation,
            obj=cases[0],
            reason=reason,
            details={"person": person.pk, "cases": [c.code for c in cases], "format": fmt},
        )


def person_export(*, actor: Membership, person: Person, reason: str) -> dict[str, Any]:
    """Return everything ctip holds about the person, as plain JSON values (codes, ISO dates); audited."""
    cases = _cases_of(actor, person)
    reason = _reason(person, reason)
    data = _collect(person, cases)
    _audit_export(actor, person, cases, reason, "json")
    return data


def person_export_pdf(*, actor: Membership, person: Person, reason: str) -> bytes:
    """Return the same export as a PDF in the current language; audited."""
    from weasyprint import HTML

    cases = _cases_of(actor, person)
    reason = _reason(person, reason)
    data = _collect(person, cases, display=True)
    html = render_to_string("cases/rights/export.html", {"data": data, "language": translation.get_language() or "en"})
    pdf: bytes = HTML(string=html).write_pdf()
    _audit_export(actor, person, cases, reason, "pdf")
    return pdf


# --- Erasure ------------------------------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What an erasure did, by count (the person's cases stay, pseudonymous)."""

    cases: list[str]
    notes_deleted: int = 0
    documents_deleted: int = 0
    referrals_ended: list[int] = field(default_factory=list)
    shares_ended: list[int] = field(default_factory=list)
    texts_cleared: int = 0


def _erase_person(person: Person) -> None:
    person.name_original = ""
    person.name_latin = ""
    person.birth_date = None
    person.birth_year = ""
    person.citizenships = []
    person.document_type = ""
    person.document_number = ""
    person.phone = ""
    person.address = ""
    person.languages = []
    person.education = ""
    person.marital_status = ""
    person.children = ""
    # Saving recomputes the blind indexes from the emptied sources: they become NULL.
    person.save()


def _clear_texts(case_ids: list[int]) -> int:
    """Empty every free text about the cases that may quote the person; return how many rows were touched."""
    touched = VictimCase.objects.filter(pk__in=case_ids).update(guardian="", closure_note="")
    touched += StatusChange.objects.filter(case_id__in=case_ids).update(reason="")
    touched += IdentificationDecision.objects.filter(case_id__in=case_ids).update(reasons="", appeal_note="")
    touched += Referral.objects.filter(case_id__in=case_ids).update(override_reason="", rejection_reason="")
    touched += Share.objects.filter(case_id__in=case_ids).update(purpose="", override_reason="")
    touched += ShelterExtension.objects.filter(stay__case_id__in=case_ids).update(reason="")
    touched += OwnershipTransfer.objects.filter(case_id__in=case_ids).update(override_reason="")
    touched += ScreeningAnswer.objects.filter(screening__victim_cases__in=case_ids).update(note="")
    return touched


def _end_what_is_open(actor: Membership, cases: list[VictimCase], result: Erasure) -> None:
    """Nobody else keeps working on an erased person: open referrals, shares and transfers end."""
    now = timezone.now()
    by_id = {c.pk: c for c in cases}
    for referral in Referral.objects.select_for_update().filter(case__in=cases, status__in=ACTIVE_REFERRAL):
        _end_referral(referral, now, EndReason.ENDED_BY_OWNER)
        result.referrals_ended.append(referral.pk)
        _audit_case(actor, "referral_end", by_id[referral.case_id], referral, reason=EndReason.ENDED_BY_OWNER)
    for share in Share.objects.select_for_update().filter(case__in=cases, ended_at__isnull=True):
        _end_share(share, now, EndReason.ENDED_BY_OWNER)
        result.shares_ended.append(share.pk)
        _audit_case(actor, "share_end", by_id[share.case_id], share, reason=EndReason.ENDED_BY_OWNER)
    OwnershipTransfer.objects.filter(case__in=cases, status=TransferStatus.PROPOSED).update(
        status=TransferStatus.CANCELLED, responded_by=actor.user, responded_at=now
    )


def _audit_case(actor: Membership, verb: str, case: VictimCase, obj: Model, **details: Any) -> None:
    audit_record(
        action=f"cases.{verb}",
        actor=actor.user,
        organisation=actor.organisation,
        obj=obj,
        details={"case": case.code, **details},
    )


def person_erase(*, actor: Membership, person: Person, reason: str) -> Erasure:
    """Erase the person's identity everywhere ctip keeps it, leaving only pseudonymous statistical rows.

    Every case of the person must be closed first: erasure ends the work with the person, and the closure records
    why. Document files are removed from disk once the transaction has committed.
    """
    cases = _cases_of(actor, person)
    reason = _reason(person, reason)
    open_codes = [c.code for c in cases if c.closed_at is None]
    if open_codes:
        raise ValidationError(
            {"case": [_("Close case %(codes)s before erasing the identity.") % {"codes": ", ".join(open_codes)}]}
        )
    with transaction.atomic():
        locked = list(VictimCase.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk"))
        result = Erasure(cases=[c.code for c in cases])
        _end_what_is_open(actor, locked, result)
        ids = [c.pk for c in locked]
        files = list(CaseDocument.objects.filter(case_id__in=ids).values_list("storage_name", flat=True))
        result.documents_deleted = CaseDocument.objects.filter(case_id__in=ids).delete()[0]
        result.notes_deleted = CaseNote.objects.filter(case_id__in=ids).delete()[0]
        result.texts_cleared = _clear_texts(ids)
        _erase_person(Person.objects.select_for_update().get(pk=person.pk))
        audit_record(
            action="cases.person_erase",
            actor=actor.user,
            organisation=actor.organisation,
            obj=locked[0],
            reason=reason,
            details={
                "person": person.pk,
                "cases": result.cases,
                "notes_deleted": result.notes_deleted,
                "documents_deleted": result.documents_deleted,
                "referrals_ended": result.referrals_ended,
                "shares_ended": result.shares_ended,
            },
        )
        transaction.on_commit(lambda: _remove_files(files))
    person.refresh_from_db()
    return result


def _remove_files(names: list[str]) -> None:
    for name in names:
        (document_dir() / name).unlink(missing_ok=True)
