from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from psd.domain import DomainError
from psd.domain import PermissionDenied as RuleDenied

from .. import list_actions
from ..models import AdvisoryListEntry, BarredListEntry
from ..selectors import list_lookup
from ..services import lists


class LookupForm(forms.Form):
    forename = forms.CharField(max_length=80)
    surname = forms.CharField(max_length=80)
    date_of_birth = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _prefix(kind: str, pk: int, name: str) -> str:
    """Unique on the page: many entries offer the same action."""
    return f"{kind}{pk}-{name}"


def _rows(user, kind: str, entries, bound=None) -> list[dict]:
    """Each entry with the forms of the actions the user may take on it now (the bound form
    in place of a fresh one when it was refused)."""
    rows = []
    for entry in entries:
        forms_ = []
        for action in list_actions.available(user, entry):
            key = (kind, entry.pk, action.name)
            fresh = action.form(prefix=_prefix(kind, entry.pk, action.name))
            form = bound[1] if bound and bound[0] == key else fresh
            url = reverse("cases:list_action", args=[kind, entry.pk, action.name])
            forms_.append({"action": action, "form": form, "url": url})
        rows.append({"entry": entry, "actions": forms_})
    return rows


def _render(request, bound=None, status=200, record=None):
    form = LookupForm(request.GET or None)
    matches = list_lookup(**form.cleaned_data) if form.is_valid() else None
    user = request.user
    if record is None and lists.barred_entry_record_refusal(actor=user) is None:
        record = list_actions.RecordDismissalForm(prefix="record")
    return render(
        request,
        "cases/lists.html",
        {
            "form": form,
            "matches": matches,
            "record": record,
            "barred": _rows(
                user, "barred", BarredListEntry.objects.select_related("case")[:200], bound
            ),
            "advisory": _rows(
                user, "advisory", AdvisoryListEntry.objects.select_related("case")[:200], bound
            ),
        },
        status=status,
    )


@permission_required("cases.view_barredlistentry", raise_exception=True)
def list_entries(request):
    """Barred and advisory list entries, with a lookup by name and date of birth, and the
    reports to record on each."""
    return _render(request)


def _submitted(request, form, run) -> str | None:
    """Run ``run()`` (one service, through its guard); the success message, or None with the
    refusal on ``form`` (a role refused is 403)."""
    try:
        return run()
    except RuleDenied:
        raise PermissionDenied from None
    except list_actions.InvalidInput:
        return None
    except DomainError as error:
        form.add_domain_error(error)
        return None


@require_POST
@permission_required("cases.view_barredlistentry", raise_exception=True)
def list_entry_action(request, kind: str, pk: int, name: str):
    """Run one action on one entry through its guard and its one service."""
    entry = list_actions.entry_of(kind, pk)
    action = list_actions.LIST_ACTIONS.get(name)
    if entry is None or action is None:
        raise Http404
    form = action.form(request.POST, prefix=_prefix(kind, entry.pk, action.name))

    def run():
        list_actions.run(request.user, entry, action, form)
        return f"{action.label}: {entry}."

    try:
        message = _submitted(request, form, run)
    except list_actions.NotPossibleNow as refusal:
        messages.error(request, str(refusal))
        return _render(request, status=409)
    if message:
        messages.success(request, message)
        return redirect("cases:lists")
    return _render(request, bound=((kind, entry.pk, action.name), form), status=400)


@require_POST
@permission_required("cases.view_barredlistentry", raise_exception=True)
def list_record_dismissal(request):
    """Report a dismissal decided outside a case here to the barred list."""
    form = list_actions.RecordDismissalForm(request.POST, prefix="record")

    def run():
        return f"Barred list entry made: {list_actions.record_dismissal(request.user, form)}."

    message = _submitted(request, form, run)
    if message:
        messages.success(request, message)
        return redirect("cases:lists")
    return _render(request, record=form, status=400)
