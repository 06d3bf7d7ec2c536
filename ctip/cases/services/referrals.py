"""Referrals, services given, the service directory, shares with law enforcement, transfers of ownership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.cases import access, validation
from ctip.cases.models import (
    Consent,
    OwnershipTransfer,
    Referral,
    ReferralService,
    ServiceOffer,
    ServiceRecord,
    Share,
    VictimCase,
)
from ctip.cases.services._common import (
    _audit,
    _basis,
    _end_referral,
    _end_share,
    _locked,
    _require,
    _required_text,
    _writable,
)
from ctip.cases.vocab import (
    ACTIVE_REFERRAL,
    ConsentPurpose,
    EndReason,
    ReferralReason,
    ReferralStatus,
    Service,
    ServiceOutcome,
    ShareScope,
    TransferStatus,
)
from ctip.orgs.models import Membership, Organisation, OrgType, Region
from ctip.orgs.roles import Role

# --- Referrals ----------------------------------------------------------------------------------------------------


def referral_send(
    *,
    actor: Membership,
    case: VictimCase,
    to_organisation: Organisation,
    services: Sequence[str],
    reason: str = ReferralReason.ADDITIONAL_SERVICES,
    consent: Consent | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer the person to another organisation for services, within consent or a recorded legal basis."""
    _require(actor, "refer", case)
    validation.choice(reason, ReferralReason, "reason")
    requested = validation.choices(services, Service, "services")
    if not requested:
        raise ValidationError({"services": [_("Ask for at least one service.")]})
    if to_organisation.pk == case.owner_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": [_("Refer to another, active organisation.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        basis = _basis(
            actor,
            locked,
            purpose=ConsentPurpose.REFERRAL,
            organisation=to_organisation,
            consent=consent,
            override_reason=override_reason,
        )
        if Referral.objects.filter(case=locked, to_organisation=to_organisation, status__in=ACTIVE_REFERRAL).exists():
            raise ValidationError(
                {
                    "to_organisation": [
                        _("An active referral of this case to %(org)s exists.") % {"org": to_organisation.name}
                    ]
                }
            )
        referral = Referral.objects.create(
            case=locked,
            from_organisation=locked.owner,
            to_organisation=to_organisation,
            reason=reason,
            consent=basis,
            override_reason="" if basis else override_reason.strip(),
            override_by=None if basis else actor.user,
            sent_by=actor.user,
        )
        ReferralService.objects.bulk_create(ReferralService(referral=referral, service=s) for s in requested)
        _audit(
            actor,
            "referral_send",
            locked,
            referral,
            to=to_organisation.code,
            services=requested,
            consent=basis.pk if basis else None,
            legal_basis_override=basis is None,
        )
    return referral


def _locked_referral(referral: Referral, allowed: Sequence[str], verb: str) -> Referral:
    locked = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if locked.status in allowed:
        return locked
    messages: dict[str, str] = {
        ReferralStatus.ACCEPTED: _("This referral has already been accepted."),
        ReferralStatus.REJECTED: _("This referral was rejected."),
        ReferralStatus.DONE: _("This referral is done."),
        ReferralStatus.REVOKED: _("This referral was revoked; nothing more can be done with it."),
        ReferralStatus.SENT: _("This referral has not been accepted yet."),
    }
    refusals = {
        "accept": _("The referral cannot be accepted: %(why)s"),
        "reject": _("The referral cannot be rejected: %(why)s"),
        "complete": _("The referral cannot be marked done: %(why)s"),
        "revoke": _("The referral cannot be revoked: %(why)s"),
    }
    raise ValidationError({"status": [refusals[verb] % {"why": messages[locked.status]}]})


def _respond(
    actor: Membership, referral: Referral, action: str, to: str, allowed: Sequence[str], **fields: Any
) -> Referral:
    if not access.referrals.can(actor, action, referral):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked_referral(referral, allowed, action)
        now = timezone.now()
        locked.status = to
        by_action: dict[str, dict[str, Any]] = {
            "accept": {"responded_at": now, "responded_by": actor.user},
            "reject": {"responded_at": now, "responded_by": actor.user},
            "complete": {"done_at": now},
            "revoke": {"ended_at": now, "end_reason": EndReason.ENDED_BY_OWNER},
        }
        stamps = by_action[action]
        for name, value in {**stamps, **fields}.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *stamps, *fields])
        _audit(actor, f"referral_{action}", locked.case, locked, to=locked.to_organisation_id)
    return locked


