"""Persons and cases: creation, description, the status ladder, identification decisions, closure, identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.cases import access, conf, validation
from ctip.cases.models import (
    CaseCounter,
    CaseExploitation,
    IdentificationDecision,
    Person,
    StatusChange,
    VictimCase,
)
from ctip.cases.services._common import (
    _audit,
    _locked,
    _require,
    _required_text,
    _writable,
    quotes_identity,
)
from ctip.cases.vocab import (
    CaseState,
    ClosureReason,
    DecisionOutcome,
    IntakeChannel,
    NrmStatus,
)
from ctip.orgs.models import Membership, Region
from ctip.screening.models import Screening

# --- Persons and cases --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    """A person's identity as entered. Only ``name_original`` and ``gender`` are required."""

    name_original: str
    gender: str
    name_latin: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    citizenships: Sequence[str] = ()
    document_type: str = ""
    document_number: str = ""
    phone: str = ""
    address: str = ""
    languages: Sequence[str] = ()
    education: str = ""
    marital_status: str = ""
    children: int | None = None


@dataclass(frozen=True)
class ChildSafeguards:
    """What a child's case records first. ``is_child`` also holds when the age is uncertain but the person may be a
    child (presumed a child until verified: CoE CETS 197 art. 10(3))."""

    is_child: bool = False
    age_at_recruitment: int | None = None
    unaccompanied: bool | None = None
    guardian: str = ""
    notified_at: dt.datetime | None = None
    body: str = ""


def next_case_code(today: dt.date | None = None) -> str:
    """Draw the next ``PREFIX-YYYY-NNNNN``. Call inside a transaction: the year's counter row stays locked to its end.

    The row is created in a savepoint first; a concurrent creator makes one of the two inserts fail, and both then
    lock and increment the same row, so no number is given twice on SQLite or PostgreSQL.
    """
    year = (today or timezone.localdate()).year
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # another transaction created the year's row first; it is there now
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{conf.case_code_prefix()}-{year}-{counter.last:05d}"


def _person(actor: Membership, data: PersonData) -> Person:
    validation.person(data)
    return Person(
        organisation=actor.organisation,
        name_original=data.name_original.strip(),
        name_latin=data.name_latin.strip(),
        birth_date=data.birth_date,
        birth_year=str(data.birth_year) if data.birth_year else "",
        gender=data.gender,
        citizenships=[c.upper() for c in data.citizenships],
        document_type=data.document_type,
        document_number=data.document_number.strip(),
        phone=data.phone.strip(),
        address=data.address.strip(),
        languages=list(data.languages),
        education=data.education,
        marital_status=data.marital_status,
        children="" if data.children is None else str(data.children),
    )


def _is_child(person: PersonData, child: ChildSafeguards) -> bool:
    if child.is_child or (child.age_at_recruitment is not None and child.age_at_recruitment < 18):
        return True
    today = timezone.localdate()
    if person.birth_date is not None:
        return (today.year - person.birth_date.year) - (
            (today.month, today.day) < (person.birth_date.month, person.birth_date.day)
        ) < 18
    return person.birth_year is not None and today.year - person.birth_year < 18


def case_create(
    *,
    actor: Membership,
    person: PersonData,
    intake_channel: str,
    region: str,
    child: ChildSafeguards | None = None,
    screening: Screening | None = None,
) -> VictimCase:
    """Register a person and open a potential-victim case owned by the actor's organisation.

    A child's case is opened even before child protection is notified (the notice must be recorded somewhere), but
    nothing else can be done with it until the notice is recorded.
    """
    if not access.cases.can(actor, "create"):
        raise PermissionDenied
    child = child or ChildSafeguards()
    validation.choice(intake_channel, IntakeChannel, "intake_channel")
    validation.choice(region, Region, "region")
    validation.child(child)
    if screening is not None and screening.organisation_id != actor.organisation_id:
        raise ValidationError({"screening": [_("There is no such screening.")]})
    with transaction.atomic():
        new_person = _person(actor, person)
        new_person.save()
        case = VictimCase.objects.create(
            code=next_case_code(),
            person=new_person,
            owner=actor.organisation,
            case_worker=actor,
            intake_channel=intake_channel,
            region=region,
            is_child=_is_child(person, child),
            age_at_recruitment=child.age_at_recruitment,
            unaccompanied=child.unaccompanied,
            guardian=child.guardian.strip(),
            child_protection_notified_at=child.notified_at,
            child_protection_body=child.body.strip(),
            created_by=actor.user,
        )
        StatusChange.objects.create(
            case=case, from_status="", to_status=NrmStatus.POTENTIAL, by=actor.user, organisation=actor.organisation
        )
        if screening is not None:
            case.screenings.add(screening)
        _audit(
            actor,
            "case_create",
            case,
            person=new_person.pk,
            child=case.is_child,
            child_notice=case.child_protection_notified_at is not None,
            screening=screening.reference if screening is not None else None,
        )
    return case


