"""One view runs every case-page action through the actions layer (``cases.actions.page``,
the API's path too): it checks the permission and the state, calls the action's single
service and redirects; on a refusal it shows the page again with the form open, its errors,
and everything the user typed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from psd.domain import DomainError, StaleObject
from psd.domain import PermissionDenied as RuleDenied

from ..actions import page as actions
from ..actions.runs import fingerprint
from ..actions_available import resolve_target
from .detail import get_case_or_404, render_case

STALE = "This case changed — reload the page to see the latest version. Nothing you typed is lost."


@require_POST
def case_action(request, reference: str, name: str, target: int):
    case = get_case_or_404(request.user, reference)
    try:
        attempt = actions.attempt(
            user=request.user,
            case=case,
            name=name,
            target=target,
            data=request.POST,
            files=request.FILES,
        )
    except actions.UnknownAction:
        raise Http404 from None
    except actions.RoleRefused:
        raise PermissionDenied from None
    form = attempt.form
    try:
        message = attempt.run()
    except (actions.NotPossibleNow, StaleObject):
        return _stale(request, attempt)
    except actions.InvalidInput:
        pass
    except RuleDenied as error:
        messages.error(request, error.message)
        form.add_domain_error(error)
    except DomainError as error:
        form.add_domain_error(error)
    else:
        messages.success(request, message)
        return redirect(case)
    return render_case(
        request, case, bound=(attempt.spec.name, attempt.target.pk, form), status=400
    )


def _stale(request, attempt):
    """Reload the case; offer the same form again (now up to date) with the user's text, or
    show their text on its own when the action is no longer possible."""
    messages.error(request, STALE)
    spec, form = attempt.spec, attempt.form
    case = get_case_or_404(request.user, attempt.state.case.reference)
    state = actions.page_state(user=request.user, case=case)
    obj = resolve_target(case, spec.scope, attempt.target.pk)
    if obj is not None and spec.available(state, obj):
        data = request.POST.copy()
        data[form.add_prefix("expected")] = fingerprint(obj)
        fresh = actions.build_form(spec, state, obj, data, request.FILES)
        fresh.is_bound = True
        fresh._errors = ErrorDict()  # shown as typed, not re-validated
        return render_case(request, case, bound=(spec.name, obj.pk, fresh), status=409)
    return render_case(request, case, kept=form.text_values(), status=409)
