"""One attempt at one action, the same for the case page and the API: look the action and its
target up, check the role, load what availability needs, build the form, then run it."""

from dataclasses import dataclass

from accounts.models import User

from ..actions_available import ACTIONS, ActionSpec, PageState, allowed, resolve_target
from ..models import Case, State
from ..selectors.detail import (
    Records,
    TimelineEntry,
    allegation_list,
    case_deadline_list,
    decision_list,
    timeline_list,
    track_list,
)
from ..services import referral_required
from .forms import ActionForm
from .runs import fingerprint


class UnknownAction(LookupError):
    """No such action, or no such subject, reflective practice or proposal on this case."""


class RoleRefused(Exception):
    """The user's role does not hold the action's permission."""


class NotPossibleNow(Exception):
    """The action's guard refuses it now (the case's state, four-eyes...); ``str()`` is the
    guard's sentence."""


class InvalidInput(Exception):
    """The action's form rejected the input (``form.errors`` says why, per field)."""


def page_state(*, user: User, case: Case) -> PageState:
    """What availability and the forms need, loaded once (the case page's queries)."""
    tracks = track_list(case=case)
    assessing = case.state == State.REFERRAL_ASSESSMENT
    return PageState(
        case=case,
        user=user,
        tracks=tracks,
        allegations=list(allegation_list(case=case)),
        decisions=decision_list(case=case),
        deadlines=case_deadline_list(case=case, tracks=tracks),
        has_assessment=assessing and case.referral_assessments.exists(),
        referral_required=assessing and referral_required(case),
        suspension=case.suspensions.filter(ended_on__isnull=True).first(),
    )


def page_timeline(state: PageState, records: Records) -> list[TimelineEntry]:
    """The case's timeline from what the page state loaded and the records the user may see."""
    return timeline_list(
        case=state.case,
        records=records,
        tracks=state.tracks,
        deadlines=state.deadlines,
        decisions=state.decisions,
    )


def build_form(
    spec: ActionSpec, state: PageState, target, data=None, files=None, *, prefixed: bool = True
) -> ActionForm:
    """The action's form for ``target``, carrying the fingerprint of what the user sees. The
    page prefixes its fields (many forms on one page); the API does not (JSON keys)."""
    return spec.form(
        data,
        files,
        prefix=f"{spec.name}-{target.pk}" if prefixed else None,
        initial={"expected": fingerprint(target)},
        case=state.case,
        target=target,
        **spec.form_kwargs(state, target),
    )


@dataclass
class Attempt:
    """One user's attempt at one action on one target, with the form holding their input."""

    spec: ActionSpec
    state: PageState
    target: object
    form: ActionForm
    checked: bool = False

    def bound(self, data, files=None) -> "Attempt":
        """The same attempt with the user's input in its form."""
        prefixed = self.form.prefix is not None
        form = build_form(self.spec, self.state, self.target, data, files, prefixed=prefixed)
        return Attempt(self.spec, self.state, self.target, form)

    def check(self) -> None:
        """``NotPossibleNow`` with the guard's sentence when the action may not be taken now;
        ``InvalidInput`` when the form rejects the input."""
        refusal = self.spec.available.refusal(self.state, self.target)
        if refusal is not None:
            raise NotPossibleNow(refusal)
        if not self.form.is_valid():
            raise InvalidInput(self.form)
        self.checked = True

    def run(self) -> str:
        """Check, then run the action's one service; the message to show. The service's own
        refusals (``DomainError``, ``StaleObject``...) come through unchanged."""
        if not self.checked:
            self.check()
        return self.spec.run(self.state.user, self.state.case, self.target, self.form)


def action_for(*, user: User, name: str) -> ActionSpec:
    """``UnknownAction`` for a name that is not an action, ``RoleRefused`` when the user's role
    may not take it (checked before anything else is read, the request's body included)."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise UnknownAction(name)
    if not allowed(spec, user):
        raise RoleRefused(name)
    return spec


def attempt(
    *, user: User, case: Case, name: str, target: int, data=None, files=None, prefixed=True
) -> Attempt:
    """``UnknownAction`` for a name or target that is not there, ``RoleRefused`` when the
    user's role may not take the action; else the attempt, its form bound to ``data``."""
    spec = action_for(user=user, name=name)
    obj = resolve_target(case, spec.scope, target)
    if obj is None:
        raise UnknownAction(name)
    state = page_state(user=user, case=case)
    return Attempt(spec, state, obj, build_form(spec, state, obj, data, files, prefixed=prefixed))
