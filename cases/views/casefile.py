"""The case file of one case, as a page to print and as a PDF; each is a logged read (the PDF
as an export: DPA 2018 s62)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render

from audit.reads import get_logged_or_404

from ..casefile import case_file_get
from ..casefile_pdf import case_file_pdf
from ..selectors import cases_visible_to


def _case(request, reference: str, what: str):
    visible = cases_visible_to(request.user).select_related("investigator", "supervisor")
    return get_logged_or_404(request, visible, what=what, reference=reference)


@permission_required("cases.view_case", raise_exception=True)
def case_file(request, reference: str):
    case = _case(request, reference, "page")
    context = {"file": case_file_get(user=request.user, case=case)}
    return render(request, "cases/case_file.html", context)


@permission_required("cases.view_case", raise_exception=True)
def case_file_pdf_download(request, reference: str):
    case = _case(request, reference, "export")
    content = case_file_pdf(case_file_get(user=request.user, case=case))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-file-{case.reference}.pdf"'
    return response
