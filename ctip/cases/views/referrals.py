"""The referral inbox and outbox, and the answers to a referral: accept, reject with a reason, done, revoke."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import access, selectors, services
from ctip.cases.forms import RejectForm
from ctip.cases.models import Referral
from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest

LIMIT = 200


def require_referral_role(request: MemberRequest) -> None:
    if not access.cases.can(request.membership, "work_referrals"):
        raise PermissionDenied


@membership_required
def inbox(request: MemberRequest) -> HttpResponse:
    """Referrals sent to the organisation, newest first, by case code (never a name)."""
    require_referral_role(request)
    rows = selectors.referral_inbox(request.membership)[:LIMIT]
    return render(request, "cases/inbox.html", {"referrals": rows, "reject_form": RejectForm()})


@membership_required
def shared(request: MemberRequest) -> HttpResponse:
    """Cases another organisation shares with this one (law enforcement), while consent and the share last."""
    if not access.cases.can(request.membership, "list_shared"):
        raise PermissionDenied
    rows = selectors.shares_held(request.membership)[:LIMIT]
    return render(request, "cases/shared.html", {"shares": rows})


@membership_required
def outbox(request: MemberRequest) -> HttpResponse:
    require_referral_role(request)
    rows = selectors.referral_outbox(request.membership)[:LIMIT]
    return render(request, "cases/outbox.html", {"referrals": rows})


def _answer(
    request: MemberRequest, pk: int, verb: str, act: Callable[[Referral], object], success: str
) -> HttpResponse:
    """Fetch the referral for ``verb`` (404 outside the two organisations, 403 without the role), then act on it."""
    referral = get_for_actor(access.referrals, request.membership, pk, verb)
    try:
        act(referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("cases:outbox" if verb == "revoke" else "cases:inbox")


@membership_required
@require_POST
def referral_accept(request: MemberRequest, pk: int) -> HttpResponse:
    def act(referral: Referral) -> object:
        return services.referral_accept(actor=request.membership, referral=referral)

    return _answer(request, pk, "accept", act, _("Referral accepted: record the services you give on the case."))


@membership_required
@require_POST
def referral_reject(request: MemberRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)

    def act(referral: Referral) -> object:
        if not form.is_valid():
            raise ValidationError(_("Say why the referral is rejected."))
        return services.referral_reject(actor=request.membership, referral=referral, reason=form.cleaned_data["reason"])

    return _answer(request, pk, "reject", act, _("Referral rejected."))


@membership_required
@require_POST
def referral_complete(request: MemberRequest, pk: int) -> HttpResponse:
    def act(referral: Referral) -> object:
        return services.referral_complete(actor=request.membership, referral=referral)

    return _answer(request, pk, "complete", act, _("Referral marked as done."))


@membership_required
@require_POST
def referral_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    def act(referral: Referral) -> object:
        return services.referral_revoke(actor=request.membership, referral=referral)

    return _answer(request, pk, "revoke", act, _("Referral revoked: the other organisation no longer sees the case."))
