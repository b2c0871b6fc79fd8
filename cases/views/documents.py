from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404

from audit.services import audit_read

from ..models import CaseDocument
from .detail import get_case_or_404


@permission_required("cases.view_case", raise_exception=True)
def document_download(request, reference: str, pk: int):
    """Served only to users who may see the case (404 otherwise), always as a download."""
    case = get_case_or_404(request.user, reference)
    document = CaseDocument.objects.filter(case=case, pk=pk).first()
    if document is None:
        raise Http404
    audit_read(user=request.user, obj=document, request=request, what="export")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
