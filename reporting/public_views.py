"""The anonymous pages under /report/: no login, no cookies, no CSRF cookie, nothing stored
about the visitor. ``privacy.AnonymityMiddleware`` has already removed the identifying headers;
forms carry a signed, single-use token (``tokens``) instead of a CSRF token."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from psd.domain import DomainError

from . import receipt, selectors, services, throttle, tokens
from .forms import CodeForm, ReplyForm, ReportForm
from .models import Report

NOT_FOUND = "Not found. Check the receipt code and try again."
THROTTLED = (
    "Too many attempts. For your protection, wait an hour before trying again. "
    "Your report has not been affected."
)
BUSY = (
    "We are receiving an unusually large number of reports. Your report was not sent: "
    "please try again in an hour. Your text is kept below."
)


def _refuse(request, message: str, status: int):
    return render(request, "reporting/public_refused.html", {"message": message}, status=status)


def _conversation(request, report: Report, reply_form=None, *, sent=False, status=200):
    context = {
        "report": report,
        "conversation": selectors.report_conversation(report=report),
        "form": reply_form or ReplyForm(),
        "token": tokens.issue("reply", r=report.pk),
        "sent": sent,
    }
    return render(request, "reporting/public_conversation.html", context, status=status)


@csrf_exempt  # no CSRF cookie on these pages: the signed form token replaces it
@login_not_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttle.submissions_refused():
            form.add_error(None, BUSY)
            status = 429
        elif tokens.check("report", request.POST.get("token")) is None:
            form.add_error(None, tokens.EXPIRED)
        else:
            try:
                submitted = services.report_submit(**form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                throttle.record("submit")
                code = receipt.display(submitted.code)
                return render(request, "reporting/public_receipt.html", {"code": code})
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "token": tokens.issue("report")}
    return render(request, "reporting/public_report_form.html", context, status=status)


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def follow_up(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if tokens.check("code", request.POST.get("token")) is None:
            form.add_error(None, tokens.EXPIRED)
        else:
            try:
                report = selectors.report_find(code=form.cleaned_data["code"])
            except selectors.CodeRefused:
                return _refuse(request, THROTTLED, 429)
            if report is not None:
                return _conversation(request, report)
            form.add_error("code", NOT_FOUND)
    status = 400 if form.errors else 200
    context = {"form": form, "token": tokens.issue("code")}
    return render(request, "reporting/public_follow_up.html", context, status=status)


@csrf_exempt
@login_not_required
@require_http_methods(["POST"])
def follow_up_reply(request):
    data = tokens.check("reply", request.POST.get("token"))
    report = selectors.report_get_or_none(pk=data["r"]) if data else None
    if report is None:
        context = {
            "form": CodeForm(),
            "token": tokens.issue("code"),
            "unsent": request.POST.get("body"),
            "notice": "This page has expired. Enter your receipt code again to send your message.",
        }
        return render(request, "reporting/public_follow_up.html", context, status=400)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.report_reply(report=report, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return _conversation(request, selectors.report_get(pk=report.pk), sent=True)
    return _conversation(request, report, form, status=400)
