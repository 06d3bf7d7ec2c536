"""Pages of funding: commitments, a commitment with its allocations and disbursements, and the gaps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.forms import submit
from ctip.core.http import MemberRequest
from ctip.funding import access, selectors, services
from ctip.funding.forms import AllocationForm, CommitmentForm, DisbursementForm
from ctip.funding.models import Commitment
from ctip.plans.models import Program


def _form_page(request: MemberRequest, form: BaseForm, title: str) -> HttpResponse:
    return render(request, "funding/form.html", {"form": form, "title": title, "back": "funding:commitment_list"})


def _program(request: MemberRequest) -> Program | None:
    raw = request.GET.get("program", "")
    seen = selectors.programs_visible_to(request.membership)
    chosen = seen.filter(pk=int(raw)).first() if raw.isdigit() else None
    return chosen or seen.first()


@membership_required
def commitment_list(request: MemberRequest) -> HttpResponse:
    program = _program(request)
    context = {
        "program": program,
        "programs": selectors.programs_visible_to(request.membership),
        "commitments": selectors.commitments_visible_to(request.membership, program=program) if program else [],
        "by_donor": selectors.funding_by_donor(program) if program else [],
        "can_create": access.commitments.can(request.membership, "create"),
    }
    return render(request, "funding/commitment_list.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def commitment_create(request: MemberRequest) -> HttpResponse:
    if not access.commitments.can(request.membership, "create"):
        raise PermissionDenied
    latest = selectors.latest_program(request.membership)
    form = CommitmentForm(request.POST or None, initial={"program": latest.pk if latest else None})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        commitment = submit(form, lambda: services.commitment_create(actor=request.membership, **data))
        if commitment is not None:
            messages.success(request, _("Commitment recorded."))
            return redirect("funding:commitment_detail", pk=commitment.pk)
    return _form_page(request, form, _("New donor commitment"))


def _detail_context(request: MemberRequest, commitment: Commitment, **forms: BaseForm | None) -> dict[str, Any]:
    actor = request.membership
    totals = selectors.commitments_visible_to(actor).get(pk=commitment.pk)
    can_edit = access.commitments.can(actor, "edit", commitment)
    may_disburse = access.disbursing.can(actor, "disburse", commitment)
    context: dict[str, Any] = {
        "commitment": totals,
        "left_to_disburse": totals.amount - totals.disbursed,
        "left_to_allocate": totals.amount - totals.allocated,
        "allocations": commitment.allocations.select_related("action").order_by("action__code"),
        "disbursements": commitment.disbursements.order_by("date", "pk"),
        "can_edit": can_edit,
        "allocation_form": AllocationForm(program=commitment.program) if can_edit else None,
        "disbursement_form": DisbursementForm() if may_disburse else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


@membership_required
def commitment_detail(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_for_actor(access.commitments, request.membership, pk)
    return render(request, "funding/commitment_detail.html", _detail_context(request, commitment))


@membership_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_for_actor(access.commitments, request.membership, pk, "edit")
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if submit(form, lambda: services.commitment_update(actor=request.membership, commitment=commitment, **data)):
            messages.success(request, _("Commitment saved."))
            return redirect("funding:commitment_detail", pk=commitment.pk)
    return _form_page(request, form, _("Edit the commitment"))


@membership_required
@require_POST
def allocation_set(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_for_actor(access.commitments, request.membership, pk, "edit")
    form = AllocationForm(request.POST, program=commitment.program)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            lambda: services.allocation_set(
                actor=request.membership, commitment=commitment, action=data["action"], amount=data["amount"]
            ),
        )
        if done is not None:
            messages.success(request, _("Allocation saved."))
            return redirect("funding:commitment_detail", pk=commitment.pk)
    context = _detail_context(request, commitment, allocation_form=form)
    return render(request, "funding/commitment_detail.html", context, status=400)


@membership_required
@require_POST
def disbursement_create(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_for_actor(access.disbursing, request.membership, pk, "disburse")
    form = DisbursementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            lambda: services.disbursement_create(
                actor=request.membership,
                commitment=commitment,
                date=data["date"],
                amount=data["amount"],
                note=data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("Disbursement recorded."))
            return redirect("funding:commitment_detail", pk=commitment.pk)
    context = _detail_context(request, commitment, disbursement_form=form)
    return render(request, "funding/commitment_detail.html", context, status=400)


@membership_required
def gaps(request: MemberRequest) -> HttpResponse:
    program = _program(request)
    context = {
        "program": program,
        "programs": selectors.programs_visible_to(request.membership),
        "gaps": selectors.funding_gaps(program) if program else None,
    }
    return render(request, "funding/gaps.html", context)