def case_child_notice_record(*, actor: Membership, case: VictimCase, notified_at: dt.datetime, body: str) -> VictimCase:
    """Record when (and which) child-protection body was told of a child's case; it unlocks the case."""
    _require(actor, "edit", case)
    if notified_at > timezone.now():
        raise ValidationError({"notified_at": [_("The time of the notice cannot be in the future.")]})
    body = _required_text(body, "body", _("Name the child-protection body that was notified."))
    with transaction.atomic():
        locked = _locked(case)
        locked.is_child = True
        locked.child_protection_notified_at = notified_at
        locked.child_protection_body = body
        locked.save(update_fields=["is_child", "child_protection_notified_at", "child_protection_body"])
        _audit(actor, "child_notice", locked, notified_at=notified_at.isoformat())
    return locked


# Fields of a case that ``case_update`` changes, each with its check.
PROFILE_FIELDS = (
    "exploitation",
    "sectors",
    "recruitment_methods",
    "means_of_control",
    "country_of_origin",
    "countries_of_transit",
    "countries_of_exploitation",
    "relationship_to_recruiter",
    "region",
    "age_at_recruitment",
    "unaccompanied",
    "guardian",
)


def case_update(*, actor: Membership, case: VictimCase, changes: Mapping[str, Any]) -> VictimCase:
    """Change the case's description (forms of exploitation, sectors, countries …); names in PROFILE_FIELDS."""
    _require(actor, "edit", case)
    clean = validation.profile(changes, PROFILE_FIELDS)
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        exploitation = clean.pop("exploitation", None)
        for name, value in clean.items():
            setattr(locked, name, value)
        if "countries_of_exploitation" in clean or "country_of_origin" in clean:
            locked.internal_trafficking = bool(locked.country_of_origin) and (
                locked.country_of_origin in locked.countries_of_exploitation
            )
            clean["internal_trafficking"] = locked.internal_trafficking
        if locked.age_at_recruitment is not None and locked.age_at_recruitment < 18 and not locked.is_child:
            locked.is_child = True
            clean["is_child"] = True
        locked.save(update_fields=list(clean))
        if exploitation is not None:
            locked.exploitations.exclude(type__in=exploitation).delete()
            have = set(locked.exploitations.values_list("type", flat=True))
            CaseExploitation.objects.bulk_create(
                CaseExploitation(case=locked, type=t) for t in exploitation if t not in have
            )
        _audit(
            actor,
            "case_update",
            locked,
            fields=sorted([*clean, *(["exploitation"] if exploitation is not None else [])]),
        )
    return locked


