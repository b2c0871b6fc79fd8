"""Triage of anonymous reports by PSD (``reporting.triage_report``; auditors see the trail)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from psd.domain import DomainError

from . import selectors, services
from .forms import CloseForm, ConductMatterForm, QuestionForm
from .models import Evidence, Report, ReportStatus

TRIAGE = "reporting.triage_report"


def _report(request, pk: int) -> Report:
    """The report, or 404 when it is missing or routed to another team's queue."""
    try:
        return selectors.report_get(pk=pk, user=request.user)
    except Report.DoesNotExist:
        raise Http404 from None


@permission_required("reporting.view_report", raise_exception=True)
def triage_list(request):
    status = request.GET.get("status", "")
    status = status if status in ReportStatus.values else ""
    reports = selectors.report_list(status=status, user=request.user)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ReportStatus.choices}
    return render(request, "reporting/triage_list.html", context)


@never_cache
@permission_required(TRIAGE, raise_exception=True)
def triage_detail(request, pk: int):
    report = services.report_read(actor=request.user, report=_report(request, pk))
    context = {
        "report": report,
        "content": selectors.report_content(report=report),
        "conversation": selectors.report_conversation(report=report),
        "evidence": selectors.report_evidence_named(report=report),
        "events": selectors.report_events(report=report),
    }
    return render(request, "reporting/triage_detail.html", context)


@never_cache
@permission_required(TRIAGE, raise_exception=True)
def evidence_download(request, pk: int, evidence_pk: int):
    try:
        evidence = selectors.evidence_get(report_pk=pk, pk=evidence_pk, user=request.user)
    except Evidence.DoesNotExist:
        raise Http404 from None
    data, _name = services.evidence_open(actor=request.user, evidence=evidence)
    response = HttpResponse(data, content_type=evidence.content_type)
    extension = evidence.content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
    filename = f"{evidence.report.reference}-evidence-{evidence.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("reporting.view_report", raise_exception=True)
def triage_events(request, pk: int):
    report = _report(request, pk)
    context = {"report": report, "events": selectors.report_events(report=report)}
    return render(request, "reporting/triage_events.html", context)


def _action(request, pk: int, form_class, service, *, title: str, done: str):
    """The shape of the three triage actions: a form, one service call, back to the report."""
    report = _report(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, report=report, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, done)
            return redirect(report.get_absolute_url())
    context = {"report": report, "form": form, "title": title}
    return render(request, "reporting/triage_action.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(TRIAGE, raise_exception=True)
def triage_ask(request, pk: int):
    return _action(
        request,
        pk,
        QuestionForm,
        services.report_ask,
        title="Ask the reporter a question",
        done="Question sent. The reporter will see it when they return with their receipt code.",
    )


@require_http_methods(["GET", "POST"])
@permission_required(TRIAGE, raise_exception=True)
def triage_close(request, pk: int):
    return _action(
        request,
        pk,
        CloseForm,
        services.report_close,
        title="Close with no further action",
        done="Report closed.",
    )


@require_http_methods(["GET", "POST"])
@permission_required(TRIAGE, raise_exception=True)
def triage_conduct_matter(request, pk: int):
    return _action(
        request,
        pk,
        ConductMatterForm,
        services.report_create_conduct_matter,
        title="Record as a conduct matter",
        done="Conduct matter created from the report.",
    )
