"""Consent, purpose by purpose; withdrawal ends what rests on it at once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import validation
from ctip.cases.models import (
    Consent,
    Referral,
    Share,
    VictimCase,
)
from ctip.cases.services._common import (
    _audit,
    _end_referral,
    _end_share,
    _locked,
    _require,
    _writable,
)
from ctip.cases.vocab import (
    ACTIVE_REFERRAL,
    ConsentBy,
    ConsentPurpose,
    EndReason,
)
from ctip.orgs.models import Membership, Organisation

# --- Consent ------------------------------------------------------------------------------------------------------


def consent_give(
    *,
    actor: Membership,
    case: VictimCase,
    purpose: str,
    given_by: str,
    language: str,
    organisation: Organisation | None = None,
    covers_identity: bool = False,
    given_at: dt.datetime | None = None,
) -> Consent:
    """Record consent to one purpose; a referral's names the organisation it allows."""
    _require(actor, "consent", case)
    validation.choice(purpose, ConsentPurpose, "purpose")
    validation.choice(given_by, ConsentBy, "given_by")
    validation.language(language, "language")
    given_at = given_at or timezone.now()
    if given_at > timezone.now():
        raise ValidationError({"given_at": [_("Consent cannot be given in the future.")]})
    if purpose == ConsentPurpose.REFERRAL and organisation is None:
        raise ValidationError({"organisation": [_("Consent to a referral names the organisation it allows.")]})
    if organisation is not None and organisation.pk == case.owner_id:
        raise ValidationError({"organisation": [_("Name an organisation other than the owner.")]})
    with transaction.atomic():
        locked = _locked(case)
        _writable(locked)
        consent = Consent.objects.create(
            case=locked,
            purpose=purpose,
            organisation=organisation,
            covers_identity=covers_identity,
            given_by=given_by,
            language=language,
            given_at=given_at,
            recorded_by=actor.user,
        )
        _audit(
            actor,
            "consent_give",
            locked,
            consent,
            purpose=purpose,
            recipient=organisation.code if organisation else None,
            covers_identity=covers_identity,
            given_by=given_by,
            language=language,
        )
    return consent


def consent_withdraw(*, actor: Membership, consent: Consent) -> Consent:
    """Withdraw consent at once: every active referral and share that rests on it ends in the same transaction."""
    case = consent.case
    _require(actor, "consent", case)
    with transaction.atomic():
        locked_case = _locked(case)
        if locked_case.awaits_child_notice:
            _writable(locked_case)
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError({"consent": [_("This consent was already withdrawn.")]})
        now = timezone.now()
        locked.withdrawn_at = now
        locked.save(update_fields=["withdrawn_at"])
        referrals = list(Referral.objects.select_for_update().filter(consent=locked, status__in=ACTIVE_REFERRAL))
        for referral in referrals:
            _end_referral(referral, now, EndReason.CONSENT_WITHDRAWN)
            _audit(actor, "referral_end", locked_case, referral, reason=EndReason.CONSENT_WITHDRAWN)
        shares = list(Share.objects.select_for_update().filter(consent=locked, ended_at__isnull=True))
        for share in shares:
            _end_share(share, now, EndReason.CONSENT_WITHDRAWN)
            _audit(actor, "share_end", locked_case, share, reason=EndReason.CONSENT_WITHDRAWN)
        _audit(
            actor,
            "consent_withdraw",
            locked_case,
            locked,
            purpose=locked.purpose,
            referrals_ended=[r.pk for r in referrals],
            shares_ended=[s.pk for s in shares],
        )
    return locked
