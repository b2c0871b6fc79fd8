"""The public complaint form at /complaint/: no sign-in, CSRF-protected (ordinary session
cookie), answers kept in the session between steps, a check-your-answers page, and sending
throttled with the anonymous report form's mechanism (``reporting.throttle``: a site-wide
ceiling per hour in the shared cache, never per address, so a proxy's users are not locked
out together)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from psd.domain import DomainError
from reporting import throttle

from . import intake
from .complaint_forms import STEPS, display

SESSION_KEY = "complaint_answers"
SENT_KEY = "complaint_sent"
DRAFTS_KEY = "complaint_drafts"
THROTTLE = "complaint"
THROTTLED = (
    "Too many complaints have been sent to the force in the last hour. Your answers are "
    "kept: wait an hour and send again, or contact the force by phone."
)
ORDER = list(STEPS)
# Revalidate on every normal visit, but let Back and Forward show the page as the visitor left
# it (with what they typed): "no-store" would make the browser refuse to go back over a step
# whose answers were refused (a POST), losing the page.
fresh_but_restorable = cache_control(private=True, no_cache=True)


def _answers(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _first_missing(answers: dict) -> str | None:
    return next((step for step in ORDER if step not in answers), None)


@login_not_required
@fresh_but_restorable
def start(request):
    return render(request, "correspondence/complaint_start.html", {"first": ORDER[0]})


def _step_url(step: str, changing: bool) -> str:
    return reverse("complaint:step", args=[step]) + ("?change=1" if changing else "")


@login_not_required
@fresh_but_restorable
@require_http_methods(["GET", "POST"])
def step(request, step: str):
    """A step of the form. Refused answers are kept as a draft and shown again after a
    redirect (Post/Redirect/Get), with the errors and status 400: every page in the
    browser's history is then a GET, so Back and Forward never meet a form resubmission."""
    if step not in STEPS:
        raise Http404
    answers, drafts = _answers(request), request.session.get(DRAFTS_KEY, {})
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    if request.method == "POST":
        form = STEPS[step](request.POST)
        if not form.is_valid():
            drafts[step] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            request.session[DRAFTS_KEY] = drafts
            return redirect(_step_url(step, changing))
        answers[step] = form.answers()
        drafts.pop(step, None)
        request.session[SESSION_KEY], request.session[DRAFTS_KEY] = answers, drafts
        following = ORDER.index(step) + 1
        if changing or following == len(ORDER):
            return redirect("complaint:check")
        return redirect("complaint:step", step=ORDER[following])
    draft = drafts.get(step)
    form = STEPS[step](draft) if draft else STEPS[step](initial=answers.get(step))
    index = ORDER.index(step)
    back = _step_url(ORDER[index - 1], False) if index else reverse("complaint:start")
    context = {
        "form": form,
        "step": step,
        "number": index + 1,
        "total": len(ORDER),
        "back": reverse("complaint:check") if changing else back,
        "changing": changing,
    }
    status = 400 if draft and form.errors else 200
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
@fresh_but_restorable
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
        if throttle.complaints_refused():
            context["problem"], status = THROTTLED, 429
        else:
            try:
                case = intake.complaint_submit(answers=answers)
            except DomainError as error:
                context["problem"], status = error.message, 503
            else:
                throttle.record(THROTTLE)
                request.session.pop(SESSION_KEY, None)
                request.session.pop(DRAFTS_KEY, None)
                request.session[SENT_KEY] = case.reference
                return redirect("complaint:sent")
    return render(request, "correspondence/complaint_check.html", context, status=status)


@login_not_required
@fresh_but_restorable
def sent(request):
    reference = request.session.get(SENT_KEY)
    if not reference:
        raise Http404
    return render(request, "correspondence/complaint_sent.html", {"reference": reference})
