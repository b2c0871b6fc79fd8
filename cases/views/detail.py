"""The case page: who and where the case is (identity bar), the step it waits for (the "Next
step" panel: the offered actions the case expects, each a small form posting to
``actions.case_action``), the other offered actions (a menu of links to each action's own
page), deadlines per subject, the case's content, notes and documents, and the timeline."""

from dataclasses import dataclass

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audit.reads import get_logged_or_404

from .. import clocks
from ..actions.page import build_form, page_state, page_timeline
from ..actions_available import available_actions
from ..models import Case
from ..next_step import is_next_step
from ..selectors import case_get, cases_visible_to
from ..selectors.decisions import describe_payload
from ..selectors.detail import deadline_rows, records_get
from ..selectors.people import early_intervention_list
from ..services.outside import RecordingWish
from ..timeline import FILTERS

TIMELINE_SHOWN = 10  # newer entries shown; older ones fold into "Show earlier entries"


@dataclass
class UIAction:
    spec: object
    target: object
    form: object
    url: str  # where its form posts
    open: bool = False
    next_step: bool = False
    page_url: str = ""  # the action's own page (its form alone), for the "Other actions" menu

    @property
    def key(self) -> str:
        return f"{self.spec.name}-{self.target.pk}"

    @property
    def label(self) -> str:
        """The action's label, naming the subject or proposal it is for."""
        scope = self.spec.scope
        if scope == "track":
            return f"{self.spec.label}: {self.target.person.rank_and_name}"
        if scope == "rprp":
            return f"{self.spec.label}: {self.target.track.person.rank_and_name}"
        if scope == "decision":
            return f"{self.spec.label}: {self.target.get_kind_display()}"
        return self.spec.label


def get_case_or_404(user, reference: str) -> Case:
    try:
        return case_get(user=user, reference=reference)
    except Case.DoesNotExist:
        raise Http404 from None


def action_url(case: Case, spec, target, *, view: str = "cases:action") -> str:
    """Where the action's form posts (or, with ``view="cases:action_form"``, its own page)."""
    return reverse(view, args=[case.reference, spec.name, 0 if spec.scope == "case" else target.pk])


def ui_actions(state, *, bound=None, today=None) -> list[UIAction]:
    """Every action offered now (its guard returns None): the next steps with their forms,
    the others with a link to their own page; ``bound`` is a (spec name, target pk, form) to
    show open, with its errors, in the Next step panel."""
    today = today or timezone.localdate()
    actions = []
    for spec, target in available_actions(state):
        url = action_url(state.case, spec, target)
        if bound and bound[0] == spec.name and bound[1] == target.pk:
            actions.append(UIAction(spec, target, bound[2], url, open=True, next_step=True))
            continue
        if is_next_step(spec, target, state, today):
            form = build_form(spec, state, target)
            actions.append(UIAction(spec, target, form, url, next_step=True))
        else:  # a link to the action's own page (its form is built there)
            page = action_url(state.case, spec, target, view="cases:action_form")
            actions.append(UIAction(spec, target, None, url, page_url=page))
    return actions


def _timeline_filter(request) -> list[str]:
    chosen = [g for g in request.GET.getlist("show") if g in FILTERS]
    return chosen or list(FILTERS)


def render_case(request, case: Case, *, bound=None, kept=(), status=200):
    """Render the page; ``bound`` is a (spec name, target pk, form) to show open with its
    errors, ``kept`` the text of a form that can no longer be offered."""
    today = timezone.localdate()
    state = page_state(user=request.user, case=case)
    actions = ui_actions(state, bound=bound, today=today)
    by_decision: dict[int, list[UIAction]] = {}
    for action in actions:
        if action.spec.scope == "decision":
            by_decision.setdefault(action.target.pk, []).append(action)
    for decision in state.decisions:
        decision.ui_actions = by_decision.get(decision.pk, [])
        describe_payload(decision, state.tracks)
    warnings = early_intervention_list(people=[t.person for t in state.tracks])
    flagged = {w.person.pk: w for w in warnings}
    for track in state.tracks:
        track.early_intervention = flagged.get(track.person_id)
    records = records_get(user=request.user, case=case)
    timeline = page_timeline(state, records)
    shown = _timeline_filter(request)
    filtered = [e for e in timeline if e.group in shown]
    case_scope = [a for a in actions if a.spec.scope == "case"]
    next_actions = [a for a in actions if a.next_step and a.spec.scope != "decision"]
    if len(next_actions) == 1 and not any(d.ui_actions for d in state.decisions):
        next_actions[0].open = True  # the one thing to do: its form is shown open
    context = {
        "case": case,
        "state": state,
        "allegations": state.allegations,
        "tracks": state.tracks,
        "complainants": case.complainants.all(),
        "pending": [d for d in state.decisions if d.status == "pending"],
        "outcomes": [
            o for d in state.decisions if d.status == "approved" for o in d.outcomes.all()
        ],
        "deadlines": deadline_rows(state.deadlines, state.tracks, today),
        "warnings": warnings,
        "notes": records.notes,
        "documents": records.documents,
        "timeline": filtered[:TIMELINE_SHOWN],
        "timeline_earlier": filtered[TIMELINE_SHOWN:],
        "timeline_total": len(timeline),
        "filters": [(key, label, key in shown) for key, label in FILTERS.items()],
        "filtered": len(shown) < len(FILTERS),
        "next_actions": next_actions,
        "other_actions": [a for a in actions if not a.next_step and a.spec.scope != "decision"],
        # Every case-wide action offered (the tests' and API's view of what the page offers).
        "case_actions": [a for a in case_scope if a.spec.name not in ("note", "document")],
        "record_actions": [a for a in case_scope if a.spec.name in ("note", "document")],
        "kept": kept,
        "today": today,
        "twelve_month_duty": clocks.twelve_month_duty(case),
        "recording_wish": RecordingWish.of(case),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@permission_required("cases.view_case", raise_exception=True)
def case_detail(request, reference: str):
    # DPA 2018 s62: the read is logged; a hidden case answers 404 and logs the refusal.
    case = get_logged_or_404(
        request,
        cases_visible_to(request.user).select_related(
            "investigator", "supervisor", "team", "created_by"
        ),
        reference=reference,
    )
    return render_case(request, case)
