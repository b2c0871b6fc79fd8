"""One view runs every case-page action through the actions layer (``cases.actions.page``,
the API's path too): it checks the permission and the state, calls the action's single
service and redirects; on a refusal it shows the page again with the form open, its errors,
and everything the user typed.

``case_action_form`` shows one action's form on a page of its own (the case page's "Other
actions" menu links there); it is shown exactly when the case page offers the action (its
guard), and posts to ``case_action``, which shows errors on that page again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from psd.domain import DomainError, StaleObject
from psd.domain import PermissionDenied as RuleDenied

from ..actions import page as actions
from ..actions.runs import fingerprint
from ..actions_available import resolve_target
from .detail import UIAction, action_url, get_case_or_404, render_case

ON_ITS_PAGE = "action-page"  # posted from the action's own page: errors are shown there
STALE = "This case changed — reload the page to see the latest version. Nothing you typed is lost."


def _attempt(request, reference: str, name: str, target: int, *, posted: bool):
    case = get_case_or_404(request.user, reference)
    try:
        return actions.attempt(
            user=request.user,
            case=case,
            name=name,
            target=target,
            data=request.POST if posted else None,
            files=request.FILES if posted else None,
        )
    except actions.UnknownAction:
        raise Http404 from None
    except actions.RoleRefused:
        raise PermissionDenied from None


@require_GET
@permission_required("cases.view_case", raise_exception=True)
def case_action_form(request, reference: str, name: str, target: int):
    return _action_page(request, _attempt(request, reference, name, target, posted=False))


@require_POST
def case_action(request, reference: str, name: str, target: int):
    attempt = _attempt(request, reference, name, target, posted=True)
    case = attempt.state.case
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
    if request.POST.get("on") == ON_ITS_PAGE:
        return _action_page(request, attempt, status=400)
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


def _action_page(request, attempt, status=200):
    """The action's form on its own page; the guard's sentence when it is not possible now."""
    case, spec, target = attempt.state.case, attempt.spec, attempt.target
    refusal = spec.available.refusal(attempt.state, target)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(case)
    action = UIAction(spec, target, attempt.form, action_url(case, spec, target), open=True)
    context = {"case": case, "a": action, "on": ON_ITS_PAGE}
    return render(request, "cases/action_page.html", context, status=status)
