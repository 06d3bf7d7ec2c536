"""The forms of the case page post here: access first, then the form, then the service, then back to the tab.

A refusal by a service (``ValidationError``) draws the case page again, the tab open and the form carrying the
message; nothing has changed. ``PermissionDenied`` from the policy is a 403, from ``get_for_actor`` with the audit
row of the denial.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import access, forms, selectors, services
from ctip.cases.models import VictimCase
from ctip.cases.views._tabs import render_case
from ctip.core.access import get_child_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest


def to_tab(case: VictimCase, tab: str) -> HttpResponse:
    return redirect(f"{reverse('cases:detail', args=[case.pk])}?tab={tab}")


def _handle(
    request: MemberRequest,
    case: VictimCase,
    *,
    tab: str,
    form: django_forms.Form,
    name: str,
    act: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Run ``act`` on a valid form; on success go back to the tab with ``done``, else redraw it with the errors."""
    if form.is_valid() and submit(form, act) is not None:
        messages.success(request, done)
        return to_tab(case, tab)
    return render_case(request, case, tab, bound={name: form})


def _case(request: MemberRequest, pk: int, action: str) -> VictimCase:
    return selectors.case_get_for_actor(request.membership, pk, action=action)


@membership_required
@require_POST
def child_notice(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "edit")
    form = forms.ChildNoticeForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.case_child_notice_record(
            actor=request.membership, case=case, notified_at=data["notified_at"], body=data["body"]
        )

    done = _("The notice to the child-protection body is recorded.")
    return _handle(request, case, tab="summary", form=form, name="child_form", act=act, done=done)


@membership_required
@require_POST
def profile(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "edit")
    form = forms.ProfileForm(request.POST)

    def act() -> object:
        return services.case_update(actor=request.membership, case=case, changes=form.changes())

    done = _("The description of the case is saved.")
    return _handle(request, case, tab="exploitation", form=form, name="profile_form", act=act, done=done)


@membership_required
@require_POST
def presume(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "edit")
    form = forms.PresumeForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.case_mark_presumed(actor=request.membership, case=case, reason=data["reason"], on=data["on"])

    done = _("The person is now a presumed victim; the recovery and reflection period has started.")
    return _handle(request, case, tab="summary", form=form, name="presume_form", act=act, done=done)


@membership_required
@require_POST
def decide(request: MemberRequest, pk: int) -> HttpResponse:
    """Record the formal identification decision. An organisation that is not authorised is told so."""
    # A designated body answers for the decision; anyone else must at least be able to work on the case to be told
    # (by the service, with a clear message) that their organisation is not authorised.
    action = access.decision_action(request.membership)
    case = _case(request, pk, action)
    form = forms.DecisionForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.identification_decide(
            actor=request.membership,
            case=case,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
        )

    done = _("The identification decision is recorded.")
    return _handle(request, case, tab="decision", form=form, name="decision_form", act=act, done=done)


@membership_required
@require_POST
def close(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "close")
    form = forms.CloseForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.case_close(
            actor=request.membership,
            case=case,
            reason=data["reason"],
            note=data["note"],
            follow_up_until=data["follow_up_until"],
        )

    return _handle(request, case, tab="closure", form=form, name="close_form", act=act, done=_("The case is closed."))


@membership_required
@require_POST
def shelter_start(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "shelter")
    form = forms.ShelterForm(request.POST)

    def act() -> object:
        return services.shelter_stay_start(
            actor=request.membership, case=case, started_on=form.cleaned_data["started_on"]
        )

    done = _("The shelter stay is recorded.")
    return _handle(request, case, tab="summary", form=form, name="shelter_form", act=act, done=done)


@membership_required
@require_POST
def shelter_extend(request: MemberRequest, pk: int, stay: int) -> HttpResponse:
    """Extend a stay beyond its first days (e.g. for the investigation), with the reason kept."""
    case = _case(request, pk, "shelter")
    found = get_child_for_actor(request.membership, case.shelter_stays, stay, "shelter")
    form = forms.ShelterExtendForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.shelter_stay_extend(
            actor=request.membership, stay=found, until=data["until"], reason=data["reason"]
        )

    done = _("The shelter stay is extended.")
    return _handle(request, case, tab="summary", form=form, name="extend_form", act=act, done=done)


