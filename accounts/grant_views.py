"""Pages of the four-eyes grant flow: propose, then a second administrator approves."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from psd.domain import DomainError, PermissionDenied

from . import grants
from .grant_forms import GrantDecisionForm, GrantRequestForm
from .models import GrantRequest, GrantStatus

RECENT = 50


def _rows(user, queryset):
    return [
        (
            grant,
            grants.grant_decide_refusal(actor=user, grant=grant) is None,
            grants.grant_withdraw_refusal(actor=user, grant=grant) is None,
        )
        for grant in queryset
    ]


@permission_required(grants.MANAGE, raise_exception=True)
def grant_list(request):
    form = GrantRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            grants.grant_request(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
            status = 403 if isinstance(error, PermissionDenied) else 400
        else:
            messages.success(
                request, "Grant proposed: it takes effect when a second administrator approves it."
            )
            return redirect("accounts:grants")
    return _page(request, form, status=400 if form.errors and status == 200 else status)


def _page(request, form, *, status: int, refusal: str = ""):
    rows = GrantRequest.objects.select_related(
        "grantee", "requested_by", "decided_by", "person", "permission__content_type"
    )
    context = {
        "form": form,
        "refusal": refusal,
        "pending": _rows(request.user, rows.filter(status=GrantStatus.PENDING)),
        "decided": rows.exclude(status=GrantStatus.PENDING)[:RECENT],
    }
    return render(request, "accounts/grants.html", context, status=status)


DECISIONS = {
    "approve": (grants.grant_approve, "Grant approved: it is now in effect."),
    "refuse": (grants.grant_refuse, "Grant refused."),
    "withdraw": (grants.grant_withdraw, "Grant withdrawn."),
}


@require_POST
@permission_required(grants.MANAGE, raise_exception=True)
def grant_decide(request, pk: int, verdict: str):
    if verdict not in DECISIONS:
        raise Http404
    grant = get_object_or_404(GrantRequest, pk=pk)
    form = GrantDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service, done = DECISIONS[verdict]
    kwargs = {} if verdict == "withdraw" else {"note": note}
    try:
        service(actor=request.user, grant=grant, **kwargs)
    except PermissionDenied as error:
        return _page(request, GrantRequestForm(), status=403, refusal=error.message)
    except DomainError as error:
        return _page(request, GrantRequestForm(), status=400, refusal=error.message)
    messages.success(request, done)
    return redirect("accounts:grants")
