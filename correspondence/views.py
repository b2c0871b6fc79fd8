"""Staff pages: a case's letters, updates and bundles; the letter templates."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import audit_read
from cases.views.detail import get_case_or_404
from psd.domain import DomainError

from . import bundle as bundles
from . import services
from .context import PLACEHOLDERS
from .forms import LetterForm, TemplateForm, UpdateForm
from .models import Bundle, BundleStatus, LetterKind, LetterTemplate
from .selectors import case_correspondence


def _page(request, case, letter_form=None, update_form=None, status=200):
    context = case_correspondence(case=case) | {
        "case": case,
        "today_date": timezone.localdate(),
        "letter_form": letter_form or LetterForm(case=case),
        "update_form": update_form or UpdateForm(case=case),
    }
    return render(request, "correspondence/case_letters.html", context, status=status)


@permission_required("cases.view_case", raise_exception=True)
def case_letters(request, reference: str):
    case = get_case_or_404(request.user, reference)
    if request.method != "POST":
        return _page(request, case)
    form = LetterForm(request.POST, case=case)
    if form.is_valid():
        try:
            letter = services.letter_generate(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                inputs=form.inputs(),
                sent_how=form.cleaned_data["sent_how"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"“{letter.subject}” was generated and filed.")
            return redirect("correspondence:case_letters", reference=case.reference)
    return _page(request, case, letter_form=form, status=400)


@require_POST
@permission_required("cases.view_case", raise_exception=True)
def record_update(request, reference: str):
    case = get_case_or_404(request.user, reference)
    form = UpdateForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.complainant_update_record(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The update was recorded and the clock restarted.")
            return redirect("correspondence:case_letters", reference=case.reference)
    return _page(request, case, update_form=form, status=400)


@require_POST
@permission_required("cases.view_case", raise_exception=True)
def bundle_request(request, reference: str):
    case = get_case_or_404(request.user, reference)
    try:
        bundles.bundle_request(actor=request.user, case=case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The bundle is being put together: reload this page shortly.")
    return redirect("correspondence:case_letters", reference=case.reference)


@permission_required("cases.view_case", raise_exception=True)
def bundle_download(request, reference: str, pk: int):
    case = get_case_or_404(request.user, reference)
    bundle = Bundle.objects.filter(case=case, pk=pk, status=BundleStatus.DONE).first()
    if bundle is None:
        raise Http404
    audit_read(user=request.user, obj=case, request=request, what="export")
    response = FileResponse(
        bundle.file.open("rb"),
        as_attachment=True,
        filename=f"{case.reference}-bundle.pdf",
        content_type="application/pdf",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("correspondence.view_lettertemplate", raise_exception=True)
def templates(request):
    current = {t.kind: t for t in LetterTemplate.objects.order_by("kind", "version")}
    rows = [(kind, label, current.get(kind)) for kind, label in LetterKind.choices]
    return render(request, "correspondence/templates.html", {"rows": rows})


@permission_required("correspondence.view_lettertemplate", raise_exception=True)
def template_edit(request, kind: str):
    if kind not in LetterKind.values:
        raise Http404
    current = services.template_current(kind)
    form = TemplateForm(
        request.POST or None, initial={"subject": current.subject, "body": current.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(actor=request.user, kind=kind, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved as a new version.")
            return redirect("correspondence:template_edit", kind=kind)
    context = {
        "form": form,
        "kind": LetterKind(kind),
        "current": current,
        "versions": LetterTemplate.objects.filter(kind=kind).select_related("created_by"),
        "placeholders": sorted(PLACEHOLDERS[kind].items()),
        "may_edit": request.user.has_perm("correspondence.edit_lettertemplate"),
    }
    return render(
        request, "correspondence/template_edit.html", context, status=400 if form.errors else 200
    )
