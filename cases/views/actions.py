"""One view runs every case-page action: it checks the permission and the state, calls the
action's single service and redirects; on a refusal it shows the page again with the form
open, its errors, and everything the user typed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from psd.domain import DomainError, StaleObject
from psd.domain import PermissionDenied as RuleDenied

from ..action_runs import fingerprint
from ..actions_available import ACTIONS, allowed, resolve_target
from .detail import build_form, get_case_or_404, page_state, render_case

STALE = "This case changed — reload the page to see the latest version. Nothing you typed is lost."


@require_POST
def case_action(request, reference: str, name: str, target: int):
    case = get_case_or_404(request.user, reference)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    if not allowed(spec, request.user):
        raise PermissionDenied
    obj = resolve_target(case, spec.scope, target)
    if obj is None:
        raise Http404
    state = page_state(request, case)
    form = build_form(spec, state, obj, request.POST, request.FILES)
    if not spec.available(state, obj):
        return _stale(request, case, spec, obj, form)
    if form.is_valid():
        try:
            message = spec.run(request.user, case, obj, form)
        except StaleObject:
            return _stale(request, case, spec, obj, form)
        except RuleDenied as error:
            messages.error(request, error.message)
            form.add_domain_error(error)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message)
            return redirect(case)
    return render_case(request, case, bound=(spec.name, obj.pk, form), status=400)


def _stale(request, case, spec, obj, form):
    """Reload the case; offer the same form again (now up to date) with the user's text, or
    show their text on its own when the action is no longer possible."""
    messages.error(request, STALE)
    case = get_case_or_404(request.user, case.reference)
    state = page_state(request, case)
    obj = resolve_target(case, spec.scope, obj.pk)
    if obj is not None and spec.available(state, obj):
        data = request.POST.copy()
        data[form.add_prefix("expected")] = fingerprint(obj)
        fresh = build_form(spec, state, obj, data, request.FILES)
        fresh.is_bound = True
        fresh._errors = ErrorDict()  # shown as typed, not re-validated
        return render_case(request, case, bound=(spec.name, obj.pk, fresh), status=409)
    return render_case(request, case, kept=form.text_values(), status=409)
