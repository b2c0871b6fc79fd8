"""The case and subject-track histories the generator writes, derived from the state machines.

Nothing here restates a source or a target state. The walks are built once per process by
driving the real django-fsm transition methods of ``Case`` and ``SubjectTrack`` on unsaved,
in-memory instances: at each state the generator may take only what the model itself offers
(``get_available_state_transitions``: the source states and the conditions), the method's own
code gives the target (``RETURN_VALUE`` included) and the fields it sets. ``POLICY`` only says
how often each offered transition is taken in practice, and ``TRACK_PLANS`` which track
transitions a subject's part of the case goes through. A name that does not leave that state
in the model's own table is an error when the tables are built (a condition that fails for the
case only drops the option), so a rule change in the models flows into the generated data, or
stops the generator, instead of drifting.

Every complete walk is enumerated with its probability, so the generator draws one walk per
case with a single random number (``Lifecycle.walk``, about 1.3 microseconds). Driving the
methods for every case instead measured about 90 microseconds a case (a ``Case()`` and 14
microseconds a transition): a minute more at national scale, about doubling the generator's
own CPU time.
"""

from __future__ import annotations

import inspect
import random
from dataclasses import dataclass
from functools import cache

from django_fsm import FSMField

from cases.models import Case, CaseType, Forum, InvestigationMode, Severity, State, SubjectTrack

S = State


