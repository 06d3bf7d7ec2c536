"""What every case service shares: access and state guards, the audit call, the basis of a disclosure."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.cases import access
from ctip.cases.models import (
    Consent,
    Person,
    Referral,
    Share,
    VictimCase,
)
from ctip.cases.vocab import (
    ConsentPurpose,
    ReferralStatus,
)
from ctip.crypto.fields import normalize_document, normalize_phone
from ctip.orgs.models import Membership, Organisation

# --- Shared guards ------------------------------------------------------------------------------------------------


def _require(actor: Membership, action: str, case: VictimCase) -> None:
    if not access.cases.can(actor, action, case):
        raise PermissionDenied


def _locked(case: VictimCase) -> VictimCase:
    return VictimCase.objects.select_for_update().select_related("owner").get(pk=case.pk)


def _writable(case: VictimCase) -> None:
    """A child's case does nothing before child protection is notified; a closed case takes no more work."""
    if case.awaits_child_notice:
        raise ValidationError(
            {
                "child_protection_notified_at": _(
                    "Case %(code)s is a child's case: record when the child-protection body was notified "
                    "before anything else."
                )
                % {"code": case.code}
            }
        )
    if case.is_closed:
        raise ValidationError({"state": _("Case %(code)s is closed.") % {"code": case.code}})


def _audit(actor: Membership, action: str, case: VictimCase, obj: Any = None, **details: Any) -> None:
    audit_record(
        action=f"cases.{action}",
        actor=actor.user,
        organisation=actor.organisation,
        obj=obj if obj is not None else case,
        details={"case": case.code, **details},
    )


def _required_text(value: str, field_name: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: [message]})
    return text


def _end_referral(referral: Referral, at: dt.datetime, reason: str) -> None:
    referral.status = ReferralStatus.REVOKED
    referral.ended_at = at
    referral.end_reason = reason
    referral.save(update_fields=["status", "ended_at", "end_reason"])


def _end_share(share: Share, at: dt.datetime, reason: str) -> None:
    share.ended_at = at
    share.end_reason = reason
    share.save(update_fields=["ended_at", "end_reason"])


def _basis(
    actor: Membership,
    case: VictimCase,
    *,
    purpose: str,
    organisation: Organisation,
    consent: Consent | None,
    override_reason: str,
) -> Consent | None:
    """Return the live consent that allows sending to ``organisation`` (None with a supervisor's legal basis)."""
    override_reason = (override_reason or "").strip()
    if consent is None:
        consent = (
            Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
            .filter(organisation=organisation)
            .order_by("-given_at")
            .first()
        )
        if consent is None and purpose == ConsentPurpose.LAW_ENFORCEMENT:
            consent = Consent.objects.filter(
                case=case, purpose=purpose, withdrawn_at__isnull=True, organisation__isnull=True
            ).first()
    else:
        # Re-read and lock: the caller's copy may be stale, and a withdrawal must not slip in before the commit.
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent is not None and (
        consent.case_id != case.pk
        or consent.purpose != purpose
        or consent.withdrawn_at is not None
        or consent.organisation_id not in (organisation.pk, None)
    ):
        raise ValidationError(
            {"consent": [_("That consent does not cover this: it is withdrawn, or for another purpose or recipient.")]}
        )
    if consent is not None:
        return consent
    if not override_reason:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "The person has not consented to this for %(org)s. Record their consent, or a supervisor "
                        "records the legal basis."
                    )
                    % {"org": organisation.name}
                ]
            }
        )
    if not access.cases.can(actor, "override", case):
        raise PermissionDenied(_("Only a supervisor can record a legal basis instead of consent."))
    return None


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text).casefold()
    return re.findall(r"\w+", folded)


def quotes_identity(person: Person, text: str) -> bool:
    """Return whether ``text`` quotes a part of the person's name (3 letters or more), document or phone number.

    Reasons are kept in the audit trail, which is never rewritten, so they must not carry the identity.
    """
    said = set(_words(text))
    names = _words(f"{person.name_original} {person.name_latin}")
    if any(len(word) >= 3 and word in said for word in names):
        return True
    document = normalize_document(person.document_number or "")
    if len(document) >= 4 and document in normalize_document(text):
        return True
    phone = normalize_phone(person.phone or "")
    return len(phone) >= 6 and phone[-6:] in normalize_phone(text)
