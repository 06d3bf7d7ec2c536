"""Pages that show: the case list (codes only, never names), one case with its tabs, a case worker's deadlines,
opening a case, and revealing the identity behind a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctip.accounts.middleware import step_up_required
from ctip.cases import access, selectors, services
from ctip.cases.forms import CaseFilterForm, CaseOpenForm, RevealForm
from ctip.cases.selectors import CaseFilters
from ctip.cases.views._tabs import render_case
from ctip.cases.vocab import CaseState, DocumentType, NrmStatus
from ctip.core.decorators import membership_required
from ctip.core.forms import apply_validation_error, submit
from ctip.core.http import MemberRequest
from ctip.orgs.models import Region
from ctip.screening.models import Screening
from ctip.screening.selectors import screening_get_for_actor

PAGE_SIZE = 50


@membership_required
def case_list(request: MemberRequest) -> HttpResponse:
    """The organisation's cases, newest first, 50 a page; one query whatever the number of cases."""
    if not access.cases.can(request.membership, "list"):
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.filters() if form.is_bound and valid else CaseFilters()
    page = (form.cleaned_data.get("page") if form.is_bound and valid else None) or 1
    start = (page - 1) * PAGE_SIZE
    rows = list(selectors.cases_of_organisation(request.membership, filters)[start : start + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    # Labels are looked up once per page: get_FOO_display translates the whole choice list on every row.
    labels = {
        "status": {str(k): str(v) for k, v in NrmStatus.choices},
        "state": {str(k): str(v) for k, v in CaseState.choices},
        "region": {str(k): str(v) for k, v in Region.choices},
    }
    context = {
        "form": form,
        "cases": [
            (case, labels["status"][case.status], labels["state"][case.state], labels["region"].get(case.region, ""))
            for case in rows[:PAGE_SIZE]
        ],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_open": access.cases.can(request.membership, "create"),
    }
    return render(request, "cases/list.html", context)


@membership_required
def case_detail(request: MemberRequest, pk: int) -> HttpResponse:
    """One case, a tab at a time; the identity is never on this page (revealing it is a separate, audited act)."""
    case = selectors.case_get_for_actor(request.membership, pk)
    return render_case(request, case, request.GET.get("tab", "summary"))


@membership_required
def my_deadlines(request: MemberRequest) -> HttpResponse:
    if not access.cases.can(request.membership, "create"):
        raise PermissionDenied
    found = selectors.deadlines_for_case_worker(request.membership, days=14)
    return render(request, "cases/deadlines.html", {"deadlines": found, "today": timezone.localdate()})


@membership_required
@require_http_methods(["GET", "POST"])
def case_new(request: MemberRequest) -> HttpResponse:
    """Register the person and open a potential-victim case, directly or from a screening (``?screening=``)."""
    if not access.cases.can(request.membership, "create"):
        raise PermissionDenied
    screening = _screening(request)
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                actor=request.membership,
                person=form.person(),
                intake_channel=form.cleaned_data["intake_channel"],
                region=form.cleaned_data["region"],
                child=form.child(),
                screening=screening,
            )
        except ValidationError as error:
            apply_validation_error(form, _person_fields(error))
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form, "screening": screening})


def _screening(request: MemberRequest) -> Screening | None:
    pk = request.POST.get("screening") or request.GET.get("screening")
    return screening_get_for_actor(request.membership, pk) if pk else None


def _person_fields(error: ValidationError) -> ValidationError:
    """The services name the child notice ``notified_at``/``body``; the form calls them by their full names."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {"notified_at": "child_protection_notified_at", "body": "child_protection_body"}
    return ValidationError({renamed.get(field, field): errors for field, errors in error.error_dict.items()})


@membership_required
@step_up_required
@require_http_methods(["GET", "POST"])
def reveal(request: MemberRequest, pk: int) -> HttpResponse:
    """Show who the person is, for this response only, after a reason and a fresh second factor (audited)."""
    case = selectors.case_get_for_actor(request.membership, pk, action="identity")
    form = RevealForm(request.POST or None)
    person = None
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        person = submit(form, lambda: services.identity_reveal(actor=request.membership, case=case, reason=reason))
    document = DocumentType(person.document_type).label if person and person.document_type else ""
    context = {"case": case, "form": form, "person": person, "document_type": document}
    return render(request, "cases/reveal.html", context)


__all__ = ["PAGE_SIZE", "case_detail", "case_list", "case_new", "my_deadlines", "reveal"]