def referral_accept(*, actor: Membership, referral: Referral) -> Referral:
    """The receiver takes the person on; from now it records the services it gives."""
    return _respond(actor, referral, "accept", ReferralStatus.ACCEPTED, [ReferralStatus.SENT])


def referral_reject(*, actor: Membership, referral: Referral, reason: str) -> Referral:
    reason = _required_text(reason, "reason", _("Say why the referral is rejected."))
    return _respond(actor, referral, "reject", ReferralStatus.REJECTED, [ReferralStatus.SENT], rejection_reason=reason)


def referral_complete(*, actor: Membership, referral: Referral) -> Referral:
    return _respond(actor, referral, "complete", ReferralStatus.DONE, [ReferralStatus.ACCEPTED])


def referral_revoke(*, actor: Membership, referral: Referral) -> Referral:
    """The sender withdraws the referral; the receiver loses sight of the case at once."""
    return _respond(actor, referral, "revoke", ReferralStatus.REVOKED, list(ACTIVE_REFERRAL))


# --- Services given -----------------------------------------------------------------------------------------------


def service_record(
    *,
    actor: Membership,
    case: VictimCase,
    service: str,
    started_on: dt.date,
    outcome: str,
    ended_on: dt.date | None = None,
) -> ServiceRecord:
    """Record a service the actor's organisation gave (the owner, or the receiver of an accepted referral)."""
    _require(actor, "record_service", case)
    validation.choice(service, Service, "service")
    validation.choice(outcome, ServiceOutcome, "outcome")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": [_("The service cannot start in the future.")]})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": [_("The service cannot end before it starts.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        referral = (
            None
            if locked.owner_id == actor.organisation_id
            else Referral.objects.filter(
                case=locked, to_organisation_id=actor.organisation_id, status=ReferralStatus.ACCEPTED
            ).first()
        )
        record = ServiceRecord.objects.create(
            case=locked,
            referral=referral,
            service=service,
            provider=actor.organisation,
            started_on=started_on,
            ended_on=ended_on,
            outcome=outcome,
            recorded_by=actor.user,
        )
        _audit(actor, "service_record", locked, record, service=service, outcome=outcome)
    return record


def service_offer_add(*, actor: Membership, organisation: Organisation, service: str, region: str) -> ServiceOffer:
    """Add a line to the service directory: an organisation's administrators, or the national coordinator."""
    own_admin = actor.organisation_id == organisation.pk and actor.has_role(Role.ORG_ADMIN)
    if not (own_admin or actor.has_role(Role.COORDINATOR)):
        raise PermissionDenied
    validation.choice(service, Service, "service")
    validation.choice(region, Region, "region")
    with transaction.atomic():
        offer, created = ServiceOffer.objects.get_or_create(organisation=organisation, service=service, region=region)
        if created:
            audit_record(
                action="cases.service_offer_add",
                actor=actor.user,
                organisation=actor.organisation,
                obj=offer,
                details={"organisation": organisation.code, "service": service, "region": region},
            )
    return offer


# --- Shares with law enforcement ----------------------------------------------------------------------------------


def share_create(
    *,
    actor: Membership,
    case: VictimCase,
    organisation: Organisation,
    purpose: str,
    scope: str,
    expires_at: dt.datetime,
    consent: Consent | None = None,
    override_reason: str = "",
) -> Share:
    """Give a law-enforcement organisation read access for a purpose, to a scope, until ``expires_at``."""
    _require(actor, "share", case)
    purpose = _required_text(purpose, "purpose", _("Say what the police need the case for."))
    validation.choice(scope, ShareScope, "scope")
    if organisation.org_type != OrgType.LAW_ENFORCEMENT:
        raise ValidationError({"organisation": [_("A share goes to a law-enforcement organisation.")]})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("A share must expire in the future.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        basis = _basis(
            actor,
            locked,
            purpose=ConsentPurpose.LAW_ENFORCEMENT,
            organisation=organisation,
            consent=consent,
            override_reason=override_reason,
        )
        if basis is not None and scope == ShareScope.CASE_AND_IDENTITY and not basis.covers_identity:
            raise ValidationError({"scope": [_("The person's consent does not cover sharing their identity.")]})
        share = Share.objects.create(
            case=locked,
            organisation=organisation,
            purpose=purpose,
            scope=scope,
            expires_at=expires_at,
            consent=basis,
            override_reason="" if basis else override_reason.strip(),
            override_by=None if basis else actor.user,
            created_by=actor.user,
        )
        _audit(
            actor,
            "share_create",
            locked,
            share,
            to=organisation.code,
            scope=scope,
            expires_at=expires_at.isoformat(),
            legal_basis_override=basis is None,
        )
    return share


def share_end(*, actor: Membership, share: Share) -> Share:
    _require(actor, "share", share.case)
    with transaction.atomic():
        locked = Share.objects.select_for_update().select_related("case").get(pk=share.pk)
        if locked.ended_at is not None:
            raise ValidationError({"share": [_("This share has already ended.")]})
        _end_share(locked, timezone.now(), EndReason.ENDED_BY_OWNER)
        _audit(actor, "share_end", locked.case, locked, reason=EndReason.ENDED_BY_OWNER)
    return locked


# --- Transfer of ownership ----------------------------------------------------------------------------------------


def transfer_propose(
    *,
    actor: Membership,
    case: VictimCase,
    to_organisation: Organisation,
    consent: Consent | None = None,
    override_reason: str = "",
) -> OwnershipTransfer:
    """Offer the case to another organisation; it changes hands only when that organisation accepts."""
    _require(actor, "transfer", case)
    if to_organisation.pk == case.owner_id or not to_organisation.is_active:
        raise ValidationError({"to_organisation": [_("Transfer to another, active organisation.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        basis = _basis(
            actor,
            locked,
            purpose=ConsentPurpose.REFERRAL,
            organisation=to_organisation,
            consent=consent,
            override_reason=override_reason,
        )
        if OwnershipTransfer.objects.filter(case=locked, status=TransferStatus.PROPOSED).exists():
            raise ValidationError({"to_organisation": [_("A transfer of this case is already waiting for an answer.")]})
        transfer = OwnershipTransfer.objects.create(
            case=locked,
            from_organisation=locked.owner,
            to_organisation=to_organisation,
            consent=basis,
            override_reason="" if basis else override_reason.strip(),
            override_by=None if basis else actor.user,
            proposed_by=actor.user,
        )
        _audit(actor, "transfer_propose", locked, transfer, to=to_organisation.code)
    return transfer


def _answer_transfer(actor: Membership, transfer: OwnershipTransfer, action: str, to: str) -> OwnershipTransfer:
    if not access.transfers.can(actor, action, transfer):
        raise PermissionDenied
    with transaction.atomic():
        locked = OwnershipTransfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
        if locked.status != TransferStatus.PROPOSED:
            raise ValidationError(
                {
                    "status": [
                        _("This transfer was already answered (%(status)s).") % {"status": locked.get_status_display()}
                    ]
                }
            )
        locked.status = to
        locked.responded_by = actor.user
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "responded_by", "responded_at"])
        case = locked.case
        if to == TransferStatus.ACCEPTED:
            case = _locked(case)
            case.owner = locked.to_organisation
            case.case_worker = actor
            case.save(update_fields=["owner", "case_worker"])
            # The new owner no longer needs the referrals it received for this case.
            for referral in Referral.objects.select_for_update().filter(
                case=case, to_organisation=locked.to_organisation, status__in=ACTIVE_REFERRAL
            ):
                _end_referral(referral, locked.responded_at, EndReason.OWNERSHIP_TRANSFERRED)
        _audit(actor, f"transfer_{action}", case, locked, to=locked.to_organisation_id)
    return locked


def transfer_accept(*, actor: Membership, transfer: OwnershipTransfer) -> OwnershipTransfer:
    return _answer_transfer(actor, transfer, "accept", TransferStatus.ACCEPTED)


def transfer_decline(*, actor: Membership, transfer: OwnershipTransfer) -> OwnershipTransfer:
    return _answer_transfer(actor, transfer, "decline", TransferStatus.DECLINED)


def transfer_cancel(*, actor: Membership, transfer: OwnershipTransfer) -> OwnershipTransfer:
    return _answer_transfer(actor, transfer, "cancel", TransferStatus.CANCELLED)