class Marker:
    """A value the generator fills in per step (the method was given the marker itself)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


DAY = Marker("day")  # the step's date
AT = Marker("at")  # the step's timestamp
RESULT = Marker("complaint result")  # from the approved outcomes
PROCEEDINGS = Marker("proceedings date")  # replaced by a Due marker for the forum


@dataclass(frozen=True)
class Due:
    """The due date the deadline kind's rule gives, counted from the step's day."""

    kind: str


# The generated proceedings are fixed for the day the officer's response to the reg 30 notice
# falls due (CR 2020 reg 31(1): 15 working days), the earliest day the written case is
# complete; the regulations read set no other period for meetings and hearings (cases.clocks).
NOTICE_KINDS = {Forum.MEETING: "reg31_response", Forum.HEARING: "reg31_response"}


@dataclass(frozen=True)
class Step:
    name: str
    source: str
    target: str
    effects: tuple[tuple[str, object], ...]  # (attname, value or marker) the method set


END = ""  # stop here: the state stays as it is (a finalised case nobody asks to review)

# {state: [(transition, keyword arguments, weight)]}; a weight is a number or {case type:
# number} with "*" for the other types. Transitions the model does not offer for the case
# (e.g. ``withdraw`` for a conduct matter, ``handle_otbi`` after an IOPC-directed mode) drop out
# and the remaining weights are scaled up.
_INVESTIGATING = [("discontinue", {}, 3), ("withdraw", {}, 4), ("submit_report", {}, 93)]
POLICY: dict[str, list[tuple[str, dict, object]]] = {
    S.RECEIVED: [("handle_outside_schedule_3", {}, 30), ("record", {}, 70)],
    S.OUTSIDE_SCH3: [("resolve_outside", {}, 90), ("record_after_outside", {}, 10)],
    S.RECORDED: [("assess_referral", {}, 1)],
    S.REFERRAL_ASSESSMENT: [
        ("refer_to_iopc", {}, {CaseType.COMPLAINT: 6, CaseType.DSI: 50, "*": 15}),
        ("no_referral", {}, {CaseType.COMPLAINT: 94, CaseType.DSI: 50, "*": 85}),
    ],
    S.AWAITING_IOPC: [
        ("iopc_decided", {"mode": InvestigationMode.INDEPENDENT}, 25),
        ("iopc_decided", {"mode": InvestigationMode.DIRECTED}, 10),
        ("iopc_decided", {"mode": InvestigationMode.LOCAL}, 45),
        ("iopc_decided", {"mode": InvestigationMode.NONE}, 20),
    ],
    S.HANDLING_DECIDED: [("handle_otbi", {}, 65), ("start_investigation", {}, 35)],
    S.INVESTIGATION: _INVESTIGATING,
    S.INDEPENDENT_INVESTIGATION: _INVESTIGATING,
    S.OTBI: [("withdraw", {}, 4), ("propose_outcome", {}, 96)],
    S.REPORT_SUBMITTED: [("decide_case_to_answer", {}, 1)],
    S.DECISIONS: [("start_proceedings", {}, 50), ("propose_outcome", {}, 50)],
    S.PROCEEDINGS: [("propose_outcome", {}, 1)],
    S.OUTCOME_PROPOSED: [("refuse_outcome", {}, 5), ("approve_outcome", {}, 95)],
    S.OUTCOME_APPROVED: [("finalise", {}, 1)],
    S.FINALISED: [("request_review", {}, 6), (END, {}, 94)],
    S.REVIEW_REQUESTED: [("review_not_upheld", {}, 85), ("review_upheld", {}, 15)],
}
ONCE = {"request_review", "refuse_outcome"}  # at most once in a case's history


def _review_allowed(case: Case) -> bool:
    # C&M Regs 2020 reg 29: the review is the complainant's, once the outcome was sent (the
    # guard of cases.services.aftercare.case_request_review; the method itself has none).
    return case.is_complaint and case.outcome_sent_on is not None


# Rules the services check before calling a method that has no condition of its own.
SERVICE_GUARDS = {"request_review": _review_allowed}
# Only with a subject whose track goes to proceedings; a case reinvestigated after a review
# does not start them again (its tracks concluded the first time).
NEEDS_SUBJECTS = {"start_proceedings"}
SUBJECTS_DONE = "review_upheld"

# Values given to the methods by parameter name; complaints alone get a result and the date
# the outcome was sent (the finalisation decision's payload, cases.services.decisions).
ARGUMENTS = {"on": DAY, "at": AT, "notice_on": DAY, "date": PROCEEDINGS}
COMPLAINT_ARGUMENTS = {"result": RESULT, "outcome_sent_on": DAY}

# How one subject's part of the case ends: (weight, severity, [(case transitions, track
# transition)]). Each track transition runs when the case takes one of its case transitions and
# the track is where the previous one left it. Most end with no action (as in the Home Office
# returns); a few go to a meeting or a hearing.
START = ("start_investigation", "handle_otbi", "iopc_decided")
_ASSESS = (START, "assess_severity")
_NOTICE = [_ASSESS, (START, "serve_notice"), (("submit_report",), "report_received")]
_PROCEED = (("decide_case_to_answer",), "case_to_answer")
_CONCLUDE = (("propose_outcome",), "conclude_proceedings")
TRACK_PLANS: dict[str, tuple[int, str, list[tuple[tuple[str, ...], str]]]] = {
    "no_action": (61, Severity.NO_MISCONDUCT, [_ASSESS, (("propose_outcome",), "no_misconduct")]),
    "nca": (
        15,
        Severity.MISCONDUCT,
        _NOTICE
        + [
            (("decide_case_to_answer",), "no_case_to_answer"),
            (("decide_case_to_answer",), "no_further_action"),
        ],
    ),
    "rprp": (
        16,
        Severity.PRI,
        [_ASSESS, (("propose_outcome",), "refer_to_rprp"), (("finalise",), "complete_rprp")],
    ),
    "meeting": (
        6,
        Severity.MISCONDUCT,
        _NOTICE + [_PROCEED, (("start_proceedings",), "refer_to_meeting"), _CONCLUDE],
    ),
    "hearing": (
        2,
        Severity.GROSS_MISCONDUCT,
        _NOTICE + [_PROCEED, (("start_proceedings",), "refer_to_hearing"), _CONCLUDE],
    ),
}
PROCEEDINGS_PLANS = ("meeting", "hearing")
OTBI_PLANS = (["no_action", "rprp"], [75, 25])  # handled otherwise than by investigation


def _weight(spec, case_type: str) -> float:
    if isinstance(spec, dict):
        return spec.get(case_type, spec["*"])
    return spec


@cache
def _watched(model) -> tuple[str, ...]:
    fields = model._meta.concrete_fields
    return tuple(f.attname for f in fields if not f.primary_key and not isinstance(f, FSMField))


@cache
def _parameters(model, name: str) -> tuple[str, ...]:
    return tuple(inspect.signature(getattr(model, name)).parameters)[1:]


def _call(obj, name: str, given: dict, extra: dict) -> tuple[tuple[str, object], ...]:
    """Run the transition method ``name`` on ``obj``; return the fields it changed."""
    method = getattr(obj, name)
    params = _parameters(type(obj), name)
    values = {**ARGUMENTS, **extra, **given}
    watched = _watched(type(obj))
    before = {f: getattr(obj, f) for f in watched}
    method(**{p: values[p] for p in params if p in values})
    return tuple((f, getattr(obj, f)) for f in watched if getattr(obj, f) != before[f])


# --- the case walks ---------------------------------------------------------------------------
@dataclass
class _Node:
    calls: tuple[tuple[str, dict], ...] = ()
    steps: tuple[Step, ...] = ()
    probability: float = 1.0
    subjects: bool = True


class _CaseWalks:
    """Every complete walk of one case type (with or without subjects) and its probability."""

    def __init__(self, case_type: str, has_subjects: bool):
        self.case_type = case_type
        self.extra = COMPLAINT_ARGUMENTS if case_type == CaseType.COMPLAINT else {}
        self.found: list[tuple[float, tuple[Step, ...]]] = []
        self._expand(_Node(subjects=has_subjects))

    def _replay(self, calls) -> Case:
        case = Case(case_type=self.case_type)
        for name, given in calls:
            _call(case, name, given, self.extra)
        return case

    def _options(self, case: Case, node: _Node) -> list[tuple[str, dict, float]]:
        offered = {t.name for t in case.get_available_state_transitions()}
        taken = {step.name for step in node.steps}
        options = []
        for name, given, spec in POLICY.get(case.state, []):
            if name != END and name not in offered:
                continue
            if name in ONCE & taken or (name in NEEDS_SUBJECTS and not node.subjects):
                continue
            if name in SERVICE_GUARDS and not SERVICE_GUARDS[name](case):
                continue
            weight = _weight(spec, self.case_type)
            if weight:
                options.append((name, given, weight))
        return options

    def _expand(self, node: _Node) -> None:
        case = self._replay(node.calls)
        options = self._options(case, node)
        if not options and POLICY.get(case.state):
            raise RuntimeError(f"{self.case_type}: no way on from {case.state} ({node.steps})")
        total = sum(weight for *_, weight in options)
        for name, given, weight in options:
            probability = node.probability * weight / total
            if name == END:
                self._finish(case, node.steps, probability)
                continue
            live = self._replay(node.calls)
            effects = _call(live, name, given, self.extra)
            step = Step(name, case.state, live.state, effects)
            subjects = node.subjects and name != SUBJECTS_DONE
            self._expand(
                _Node(node.calls + ((name, given),), node.steps + (step,), probability, subjects)
            )
        if not options:
            self._finish(case, node.steps, node.probability)

    def _finish(self, case: Case, steps: tuple[Step, ...], probability: float) -> None:
        if case.state not in State.closed():
            raise RuntimeError(f"{self.case_type}: a walk ends open in {case.state}")
        self.found.append((probability, steps))


# --- the subject tracks -----------------------------------------------------------------------
def _track_hooks() -> dict[str, dict[str, list[Step]]]:
    """{case transition: {plan: [track steps]}}, each plan driven through SubjectTrack."""
    hooks: dict[str, dict[str, list[Step]]] = {}
    for plan, (_, severity, sequence) in TRACK_PLANS.items():
        track = SubjectTrack()
        for case_names, name in sequence:
            offered = {t.name for t in track.get_available_state_transitions()}
            if name not in offered:
                raise RuntimeError(f"track plan {plan}: {name} is not allowed from {track.state}")
            source = track.state
            effects = _call(track, name, {"severity": severity}, {})
            effects = tuple(
                (f, Due(NOTICE_KINDS[track.forum]) if value is PROCEEDINGS else value)
                for f, value in effects
            )
            for case_name in case_names:
                hooks.setdefault(case_name, {}).setdefault(plan, []).append(
                    Step(name, source, track.state, effects)
                )
    return hooks


# --- what the generator uses ------------------------------------------------------------------
def check_policy() -> None:
    """Every transition POLICY names must leave the state it is listed under in ``Case``'s own
    table (conditions aside): a renamed transition or a moved source stops the generator."""
    table = Case._meta.get_field("state").get_all_transitions(Case)
    leaving = {(t.source, t.name) for t in table}
    for state, options in POLICY.items():
        for name, _, _ in options:
            if name != END and (state, name) not in leaving:
                raise RuntimeError(f"POLICY: Case has no transition {name} from {state}")


class Lifecycle:
    def __init__(self):
        check_policy()
        self.walks: dict[tuple[str, bool], tuple[list[tuple[Step, ...]], list[float]]] = {}
        for case_type in CaseType.values:
            for has_subjects in (True, False):
                found = _CaseWalks(case_type, has_subjects).found
                cumulative, total = [], 0.0
                for probability, _steps in found:
                    total += probability
                    cumulative.append(total)
                self.walks[case_type, has_subjects] = ([s for _, s in found], cumulative)
        self.hooks = _track_hooks()
        # The fields the methods set, with the model's defaults before they are set.
        case_fields = {
            f for walks, _ in self.walks.values() for w in walks for s in w for f, _ in s.effects
        }
        track_fields = {
            f
            for by_plan in self.hooks.values()
            for steps in by_plan.values()
            for s in steps
            for f, _ in s.effects
        }
        self.case_defaults = _defaults(Case(), case_fields)
        self.track_defaults = _defaults(SubjectTrack(), track_fields)
        self.plans = list(TRACK_PLANS)
        self.plan_weights = [weight for weight, _, _ in TRACK_PLANS.values()]
        self.severity = {plan: severity for plan, (_, severity, _) in TRACK_PLANS.items()}

    def walk(self, rng: random.Random, case_type: str, has_subjects: bool) -> tuple[Step, ...]:
        """A legal, complete history for one case; the caller cuts it where the case's clock
        reaches today, which leaves open cases in every state."""
        walks, cumulative = self.walks[case_type, has_subjects]
        return rng.choices(walks, cum_weights=cumulative)[0]

    def plans_for(self, rng: random.Random, steps: tuple[Step, ...], n: int) -> list[str]:
        """How each of ``n`` subjects' part ends, consistent with the case's walk: a case that
        starts proceedings has a subject going to them, and one that does not has none."""
        names = {step.name for step in steps}
        if "handle_otbi" in names and "start_proceedings" not in names:
            return rng.choices(*OTBI_PLANS, k=n)
        plans = rng.choices(self.plans, self.plan_weights, k=n)
        if "start_proceedings" in names:
            if not any(p in PROCEEDINGS_PLANS for p in plans):
                plans[0] = rng.choice(["meeting", "meeting", "hearing"])
            return plans
        return [p if p not in PROCEEDINGS_PLANS else "nca" for p in plans]


def _defaults(blank, fields: set[str]) -> dict[str, object]:
    return {name: getattr(blank, name) for name in sorted(fields)}


@cache
def lifecycle() -> Lifecycle:
    """Built once per process (a few hundred milliseconds)."""
    return Lifecycle()
