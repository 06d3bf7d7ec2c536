"""Upload a plan workbook (coordinator), download the template, and export a program (any member who sees it).

The upload page is stateless: "Check" imports as a dry run and shows every problem or what would change; "Import"
checks the file again and writes it. Nothing uploaded is kept on the server.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from ctip.core.access import get_for_actor
from ctip.core.decorators import membership_required
from ctip.core.http import MemberRequest
from ctip.plans import access
from ctip.plans.export import export_filename, plan_export
from ctip.plans.forms import XLSX, WorkbookUploadForm
from ctip.plans.workbook import WorkbookError, plan_import, template_bytes


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@membership_required
@require_http_methods(["GET", "POST"])
def import_page(request: MemberRequest) -> HttpResponse:
    if not access.programs.can(request.membership, "import"):
        raise PermissionDenied
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "problems": None, "result": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("step") != "import"
        try:
            result = plan_import(actor=request.membership, source=form.cleaned_data["file"].read(), dry_run=dry_run)
        except WorkbookError as invalid:
            context["problems"], status = invalid.problems, 422
        else:
            context["result"] = result
            context["form"] = WorkbookUploadForm()
    elif request.method == "POST":
        status = 422
    return render(request, "plans/import.html", context, status=status)


@membership_required
@require_GET
def template_download(request: MemberRequest) -> HttpResponse:
    return _xlsx(template_bytes(), "ctip-plan-template.xlsx")


@membership_required
@require_GET
def export_download(request: MemberRequest) -> HttpResponse:
    """The program named by ``?program=`` as a workbook; a program the member may not see is a 404."""
    program = get_for_actor(access.programs, request.membership, request.GET.get("program", ""), "view")
    return _xlsx(plan_export(actor=request.membership, program=program), export_filename(program))
