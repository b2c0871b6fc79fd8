"""The case page: summary, allegations and subjects, timeline, and the actions the user may
take now, each a small form posting to ``actions.case_action``."""

from dataclasses import dataclass

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audit.reads import get_logged_or_404

from .. import clocks
from ..actions.page import build_form, page_state
from ..actions_available import available_actions
from ..models import Case
from ..selectors import case_get, cases_visible_to
from ..selectors.detail import timeline_list


@dataclass
class UIAction:
    spec: object
    target: object
    form: object
    url: str
    open: bool = False

    @property
    def key(self) -> str:
        return f"{self.spec.name}-{self.target.pk}"


def get_case_or_404(user, reference: str) -> Case:
    try:
        return case_get(user=user, reference=reference)
    except Case.DoesNotExist:
        raise Http404 from None


def render_case(request, case: Case, *, bound=None, kept=(), status=200):
    """Render the page; ``bound`` is a (spec name, target pk, form) to show open with its
    errors, ``kept`` the text of a form that can no longer be offered."""
    state = page_state(user=request.user, case=case)
    actions = []
    for spec, target in available_actions(state):
        url = reverse(
            "cases:action",
            args=[case.reference, spec.name, 0 if spec.scope == "case" else target.pk],
        )
        if bound and bound[0] == spec.name and bound[1] == target.pk:
            actions.append(UIAction(spec, target, bound[2], url, open=True))
        else:
            actions.append(UIAction(spec, target, build_form(spec, state, target), url))
    by_track, by_decision, case_actions, record_actions = {}, {}, [], []
    for action in actions:
        scope = action.spec.scope
        if scope == "track":
            by_track.setdefault(action.target.pk, []).append(action)
        elif scope == "rprp":
            by_track.setdefault(action.target.track_id, []).append(action)
        elif scope == "decision":
            by_decision.setdefault(action.target.pk, []).append(action)
        elif action.spec.name in ("note", "document"):
            record_actions.append(action)
        else:
            case_actions.append(action)
    for track in state.tracks:
        track.ui_actions = by_track.get(track.pk, [])
    names = {str(t.pk): t.person.rank_and_name for t in state.tracks}
    for decision in state.decisions:
        decision.ui_actions = by_decision.get(decision.pk, [])
        answers = (decision.payload or {}).get("answers", {})
        decision.answers = [(names.get(pk, pk), value) for pk, value in answers.items()]
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
        "deadlines": [d for d in state.deadlines if d.status == "open"],
        "timeline": timeline_list(
            user=request.user,
            case=case,
            tracks=state.tracks,
            deadlines=state.deadlines,
            decisions=state.decisions,
        ),
        "case_actions": case_actions,
        "record_actions": record_actions,
        "kept": kept,
        "today": timezone.localdate(),
        "twelve_month_duty": clocks.twelve_month_duty(case),
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
