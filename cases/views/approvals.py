"""The approval queue: proposals waiting for a supervisor or the appropriate authority, each
with approve and refuse (with a reason) in place. Four-eyes refusals come back as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from psd.domain import DomainError

from ..actions import page as actions
from ..actions.forms import ApproveForm, RefuseForm
from ..models import DecisionStatus
from ..selectors.decisions import approval_list, decision_get
from ..services.decisions import decision_approve_refusal, decision_refuse_refusal

FORMS = {"approve": ApproveForm, "refuse": RefuseForm}


GUARDS = {"approve": decision_approve_refusal, "refuse": decision_refuse_refusal}


def _forms(user, decision, bound=None):
    """A form for each verdict the services' guards allow ``user`` now (the one just posted
    stays, with its errors)."""
    forms = {}
    for verdict, form_class in FORMS.items():
        if bound and bound[0] == verdict and bound[1] == decision.pk:
            forms[verdict] = bound[2]
        elif GUARDS[verdict](actor=user, decision=decision) is None:
            forms[verdict] = form_class(prefix=f"{verdict}-{decision.pk}")
    return forms


def _render(request, bound=None, status=200):
    decisions = []
    for decision in approval_list(user=request.user):
        decision.forms = _forms(request.user, decision, bound)
        decision.open = bool(bound and bound[1] == decision.pk)
        if decision.forms:
            decisions.append(decision)
    return render(request, "cases/approvals.html", {"decisions": decisions}, status=status)


@permission_required("cases.approve_decision", raise_exception=True)
def approval_queue(request):
    return _render(request)


@require_POST
@permission_required("cases.approve_decision", raise_exception=True)
def approval_decide(request, pk: int, verdict: str):
    decision = decision_get(user=request.user, pk=pk)
    if decision is None or verdict not in FORMS:
        raise Http404
    if decision.status != DecisionStatus.PENDING:
        messages.error(
            request, f"This proposal was already {decision.get_status_display().lower()}."
        )
        return redirect("cases:approvals")
    # The case page's approve and refuse actions, through the same layer (same form prefix).
    try:
        attempt = actions.attempt(
            user=request.user, case=decision.case, name=verdict, target=pk, data=request.POST
        )
        attempt.run()
    except actions.UnknownAction:
        raise Http404 from None
    except actions.RoleRefused:
        raise PermissionDenied from None
    except actions.InvalidInput:
        return _render(request, bound=(verdict, pk, attempt.form), status=400)
    except (actions.NotPossibleNow, DomainError) as error:
        messages.error(request, f"{decision.case.reference}: {_sentence(error)}")
        return redirect("cases:approvals")
    done = "Approved" if verdict == "approve" else "Refused"
    messages.success(request, f"{done}: {decision.get_kind_display()} on {decision.case}.")
    return redirect("cases:approvals")


def _sentence(error: Exception) -> str:
    return error.message if isinstance(error, DomainError) else str(error)
