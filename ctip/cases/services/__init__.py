"""Every write to a victim case. Each checks access first, then writes and audits in one transaction.

Refusals: ``PermissionDenied`` when the actor may not act; ``ValidationError`` naming the field when the input or
the case's state does not allow it. Either way nothing changes. Audit rows name the case by its code, never the
person.
"""

from ctip.cases.services.care import (
    MAX_DOCUMENT_BYTES,
    document_add,
    document_dir,
    document_read,
    note_add,
    shelter_stay_extend,
    shelter_stay_start,
)
from ctip.cases.services.cases import (
    PROFILE_FIELDS,
    ChildSafeguards,
    PersonData,
    case_assign,
    case_child_notice_record,
    case_close,
    case_create,
    case_link_screening,
    case_mark_presumed,
    case_update,
    decision_appeal_note,
    identification_decide,
    identity_reveal,
    next_case_code,
)
from ctip.cases.services.consent import consent_give, consent_withdraw
from ctip.cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_reject,
    referral_revoke,
    referral_send,
    service_offer_add,
    service_record,
    share_create,
    share_end,
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_propose,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "PROFILE_FIELDS",
    "ChildSafeguards",
    "PersonData",
    "case_assign",
    "case_child_notice_record",
    "case_close",
    "case_create",
    "case_link_screening",
    "case_mark_presumed",
    "case_update",
    "consent_give",
    "consent_withdraw",
    "decision_appeal_note",
    "document_add",
    "document_dir",
    "document_read",
    "identification_decide",
    "identity_reveal",
    "next_case_code",
    "note_add",
    "referral_accept",
    "referral_complete",
    "referral_reject",
    "referral_revoke",
    "referral_send",
    "service_offer_add",
    "service_record",
    "share_create",
    "share_end",
    "shelter_stay_extend",
    "shelter_stay_start",
    "transfer_accept",
    "transfer_cancel",
    "transfer_decline",
    "transfer_propose",
]
