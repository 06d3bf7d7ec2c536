"""The plan dashboard and the national progress report (PDF, DOCX, XLSX) of a program."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctip.audit.services import audit_record
from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest
from ctip.plans import access, dashboard, figures, national_report
from ctip.plans.forms import NationalReportForm, PeriodForm
from ctip.plans.models import Program, ReportingPeriod

OVERDUE_ROWS = 50  # the page lists the first ones by code; the overdue page and the national report list all


def _with_defaults(query: QueryDict, period: ReportingPeriod | None, **defaults: str) -> QueryDict:
    """The query with the default of each parameter left out (an empty value counts as left out)."""
    data = query.copy()
    if period is not None:
        defaults["period"] = str(period.pk)
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value
    return data


def _periods(program: Program) -> list[ReportingPeriod]:
    return list(program.periods.order_by("starts_on"))


@membership_required
@require_GET
def dashboard_page(request: MemberRequest, pk: int) -> HttpResponse:
    """Implementation by pillar and agency, indicators and funding: for every member who sees the program."""
    actor = request.membership
    program = get_for_actor(access.programs, actor, pk, "view")
    periods = _periods(program)
    default = dashboard.default_period(periods)
    form = PeriodForm(_with_defaults(request.GET, default), periods=periods)
    data = dashboard.build(actor, program, form.chosen() or default)
    can_export = access.national_report.can(actor, "export", program)
    report_form = NationalReportForm(
        _with_defaults(QueryDict(), data.period, lang=translation.get_language() or "en", format="pdf"),
        periods=periods,
        auto_id="report-%s",  # the page's other form also has a "period" field
    )
    context = {
        "data": data,
        "form": form,
        "figures": figures.figures(data),
        "report_form": report_form if can_export and periods else None,
        "overdue": [row for row in data.actions if row.overdue][:OVERDUE_ROWS],
        "overdue_more": max(data.overdue_actions - OVERDUE_ROWS, 0),
        "can_see_overdue": access.actions.can(actor, "overdue"),
    }
    return render(request, "plans/dashboard.html", context)


@membership_required
@require_GET
def national_report_download(request: MemberRequest, pk: int) -> HttpResponse:
    """The national progress report as a file, for coordinators and analysts (audited as an export).

    The report holds no personal data (see ``national_report``), so no fresh second factor is asked for.
    """
    actor = request.membership
    program = get_for_actor(access.national_report, actor, pk, "export")
    periods = _periods(program)
    defaults = {"lang": translation.get_language() or "en", "format": "pdf"}
    form = NationalReportForm(
        _with_defaults(request.GET, dashboard.default_period(periods), **defaults), periods=periods
    )
    if not form.is_valid():
        context = {
            "form": form,
            "program": program,
            "heading": _("National progress report"),
            "back": reverse("plans:dashboard", args=[program.pk]),
            "back_label": program.title,
            "refused": _("The report was not generated. Correct the choices below."),
            "method": "get",
            "action": reverse("plans:national_report", args=[program.pk]),
            "submit_label": _("Generate the report"),
        }
        return render(request, "plans/edit.html", context, status=400)
    fmt, language = form.cleaned_data["format"], form.cleaned_data["lang"]
    report = national_report.build(actor, program, form.chosen(), language)
    content = national_report.render(report, fmt)
    with transaction.atomic():
        audit_record(
            action="plans.national_report.export",
            actor=request.user,
            organisation=actor.organisation,
            obj=program,
            details={
                "period": report.period.pk if report.period else None,
                "format": fmt,
                "language": language,
                "actions": len(report.data.actions),
            },
        )
    content_type, extension = national_report.FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report.filename(extension)}"'
    return response
