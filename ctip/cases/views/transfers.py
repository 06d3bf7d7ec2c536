"""Transfer of a case's ownership: the owner proposes and may cancel; the receiving organisation accepts or declines.

The case changes hands only when the receiver accepts (``services.transfer_accept``); from then on the former owner
knows the case only through another relation it still has (an active referral, a live share), else not at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import access, selectors, services
from ctip.cases.forms import TransferForm
from ctip.cases.models import OwnershipTransfer, VictimCase
from ctip.cases.views.referrals import require_referral_role
from ctip.cases.vocab import TransferStatus
from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest

LIMIT = 200
RECENT = 50


def _rows(queryset: QuerySet[OwnershipTransfer]) -> QuerySet[OwnershipTransfer]:
    return queryset.select_related("case", "from_organisation", "to_organisation").order_by("-proposed_at", "-id")


@membership_required
def transfers(request: MemberRequest) -> HttpResponse:
    """Transfers waiting for this organisation's answer, those it proposed, and the latest answered."""
    require_referral_role(request)
    actor = request.membership
    org = actor.organisation_id
    visible = access.transfers.visible(actor, "view")
    context = {
        "waiting_in": _rows(selectors.transfers_waiting(actor))[:LIMIT],
        "waiting_out": _rows(visible.filter(from_organisation_id=org, status=TransferStatus.PROPOSED))[:LIMIT],
        "answered": _rows(visible.exclude(status=TransferStatus.PROPOSED))[:RECENT],
    }
    return render(request, "cases/transfers.html", context)


def _render_propose(request: MemberRequest, case: VictimCase, form: TransferForm) -> HttpResponse:
    history = _rows(case.transfers.all())
    context = {
        "case": case,
        "form": form,
        "history": history[:RECENT],
        "waiting": case.transfers.filter(status=TransferStatus.PROPOSED).select_related("to_organisation").first(),
    }
    return render(request, "cases/transfers.html", context)


@membership_required
def transfer_propose(request: MemberRequest, pk: int) -> HttpResponse:
    """GET: the form and the case's transfers. POST: offer the case to another organisation."""
    case = selectors.case_get_for_actor(request.membership, pk, action="transfer")
    if request.method != "POST":
        return _render_propose(request, case, TransferForm(owner_id=case.owner_id))
    form = TransferForm(request.POST, owner_id=case.owner_id)
    if form.is_valid():
        data = form.cleaned_data
        proposed = submit(
            form,
            lambda: services.transfer_propose(
                actor=request.membership,
                case=case,
                to_organisation=data["to_organisation"],
                override_reason=data["override_reason"],
            ),
        )
        if proposed is not None:
            messages.success(
                request,
                _("The transfer is proposed to %(org)s; the case stays yours until they accept.")
                % {"org": data["to_organisation"].name},
            )
            return redirect("cases:transfer_propose", pk=case.pk)
    return _render_propose(request, case, form)


def _answer(
    request: MemberRequest,
    pk: int,
    verb: str,
    act: Callable[[OwnershipTransfer], OwnershipTransfer],
    success: str,
) -> HttpResponse:
    """Fetch the transfer for ``verb`` (404 outside the two organisations, 403 without the role), then act."""
    transfer = get_for_actor(access.transfers, request.membership, pk, verb)
    try:
        done = act(transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:transfers")
    messages.success(request, success)
    if done.status == TransferStatus.ACCEPTED:
        return redirect("cases:detail", pk=done.case_id)
    return redirect("cases:transfers")


@membership_required
@require_POST
def transfer_accept(request: MemberRequest, pk: int) -> HttpResponse:
    def act(transfer: OwnershipTransfer) -> OwnershipTransfer:
        return services.transfer_accept(actor=request.membership, transfer=transfer)

    return _answer(request, pk, "accept", act, _("Transfer accepted: the case is now your organisation's."))


@membership_required
@require_POST
def transfer_decline(request: MemberRequest, pk: int) -> HttpResponse:
    def act(transfer: OwnershipTransfer) -> OwnershipTransfer:
        return services.transfer_decline(actor=request.membership, transfer=transfer)

    return _answer(request, pk, "decline", act, _("Transfer declined: the case stays with its owner."))


@membership_required
@require_POST
def transfer_cancel(request: MemberRequest, pk: int) -> HttpResponse:
    def act(transfer: OwnershipTransfer) -> OwnershipTransfer:
        return services.transfer_cancel(actor=request.membership, transfer=transfer)

    return _answer(request, pk, "cancel", act, _("Transfer cancelled."))
