"""The screening interview for first responders: consent, questions, a live result, the saved record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctip.accounts.middleware import step_up_required
from ctip.audit.services import audit_record
from ctip.core.decorators import membership_required
from ctip.core.forms import apply_validation_error
from ctip.core.http import MemberRequest
from ctip.core.registry import case_opening_url
from ctip.screening import access, engine, selectors, services
from ctip.screening.forms import ConsentForm, InterviewForm
from ctip.screening.models import Indicator, IndicatorCatalogue, Outcome, Screening, ScreeningKind

DRAFT = "ctip.screening.draft"
PAGE_SIZE = 50


def _require(request: MemberRequest) -> None:
    if not access.screenings.can(request.membership, "create"):
        raise PermissionDenied


@membership_required
def screening_list(request: MemberRequest) -> HttpResponse:
    _require(request)
    rows = selectors.screenings_visible_to(request.membership)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "outcome": outcome, "outcomes": Outcome.choices}
    return render(request, "screening/list.html", context)


@membership_required
@require_http_methods(["GET", "POST"])
def consent(request: MemberRequest) -> HttpResponse:
    """Step one: nothing is asked before the person has agreed, in a language they understand."""
    _require(request)
    corrects = _corrected(request, request.GET.get("corrects") or request.POST.get("corrects"))
    initial = {"kind": ScreeningKind.FULL, "consent_by": "person", "consent_language": translation.get_language()}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[DRAFT] = {
            "kind": form.cleaned_data["kind"],
            "consent_by": form.cleaned_data["consent_by"],
            "consent_language": form.cleaned_data["consent_language"],
            "consent_at": timezone.now().isoformat(),
            "corrects": corrects.pk if corrects else None,
        }
        return redirect("screening:interview")
    return render(request, "screening/consent.html", {"form": form, "corrects": corrects})


def _corrected(request: MemberRequest, pk: object) -> Screening | None:
    return selectors.screening_get_for_actor(request.membership, pk) if pk else None


def _questions(catalogue: IndicatorCatalogue, list_name: str, kind: str) -> list[Indicator]:
    rows = catalogue.indicators.filter(list=list_name).order_by("position", "code")
    if kind == ScreeningKind.SHORT:
        rows = rows.filter(short=True)
    return list(rows)


def _age(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


@membership_required
@require_http_methods(["GET", "POST"])
def interview(request: MemberRequest) -> HttpResponse:
    """Step two: the questions for the person's age, the result as answers come in, then save."""
    _require(request)
    draft = request.session.get(DRAFT)
    if not draft:
        return redirect("screening:new")
    catalogue = selectors.catalogue_from_spec(None)
    data = request.POST if request.method == "POST" else None
    age = _age(data.get("age")) if data else None
    possible_minor = bool(data and data.get("possible_minor"))
    list_name = engine.list_for(age, possible_minor)
    form = InterviewForm(data, questions=_questions(catalogue, list_name, draft["kind"]))
    if data is not None and "save" in data and form.is_valid():
        saved = _save(request, form, catalogue, draft)
        if saved is not None:
            return redirect("screening:detail", pk=saved.pk)
    context = {"form": form, "draft": draft, "live": _live(catalogue, form, data, draft["kind"])}
    return render(request, "screening/interview.html", context)


def _live(catalogue: IndicatorCatalogue, form: InterviewForm, data: Any, kind: str) -> dict[str, Any] | None:
    """The result so far, recomputed from whatever has been ticked (the engine stores nothing)."""
    if data is None:
        return None
    present = [q.code for q in form.questions if data.get(f"i_{q.code}")]
    given = {
        "age": _age(data.get("age")),
        "possible_minor": bool(data.get("possible_minor")),
        "act": bool(data.get("act")),
        "indicators": present,
    }
    try:
        result = selectors.assessment(catalogue=catalogue, data=given)
    except engine.AssessmentError:
        return None
    return {
        "result": result,
        "refer": services.refers_for_full(result.list, present) if kind == ScreeningKind.SHORT else None,
    }


def _save(
    request: MemberRequest, form: InterviewForm, catalogue: IndicatorCatalogue, draft: dict[str, Any]
) -> Screening | None:
    consent = services.Consent(
        by=draft["consent_by"],
        language=draft["consent_language"],
        given_at=dt.datetime.fromisoformat(draft["consent_at"]),
    )
    data = form.cleaned_data
    try:
        saved = services.screening_create(
            actor=request.membership,
            catalogue=catalogue,
            age=data["age"],
            possible_minor=data["possible_minor"],
            act=data["act"],
            indicators=form.present(),
            notes=form.notes(),
            interviewed_on=data["interviewed_on"],
            place=data["place"],
            language=data["language"],
            interpreter_used=data["interpreter_used"],
            kind=draft["kind"],
            consent=consent,
            corrects=_corrected(request, draft.get("corrects")),
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    del request.session[DRAFT]
    messages.success(request, _("Screening %(reference)s saved.") % {"reference": saved.reference})
    return saved


def _explained(screening: Screening) -> engine.Result:
    """Re-assess the stored answers against the frozen catalogue version, explained in the reader's language."""
    given = {
        "age": screening.age,
        "possible_minor": screening.possible_minor,
        "act": screening.act,
        "indicators": [a.indicator.code for a in screening.answers.all()],
    }
    return selectors.assessment(catalogue=screening.catalogue, data=given)


def _detail_context(screening: Screening) -> dict[str, Any]:
    answers = list(screening.answers.select_related("indicator").order_by("indicator__position"))
    return {"screening": screening, "answers": answers, "result": _explained(screening)}


@membership_required
def detail(request: MemberRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get_for_actor(request.membership, pk)
    context = {**_detail_context(screening), "open_case_url": case_opening_url(request.membership, screening)}
    return render(request, "screening/detail.html", context)


@membership_required
@require_POST
def close(request: MemberRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_get_for_actor(request.membership, pk, action="close")
    services.screening_close(actor=request.membership, screening=screening)
    messages.success(request, _("The screening is closed. A correction is made as a new screening."))
    return redirect("screening:detail", pk=screening.pk)


@membership_required
@step_up_required
def printable(request: MemberRequest, pk: int) -> HttpResponse:
    """The record as a PDF in the interview's language (its notes may identify: step-up, and audited)."""
    from weasyprint import HTML

    screening = selectors.screening_get_for_actor(request.membership, pk, action="export")
    language = screening.language if screening.language in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        html = render_to_string("screening/print.html", {**_detail_context(screening), "language": language})
    pdf = HTML(string=html).write_pdf()
    with transaction.atomic():
        audit_record(
            action="screening.export",
            actor=request.user,
            organisation=request.membership.organisation,
            obj=screening,
            details={"reference": screening.reference, "format": "pdf", "language": language},
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{screening.reference}.pdf"'
    return response
