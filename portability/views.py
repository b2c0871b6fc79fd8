"""The administrator's export page: request an export, see where it was written and its
manifest (files, rows, checksums). The files themselves are never sent to the browser."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from psd.domain import DomainError

from . import selectors, services
from .forms import ExportForm
from .schema import SCHEMA_VERSION

PERMISSION = "portability.export_data"


@never_cache
@permission_required(PERMISSION, raise_exception=True)
def exports(request):
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.export_request(actor=request.user, fmt=form.cleaned_data["format"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Export {run.pk} is queued; this page shows its progress.")
            return redirect("portability:export_detail", pk=run.pk)
    context = {
        "form": form,
        "runs": selectors.export_runs()[:20],
        "export_dir": settings.EXPORT_DIR,
        "schema_version": SCHEMA_VERSION,
    }
    return render(request, "portability/exports.html", context, status=400 if form.errors else 200)


@never_cache
@permission_required(PERMISSION, raise_exception=True)
def export_detail(request, pk: int):
    run = get_object_or_404(selectors.export_runs(), pk=pk)
    return render(request, "portability/export_detail.html", {"run": run})