def case_assign(*, actor: Membership, case: VictimCase, case_worker: Membership) -> VictimCase:
    """Give the case to another case worker or supervisor of the owner."""
    _require(actor, "edit", case)
    if case_worker.organisation_id != case.owner_id or not case_worker.has_role(*access.CASE_ROLES):
        raise ValidationError({"case_worker": [_("Choose a case worker or supervisor of the owning organisation.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        locked.case_worker = case_worker
        locked.save(update_fields=["case_worker"])
        _audit(actor, "case_assign", locked, case_worker=case_worker.pk)
    return locked


def case_link_screening(*, actor: Membership, case: VictimCase, screening: Screening) -> VictimCase:
    """Link a screening made by the owner. Its result supports the decision; it never is the decision."""
    _require(actor, "edit", case)
    if screening.organisation_id != case.owner_id:
        raise ValidationError({"screening": [_("There is no such screening.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        locked.screenings.add(screening)
        _audit(actor, "screening_link", locked, screening=screening.reference)
    return locked


def case_mark_presumed(*, actor: Membership, case: VictimCase, reason: str, on: dt.date | None = None) -> VictimCase:
    """Move a potential victim to presumed (reasonable grounds); the recovery and reflection period starts."""
    _require(actor, "edit", case)
    reason = _required_text(reason, "reason", _("Say what the reasonable grounds are."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("The date cannot be in the future.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        if locked.status != NrmStatus.POTENTIAL:
            raise ValidationError(
                {
                    "status": [
                        _("Only a potential victim can become presumed; case %(code)s is %(status)s.")
                        % {"code": locked.code, "status": locked.get_status_display()}
                    ]
                }
            )
        locked.status = NrmStatus.PRESUMED
        locked.presumed_on = on
        locked.reflection_ends_on = on + dt.timedelta(days=conf.reflection_days())
        locked.save(update_fields=["status", "presumed_on", "reflection_ends_on"])
        StatusChange.objects.create(
            case=locked,
            from_status=NrmStatus.POTENTIAL,
            to_status=NrmStatus.PRESUMED,
            by=actor.user,
            organisation=actor.organisation,
            reason=reason,
        )
        _audit(actor, "status_change", locked, to=NrmStatus.PRESUMED, reflection_ends_on=str(locked.reflection_ends_on))
    return locked


# --- Identification decisions -------------------------------------------------------------------------------------


def identification_decide(
    *, actor: Membership, case: VictimCase, outcome: str, decided_on: dt.date, reasons: str
) -> IdentificationDecision:
    """Record the competent body's formal decision, which sets the case's status to identified or not identified."""
    grants = access.cases.grants(actor, case)
    if not grants.allows("decide"):
        if grants.relations and not grants.identification_body:
            raise ValidationError(
                {
                    "organisation": [
                        _("%(org)s is not authorised to record identification decisions in this deployment.")
                        % {"org": actor.organisation.name}
                    ]
                }
            )
        raise PermissionDenied
    validation.choice(outcome, DecisionOutcome, "outcome")
    reasons = _required_text(reasons, "reasons", _("Give the reasons for the decision."))
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("The date of the decision cannot be in the future.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        if locked.status not in (NrmStatus.POTENTIAL, NrmStatus.PRESUMED):
            raise ValidationError(
                {
                    "status": [
                        _("Case %(code)s already has a decision (%(status)s); note an appeal against it instead.")
                        % {"code": locked.code, "status": locked.get_status_display()}
                    ]
                }
            )
        decision = IdentificationDecision.objects.create(
            case=locked,
            outcome=outcome,
            decided_on=decided_on,
            reasons=reasons,
            organisation=actor.organisation,
            decided_by=actor.user,
        )
        StatusChange.objects.create(
            case=locked,
            from_status=locked.status,
            to_status=outcome,
            by=actor.user,
            organisation=actor.organisation,
            reason=reasons,
        )
        locked.status = outcome
        locked.identified_on = decided_on
        locked.save(update_fields=["status", "identified_on"])
        _audit(actor, "identification_decision", locked, decision, outcome=outcome, decided_on=str(decided_on))
    return decision


def decision_appeal_note(
    *, actor: Membership, decision: IdentificationDecision, lodged_on: dt.date, note: str
) -> IdentificationDecision:
    """Note that the decision was appealed (by the person, or on their behalf)."""
    case = decision.case
    grants = access.cases.grants(actor, case)
    if not (grants.allows("decide") or grants.allows("edit")):
        raise PermissionDenied
    note = _required_text(note, "note", _("Say who appealed and to whom."))
    if lodged_on > timezone.localdate() or lodged_on < decision.decided_on:
        raise ValidationError({"lodged_on": [_("The appeal is lodged after the decision and not in the future.")]})
    with transaction.atomic():
        locked = IdentificationDecision.objects.select_for_update().get(pk=decision.pk)
        locked.appeal_lodged_on = lodged_on
        locked.appeal_note = note
        locked.save(update_fields=["appeal_lodged_on", "appeal_note"])
        _audit(actor, "decision_appeal", case, locked, lodged_on=str(lodged_on))
    return locked


# --- Closure ------------------------------------------------------------------------------------------------------


def case_close(
    *,
    actor: Membership,
    case: VictimCase,
    reason: str,
    note: str = "",
    follow_up_until: dt.date | None = None,
) -> VictimCase:
    """Close the case with a reason; a follow-up date keeps it in follow-up until then."""
    _require(actor, "close", case)
    validation.choice(reason, ClosureReason, "reason")
    if follow_up_until is not None and follow_up_until <= timezone.localdate():
        raise ValidationError({"follow_up_until": [_("Follow-up ends in the future.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        if follow_up_until is not None:
            locked.state = CaseState.FOLLOW_UP
        elif reason == ClosureReason.REFERRED_ELSEWHERE:
            locked.state = CaseState.CLOSED_REFERRED
        else:
            locked.state = CaseState.CLOSED
        locked.closed_at = timezone.now()
        locked.closure_reason = reason
        locked.closure_note = note.strip()
        locked.follow_up_until = follow_up_until
        locked.save(update_fields=["state", "closed_at", "closure_reason", "closure_note", "follow_up_until"])
        _audit(actor, "case_close", locked, reason=reason, state=locked.state)
    return locked


# --- Identity -----------------------------------------------------------------------------------------------------


def identity_reveal(*, actor: Membership, case: VictimCase, reason: str) -> Person:
    """Return the person behind a case, for a stated reason, leaving an audit row (the reason, never the name)."""
    _require(actor, "identity", case)
    reason = _required_text(reason, "reason", _("Say why you need to see who the person is."))
    with transaction.atomic():
        person = Person.objects.get(pk=case.person_id)
        if quotes_identity(person, reason):
            # The reason stays in the audit trail for good, which erasure never rewrites.
            raise ValidationError({"reason": _("Give the reason without the person's name, document or phone.")})
        audit_record(
            action="cases.identity_reveal",
            actor=actor.user,
            organisation=actor.organisation,
            obj=case,
            reason=reason,
            details={"case": case.code, "person": person.pk},
        )
    return person
