from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.core.decorators import membership_required
from ctip.core.forms import apply_validation_error
from ctip.core.http import MemberRequest
from ctip.orgs import access, selectors, services
from ctip.orgs.forms import MemberAddForm, MemberRolesForm


@membership_required
def directory(request: MemberRequest) -> HttpResponse:
    organisations = selectors.organisations_visible_to(request.membership)
    return render(request, "orgs/directory.html", {"organisations": organisations})


def _require_org_admin(request: MemberRequest) -> None:
    if not access.memberships.can_manage_members(request.membership):
        raise PermissionDenied


@membership_required
def members(request: MemberRequest) -> HttpResponse:
    _require_org_admin(request)
    rows = selectors.members_of_acting_org(request.membership)
    return render(request, "orgs/members.html", {"members": rows})


@membership_required
@require_http_methods(["GET", "POST"])
def member_add(request: MemberRequest) -> HttpResponse:
    _require_org_admin(request)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(email)s was added.") % {"email": form.cleaned_data["email"]})
            return redirect("orgs:members")
    return render(request, "orgs/member_add.html", {"form": form})


@membership_required
@require_http_methods(["GET", "POST"])
def member_edit(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.membership
    membership = selectors.membership_get_for_actor(actor, pk, action="manage")
    form = MemberRolesForm(request.POST or None, initial={"roles": sorted(membership.role_set)})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_roles(actor=actor, membership=membership, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("orgs:members")
    return render(request, "orgs/member_edit.html", {"form": form, "member": membership})


@membership_required
@require_POST
def member_set_active(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.membership
    membership = selectors.membership_get_for_actor(actor, pk, action="manage")
    active = request.POST.get("active") == "1"
    try:
        services.membership_set_active(actor=actor, membership=membership, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership reactivated.") if active else _("Membership deactivated."))
    return redirect("orgs:members")
