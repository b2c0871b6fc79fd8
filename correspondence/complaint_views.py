"""The public complaint form at /complaint/: no sign-in, CSRF-protected (ordinary session
cookie), answers kept in the session between steps, a check-your-answers page, and sending
throttled per visitor with the anonymous report form's mechanism (``reporting.throttle``: a
daily-rotating keyed hash of the address, counters in the cache only)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from psd.domain import DomainError
from reporting import throttle

from . import intake
from .complaint_forms import STEPS, display

SESSION_KEY = "complaint_answers"
SENT_KEY = "complaint_sent"
THROTTLE = "complaint"
THROTTLED = (
    "Too many complaints have been sent from this connection in the last hour. Your answers "
    "are kept: wait an hour and send again, or contact the force by phone."
)
ORDER = list(STEPS)


def _answers(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _first_missing(answers: dict) -> str | None:
    return next((step for step in ORDER if step not in answers), None)


@login_not_required
@never_cache
def start(request):
    return render(request, "correspondence/complaint_start.html", {"first": ORDER[0]})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def step(request, step: str):
    if step not in STEPS:
        raise Http404
    answers = _answers(request)
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    form = STEPS[step](request.POST or None, initial=answers.get(step))
    if request.method == "POST" and form.is_valid():
        answers[step] = form.answers()
        request.session[SESSION_KEY] = answers
        following = ORDER.index(step) + 1
        if changing or following == len(ORDER):
            return redirect("complaint:check")
        return redirect("complaint:step", step=ORDER[following])
    index = ORDER.index(step)
    back = (
        reverse("complaint:step", args=[ORDER[index - 1]]) if index else reverse("complaint:start")
    )
    context = {
        "form": form,
        "step": step,
        "number": index + 1,
        "total": len(ORDER),
        "back": reverse("complaint:check") if changing else back,
        "changing": changing,
    }
    status = 400 if form.errors else 200
    return render(request, "correspondence/complaint_step.html", context, status=status)


def _rows(answers: dict) -> list[dict]:
    rows = []
    for name, form_class in STEPS.items():
        for field_name, field in form_class.base_fields.items():
            rows.append(
                {
                    "label": field.label,
                    "value": display(name, field_name, answers[name].get(field_name)),
                    "change": reverse("complaint:step", args=[name]) + "?change=1",
                }
            )
    return rows


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def check(request):
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing:  # e.g. the session expired: say what is missing, keep what is there
        context = {
            "missing": STEPS[missing].title,
            "missing_url": reverse("complaint:step", args=[missing]),
        }
        return render(request, "correspondence/complaint_check.html", context)
    context, status = {"rows": _rows(answers)}, 200
    if request.method == "POST":
        key = throttle.client_key(request.META.get("REMOTE_ADDR", ""))
        if throttle.is_throttled(THROTTLE, key):
            context["problem"], status = THROTTLED, 429
        else:
            try:
                case = intake.complaint_submit(answers=answers)
            except DomainError as error:
                context["problem"], status = error.message, 503
            else:
                throttle.record(THROTTLE, key)
                request.session.pop(SESSION_KEY, None)
                request.session[SENT_KEY] = case.reference
                return redirect("complaint:sent")
    return render(request, "correspondence/complaint_check.html", context, status=status)


@login_not_required
@never_cache
def sent(request):
    reference = request.session.get(SENT_KEY)
    if not reference:
        raise Http404
    return render(request, "correspondence/complaint_sent.html", {"reference": reference})
