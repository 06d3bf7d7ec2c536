from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctip.core.decorators import membership_required
from ctip.core.forms import apply_validation_error
from ctip.core.http import CtipRequest, MemberRequest
from ctip.orgs import access, selectors, services
from ctip.orgs.forms import MemberAddForm, MemberRolesForm
from ctip.orgs.models import Invitation


@membership_required
def directory(request: MemberRequest) -> HttpResponse:
    organisations = selectors.organisations_visible_to(request.membership)
    return render(request, "orgs/directory.html", {"organisations": organisations})


def _require_org_admin(request: MemberRequest) -> None:
    if not access.memberships.can(request.membership, "list"):
        raise PermissionDenied


def _grantable(request: MemberRequest) -> frozenset[str]:
    actor = request.membership
    return access.memberships.grantable_roles(by=None, actor=actor, organisation=actor.organisation)


@membership_required
def members(request: MemberRequest) -> HttpResponse:
    _require_org_admin(request)
    context = {
        "members": selectors.members_of_acting_org(request.membership),
        "invitations": selectors.invitations_pending_of_acting_org(request.membership),
    }
    return render(request, "orgs/members.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def member_add(request: MemberRequest) -> HttpResponse:
    _require_org_admin(request)
    form = MemberAddForm(request.POST or None, grantable=_grantable(request))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.member_add(actor=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            email = form.cleaned_data["email"]
            if isinstance(added, Invitation):
                text = _("%(email)s already has an account: they were invited and become a member when they accept.")
            else:
                text = _("%(email)s was added.")
            messages.success(request, text % {"email": email})
            return redirect("orgs:members")
    return render(request, "orgs/member_add.html", {"form": form})


@membership_required
@require_http_methods(["GET", "POST"])
def member_edit(request: MemberRequest, pk: int) -> HttpResponse:
    actor = request.membership
    membership = selectors.membership_get_for_actor(actor, pk, action="manage")
    grantable = _grantable(request)
    # Roles the administrator may not give or take (a national role) are kept as they are, and shown as such.
    kept = sorted(r for r in membership.role_set if r not in grantable)
    form = MemberRolesForm(
        request.POST or None, grantable=grantable, initial={"roles": sorted(membership.role_set & grantable)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_roles(
                actor=actor, membership=membership, roles=[*form.cleaned_data["roles"], *kept]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("orgs:members")
    context = {"form": form, "member": membership, "kept": [membership.roles.model(role=r) for r in kept]}
    return render(request, "orgs/member_edit.html", context)


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


@membership_required
@require_POST
def invitation_withdraw(request: MemberRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_actor(request.membership, pk, action="withdraw")
    services.invitation_withdraw(actor=request.membership, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("orgs:members")


# The invited person's side: reached with a login alone, since the invitation may be their way into ctip.


@require_GET
def invitations(request: CtipRequest) -> HttpResponse:
    rows = selectors.invitations_waiting_for(request.user)
    return render(request, "orgs/invitations.html", {"invitations": rows})


@require_POST
def invitation_answer(request: CtipRequest, pk: int, answer: str) -> HttpResponse:
    invitation = selectors.invitation_get_for_invitee(request.user, pk)
    if answer == "accept":
        try:
            membership = services.invitation_accept(user=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("orgs:invitations")
        text = _("You are now a member of %(org)s.") % {"org": membership.organisation.name}
    else:
        services.invitation_decline(user=request.user, invitation=invitation)
        text = _("You declined the invitation of %(org)s.") % {"org": invitation.organisation.name}
    messages.success(request, text)
    return redirect("orgs:invitations")