@membership_required
@require_POST
def appeal(request: MemberRequest, pk: int, decision: int) -> HttpResponse:
    """Note that a decision was appealed: the deciding body or the owner's case workers."""
    action = access.decision_action(request.membership)
    case = _case(request, pk, action)
    found = get_child_for_actor(request.membership, case.decisions, decision, action)
    form = forms.AppealForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.decision_appeal_note(
            actor=request.membership, decision=found, lodged_on=data["lodged_on"], note=data["note"]
        )

    done = _("The appeal is noted.")
    return _handle(request, case, tab="decision", form=form, name="appeal_form", act=act, done=done)


# --- Consent and shares -------------------------------------------------------------------------------------------


@membership_required
@require_POST
def consent_give(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "consent")
    form = forms.ConsentForm(request.POST, owner_id=case.owner_id)

    def act() -> object:
        data = form.cleaned_data
        return services.consent_give(
            actor=request.membership,
            case=case,
            purpose=data["purpose"],
            given_by=data["given_by"],
            language=data["language"],
            organisation=data["organisation"],
            covers_identity=data["covers_identity"],
        )

    done = _("The consent is recorded.")
    return _handle(request, case, tab="consent", form=form, name="consent_form", act=act, done=done)


@membership_required
@require_POST
def consent_withdraw(request: MemberRequest, pk: int, consent: int) -> HttpResponse:
    """Withdraw at once: referrals and shares that rest on the consent end in the same transaction."""
    case = _case(request, pk, "consent")
    found = get_child_for_actor(request.membership, case.consents, consent, "consent")
    try:
        services.consent_withdraw(actor=request.membership, consent=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is withdrawn; what rested on it has ended."))
    return to_tab(case, "consent")


@membership_required
@require_POST
def share_create(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "share")
    form = forms.ShareForm(request.POST, owner_id=case.owner_id)

    def act() -> object:
        data = form.cleaned_data
        return services.share_create(
            actor=request.membership,
            case=case,
            organisation=data["organisation"],
            purpose=data["purpose"],
            scope=data["scope"],
            expires_at=data["expires_at"],
            override_reason=data["override_reason"],
        )

    done = _("The case is shared with the law-enforcement body.")
    return _handle(request, case, tab="consent", form=form, name="share_form", act=act, done=done)


@membership_required
@require_POST
def share_end(request: MemberRequest, pk: int, share: int) -> HttpResponse:
    case = _case(request, pk, "share")
    found = get_child_for_actor(request.membership, case.shares, share, "share")
    try:
        services.share_end(actor=request.membership, share=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The share has ended."))
    return to_tab(case, "consent")


# --- Referrals, services, notes, documents ------------------------------------------------------------------------


@membership_required
@require_POST
def refer(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "refer")
    form = forms.ReferralForm(request.POST, owner_id=case.owner_id)

    def act() -> object:
        data = form.cleaned_data
        return services.referral_send(
            actor=request.membership,
            case=case,
            to_organisation=data["to_organisation"],
            services=data["services"],
            reason=data["reason"],
            override_reason=data["override_reason"],
        )

    done = _("The referral is sent.")
    return _handle(request, case, tab="referrals", form=form, name="referral_form", act=act, done=done)


@membership_required
@require_POST
def service_add(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "record_service")
    form = forms.ServiceRecordForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.service_record(
            actor=request.membership,
            case=case,
            service=data["service"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            outcome=data["outcome"],
        )

    done = _("The service is recorded.")
    return _handle(request, case, tab="services", form=form, name="service_form", act=act, done=done)


@membership_required
@require_POST
def note_add(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "note")
    form = forms.NoteForm(request.POST)

    def act() -> object:
        data = form.cleaned_data
        return services.note_add(actor=request.membership, case=case, text=data["text"], shared=data["shared"])

    return _handle(request, case, tab="notes", form=form, name="note_form", act=act, done=_("The note is saved."))


@membership_required
@require_POST
def document_add(request: MemberRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "document")
    form = forms.DocumentForm(request.POST, request.FILES)

    def act() -> object:
        upload: Any = form.cleaned_data["file"]
        return services.document_add(
            actor=request.membership,
            case=case,
            title=form.cleaned_data["title"],
            content=upload.read(),
            content_type=upload.content_type or "",
            file_name=upload.name or "",
        )

    done = _("The document is stored, encrypted.")
    return _handle(request, case, tab="documents", form=form, name="document_form", act=act, done=done)
