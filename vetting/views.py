"""Vetting pages: the queue, an application with its checklist and decisions, a person's
vetting record, and the re-vetting due list. Vetting officers only (sensitive data)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors as people
from accounts.models import Person
from audit.services import audit_event, audit_read
from psd.domain import DomainError

from . import selectors, services
from .actions import (
    APPLICATION_ACTIONS,
    PERSON_ACTIONS,
    ActionSpec,
    offered_application_actions,
)
from .forms import ApplicationForm, DueFilterForm, ResolveMatchForm
from .models import ApplicationStatus, VettingApplication

VIEW_APPLICATIONS = "vetting.view_vettingapplication"
CHANGE_APPLICATIONS = "vetting.change_vettingapplication"
VIEW_CLEARANCES = "vetting.view_clearance"
CHANGE_CLEARANCES = "vetting.change_clearance"


def _application(pk: int) -> VettingApplication:
    try:
        return selectors.application_get(pk=pk)
    except VettingApplication.DoesNotExist:
        raise Http404 from None


def _person(pk: int) -> Person:
    try:
        return people.person_get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


@permission_required(VIEW_APPLICATIONS, raise_exception=True)
def queue(request):
    status = request.GET.get("status", "")
    if status and status not in ApplicationStatus.values:
        status = ""
    context = {
        "applications": selectors.application_queue(status=status),
        "status": status,
        "statuses": ApplicationStatus.choices,
    }
    return render(request, "vetting/queue.html", context)


@permission_required("vetting.add_vettingapplication", raise_exception=True)
def application_new(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_receive(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Application recorded.")
            return redirect(application)
    return render(request, "vetting/application_form.html", {"form": form})


def _spec(actions: dict[str, ActionSpec], action: str) -> ActionSpec:
    spec = actions.get(action)
    if spec is None:
        raise Http404
    return spec


def _run_action(request, spec: ActionSpec, action: str, target):
    """Run a posted action on ``target``: None when it succeeded (with its message), else the
    bound form with its field errors or the service's refusal, for the page again."""
    form = spec.form(request.POST, prefix=action)
    if form.is_valid():
        try:
            spec.run(request.user, target, form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, spec.done)
            return None
    return form


def _render_application(request, application, bound: dict | None = None, status: int = 200):
    forms = {name: spec.form(prefix=name) for name, spec in APPLICATION_ACTIONS.items()}
    forms.update(bound or {})
    matches = selectors.list_matches(application)
    refusals = offered_application_actions(request.user, application)
    context = {
        # Offered exactly when the service's guard finds nothing against it; a form the user
        # just posted stays shown with its errors.
        "shown": {
            name: refusal is None or forms[name].is_bound for name, refusal in refusals.items()
        },
        "refusals": refusals,
        "application": application,
        "checklist": selectors.checklist(application),
        "matches": matches,
        "match_forms": _match_forms(matches, forms["resolve"]),
        "missing": selectors.missing_mandatory_checks(application),
        "appeal": getattr(application, "appeal", None),
        "forms": forms,
        "can_change": request.user.has_perm(CHANGE_APPLICATIONS),
    }
    return render(request, "vetting/application_detail.html", context, status=status)


def _match_forms(matches, resolve_form) -> list:
    """One resolution form per unresolved match, with ids of its own; the submitted one
    (with its errors) in its place."""
    pairs = []
    for match in matches:
        if not match.is_unresolved:
            continue
        key = f"{match.entry_type}-{match.entry.pk}"
        posted = resolve_form.is_bound and (
            f"{resolve_form.data.get('resolve-entry_type')}-"
            f"{resolve_form.data.get('resolve-entry_id')}" == key
        )
        form = (
            resolve_form
            if posted
            else ResolveMatchForm(
                prefix="resolve",
                initial={"entry_type": match.entry_type, "entry_id": match.entry.pk},
            )
        )
        form.auto_id = f"id_{key}_%s"
        pairs.append((match, form))
    return pairs


@permission_required(VIEW_APPLICATIONS, raise_exception=True)
def application_detail(request, pk: int):
    application = _application(pk)
    audit_read(user=request.user, obj=application, request=request)  # DPA 2018 s62
    return _render_application(request, application)


@require_POST
@permission_required(CHANGE_APPLICATIONS, raise_exception=True)
def application_action(request, pk: int, action: str):
    spec = _spec(APPLICATION_ACTIONS, action)
    application = _application(pk)
    form = _run_action(request, spec, action, application)
    if form is None:
        return redirect(application)
    return _render_application(request, _application(pk), {action: form}, status=400)


def _render_person(request, person, bound: dict | None = None, status: int = 200):
    forms = {name: spec.form(prefix=name) for name, spec in PERSON_ACTIONS.items()}
    forms.update(bound or {})
    clearances = selectors.clearances_for(person=person)
    for clearance in clearances:
        clearance.status_actions = services.clearance_status_actions(
            actor=request.user, clearance=clearance
        )
    context = {
        "person": person,
        "clearances": clearances,
        "due_on": selectors.revetting_due(person),
        "triggers": selectors.triggers_for(person=person),
        "applications": selectors.applications_for(person=person),
        "forms": forms,
        "can_change": request.user.has_perm(CHANGE_CLEARANCES),
    }
    return render(request, "vetting/person.html", context, status=status)


@permission_required(VIEW_CLEARANCES, raise_exception=True)
def person_vetting(request, pk: int):
    person = _person(pk)
    audit_read(user=request.user, obj=person, request=request)  # DPA 2018 s62
    return _render_person(request, person)


@require_POST
@permission_required(CHANGE_CLEARANCES, raise_exception=True)
def person_action(request, pk: int, action: str):
    spec = _spec(PERSON_ACTIONS, action)
    person = _person(pk)
    form = _run_action(request, spec, action, person)
    if form is None:
        return redirect("vetting:person", pk=person.pk)
    return _render_person(request, person, {action: form}, status=400)


CSV_HEADER = [
    "Due",
    "Overdue",
    "Number",
    "Surname",
    "Forename",
    "Department",
    "Level",
    "Reason",
    "Status",
]


@permission_required(VIEW_CLEARANCES, raise_exception=True)
def due_list(request):
    form = DueFilterForm(request.GET or None)
    rows = selectors.due_for_revetting(**form.filters())
    if request.GET.get("format") == "csv":
        audit_event(
            actor=request.user,
            action="vetting.due_export",
            target_label=f"{len(rows)} re-vetting rows",
        )  # DPA 2018 s62: disclosure
        return _csv(rows)
    return render(request, "vetting/due_list.html", {"form": form, "rows": rows})


def _csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="revetting-due.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rows:
        person = row.person
        writer.writerow(
            [
                row.due_on.isoformat(),
                "yes" if row.overdue else "no",
                person.number,
                _safe(person.surname),
                _safe(person.forename),
                _safe(str(person.department or "")),
                row.level.label if row.level else "",
                _safe(row.reason),
                row.status,
            ]
        )
    return response


def _safe(value: str) -> str:
    """No spreadsheet formulas from data (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
