"""The new-case wizard: type → complainants → allegations → check answers → confirm.

The draft is kept in the session as plain data (ids and strings); nothing touches the
database until the user confirms, and then one service call (one transaction) creates it all.
"""

import contextlib
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render

from accounts.models import Person, User
from accounts.selectors import person_search
from psd.domain import DomainError

from .. import services
from ..forms_wizard import (
    RECORDING_WISH,
    AllegationDraftForm,
    CaseStartForm,
    ComplainantForm,
    ConfirmForm,
    SubjectSearchForm,
)
from ..models import AllegationCategory, CaseType, Source, Standard
from ..selectors.people import early_intervention_list

SESSION_KEY = "case_draft"
add_case = permission_required("cases.add_case", raise_exception=True)


def _draft(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _save(request, draft: dict) -> None:
    request.session[SESSION_KEY] = draft


def _started(request):
    """The draft, or None when the first step has not been done yet."""
    draft = _draft(request)
    return draft if draft.get("case_type") else None


@add_case
def step_type(request):
    draft = _draft(request)
    initial = {k: draft.get(k) for k in ("case_type", "source", "received_on", "summary")}
    initial["supervisor"] = draft.get("supervisor")
    initial["to_queue"] = draft.get("to_queue", False)
    initial["recording_wish"] = draft.get("recording_wish", "")
    form = CaseStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft.update(form.draft())
        draft.setdefault("complainants", [])
        draft.setdefault("allegations", [])
        draft.setdefault("picked", [])
        _save(request, draft)
        if draft["case_type"] == CaseType.COMPLAINT:
            return redirect("cases:new_complainants")
        return redirect("cases:new_allegations")
    return render(request, "cases/new/type.html", {"form": form, "step": 1})


@add_case
def step_complainants(request):
    draft = _started(request)
    if draft is None:
        return redirect("cases:new")
    form = ComplainantForm(request.POST if request.POST.get("do") == "add" else None)
    if request.method == "POST":
        if request.POST.get("do") == "remove":
            _remove(draft["complainants"], request.POST.get("index"))
            _save(request, draft)
            return redirect("cases:new_complainants")
        if form.is_valid():
            draft["complainants"].append(form.cleaned_data)
            _save(request, draft)
            messages.success(request, "Complainant added.")
            return redirect("cases:new_complainants")
    return render(
        request,
        "cases/new/complainants.html",
        {"form": form, "draft": draft, "step": 2},
    )


def _remove(items: list, index) -> None:
    with contextlib.suppress(TypeError, ValueError, IndexError):
        items.pop(int(index))


@add_case
def step_allegations(request):
    draft = _started(request)
    if draft is None:
        return redirect("cases:new")
    if draft["case_type"] == CaseType.COMPLAINT and not draft["complainants"]:
        messages.error(request, "Add the complainant first (they may be anonymous).")
        return redirect("cases:new_complainants")
    do = request.POST.get("do")
    if do in ("pick", "unpick"):
        _pick(draft, request.POST.get("person"), add=do == "pick")
        _save(request, draft)
        query = urlencode({"q": request.POST.get("q", "")})
        return redirect(f"{request.path}?{query}#subjects")
    if do == "remove":
        _remove(draft["allegations"], request.POST.get("index"))
        _save(request, draft)
        return redirect("cases:new_allegations")
    form = AllegationDraftForm(request.POST if do == "add" else None, subjects=draft["picked"])
    if do == "add" and form.is_valid():
        draft["allegations"].append(form.draft())
        draft["picked"] = []
        _save(request, draft)
        messages.success(request, f"Allegation {len(draft['allegations'])} added.")
        return redirect("cases:new_allegations")
    search = SubjectSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = list(person_search(query=query, limit=20)) if query else []
    picked = _people(draft["picked"])
    warnings = _flag_early_intervention([*picked, *results])
    return render(
        request,
        "cases/new/allegations.html",
        {
            "form": form,
            "search": search,
            "query": query,
            "results": results,
            "picked": picked,
            "warnings": warnings,
            "allegations": _described(draft["allegations"]),
            "draft": draft,
            "step": 3,
        },
    )


def _flag_early_intervention(people: list[Person]) -> list:
    """Mark each person at the early-intervention threshold (``person.early_intervention``)
    and return the warnings for the people picked or found (one query)."""
    warnings = early_intervention_list(people={p.pk: p for p in people}.values())
    flagged = {w.person.pk: w for w in warnings}
    for person in people:
        person.early_intervention = flagged.get(person.pk)
    return warnings


def _pick(draft: dict, person_id, *, add: bool) -> None:
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        return
    if add and pk not in draft["picked"] and Person.objects.filter(pk=pk).exists():
        draft["picked"].append(pk)
    elif not add and pk in draft["picked"]:
        draft["picked"].remove(pk)


def _people(ids) -> list[Person]:
    people = Person.objects.select_related("rank").in_bulk(ids)
    return [people[pk] for pk in ids if pk in people]


def _described(allegations: list[dict]) -> list[dict]:
    """The draft allegations with their category, standards and subjects loaded (3 queries)."""
    categories = AllegationCategory.objects.select_related("parent").in_bulk(
        {a["category"] for a in allegations}
    )
    standards = Standard.objects.in_bulk({pk for a in allegations for pk in a["standards"]})
    people = Person.objects.select_related("rank").in_bulk(
        {pk for a in allegations for pk in a["subjects"]}
    )
    return [
        {
            **a,
            "category_obj": categories.get(a["category"]),
            "standard_objs": [standards[pk] for pk in a["standards"] if pk in standards],
            "subject_objs": [people[pk] for pk in a["subjects"] if pk in people],
        }
        for a in allegations
    ]


@add_case
def step_check(request):
    draft = _started(request)
    if draft is None:
        return redirect("cases:new")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    allegations = _described(draft["allegations"])
    if request.method == "POST" and form.is_valid():
        try:
            case = _create(request.user, draft, allegations)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, f"Case {case.reference} logged.")
            return redirect(case)
    supervisor = User.objects.filter(pk=draft.get("supervisor")).first()
    return render(
        request,
        "cases/new/check.html",
        {
            "form": form,
            "draft": draft,
            "allegations": allegations,
            "supervisor": supervisor,
            "case_type_label": CaseType(draft["case_type"]).label,
            "source_label": Source(draft["source"]).label,
            "recording_wish_label": dict(RECORDING_WISH).get(draft.get("recording_wish", "")),
            "received_on": datetime.date.fromisoformat(draft["received_on"]),
            "step": 4,
        },
    )


def _create(actor, draft: dict, allegations: list[dict]):
    for number, a in enumerate(allegations, start=1):
        if a["category_obj"] is None or len(a["subject_objs"]) != len(a["subjects"]):
            raise DomainError(
                f"Allegation {number} refers to a category or person no longer available: "
                "remove it and add it again."
            )
    received_on = datetime.date.fromisoformat(draft["received_on"])
    answer = draft.get("recording_wish")
    return services.case_create(
        actor=actor,
        case_type=draft["case_type"],
        summary=draft["summary"],
        received_on=received_on,
        source=draft["source"],
        supervisor=User.objects.filter(pk=draft.get("supervisor")).first(),
        unassigned=bool(draft.get("to_queue")),
        recording_wish=services.RecordingWish(answer, received_on, "intake") if answer else None,
        complainants=[services.ComplainantData(**c) for c in draft["complainants"]],
        allegations=[
            services.AllegationData(
                summary=a["summary"],
                category=a["category_obj"],
                standards=a["standard_objs"],
                subjects=a["subject_objs"],
                about_force=a["about_force"],
            )
            for a in allegations
        ],
    )


@add_case
def cancel(request):
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "The draft case was discarded.")
        return redirect("cases:list")
    return redirect("cases:new")
