"""Walks through the case and subject-track state machines.

Each step is a transition NAME of ``cases.models.Case`` / ``SubjectTrack``; the source and
target states are written out here so the generator can stay fast (no model instances), and
``tests/datagen`` replays every generated history against the django-fsm definitions
themselves, so a table here that drifted from the models would fail there.
"""

from __future__ import annotations

import random

from cases.models import CaseType, InvestigationMode, Severity, State, TrackState

S = State
T = TrackState

# Track plans: how one subject's part of the case ends. Most end with no action (as in the
# Home Office returns); a few go to a meeting or a hearing.
PLANS = [
    ("no_action", 61),
    ("nca", 15),
    ("rprp", 16),
    ("meeting", 6),
    ("hearing", 2),
]
PLAN_NAMES = [name for name, _ in PLANS]
PLAN_WEIGHTS = [weight for _, weight in PLANS]
OTBI_PLANS = ["no_action", "rprp"]
OTBI_WEIGHTS = [75, 25]
SEVERITY = {
    "no_action": Severity.NO_MISCONDUCT,
    "nca": Severity.MISCONDUCT,
    "rprp": Severity.PRI,
    "meeting": Severity.MISCONDUCT,
    "hearing": Severity.GROSS_MISCONDUCT,
}
NOTICE_PLANS = {"nca", "meeting", "hearing"}

# Track steps run when the case takes a transition: {case transition: {plan: [(name, from,
# to)]}}. A step runs only when the track is in its ``from`` state (a case reinvestigated
# after a review does not move tracks that already concluded).
_START = {
    plan: [("assess_severity", T.PENDING, T.SEVERITY_ASSESSED)]
    + ([("serve_notice", T.SEVERITY_ASSESSED, T.NOTICE_SERVED)] if plan in NOTICE_PLANS else [])
    for plan in PLAN_NAMES
}
TRACK_HOOKS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "start_investigation": _START,
    "handle_otbi": _START,
    "iopc_decided": _START,
    "submit_report": {
        plan: [("report_received", T.NOTICE_SERVED, T.AWAITING_DECISION)] for plan in NOTICE_PLANS
    },
    "decide_case_to_answer": {
        "nca": [
            ("no_case_to_answer", T.AWAITING_DECISION, T.NO_CASE_TO_ANSWER),
            ("no_further_action", T.NO_CASE_TO_ANSWER, T.NO_ACTION),
        ],
        "meeting": [("case_to_answer", T.AWAITING_DECISION, T.CASE_TO_ANSWER)],
        "hearing": [("case_to_answer", T.AWAITING_DECISION, T.CASE_TO_ANSWER)],
    },
    "start_proceedings": {
        "meeting": [("refer_to_meeting", T.CASE_TO_ANSWER, T.MEETING)],
        "hearing": [("refer_to_hearing", T.CASE_TO_ANSWER, T.HEARING)],
    },
    "propose_outcome": {
        "no_action": [("no_misconduct", T.SEVERITY_ASSESSED, T.NO_ACTION)],
        "rprp": [("refer_to_rprp", T.SEVERITY_ASSESSED, T.RPRP)],
        "meeting": [("conclude_proceedings", T.MEETING, T.OUTCOME)],
        "hearing": [("conclude_proceedings", T.HEARING, T.OUTCOME)],
    },
    "finalise": {"rprp": [("complete_rprp", T.RPRP, T.RPRP_COMPLETE)]},
}

# Typical days each case step takes (the walk stretches each by 0.4-1.8x).
DAYS = {
    "record": 4,
    "handle_outside_schedule_3": 3,
    "resolve_outside": 25,
    "record_after_outside": 20,
    "assess_referral": 2,
    "refer_to_iopc": 4,
    "no_referral": 5,
    "iopc_decided": 21,
    "start_investigation": 6,
    "handle_otbi": 5,
    "submit_report": 160,
    "decide_case_to_answer": 25,
    "start_proceedings": 20,
    "propose_outcome": 45,
    "refuse_outcome": 6,
    "approve_outcome": 7,
    "finalise": 3,
    "request_review": 20,
    "review_not_upheld": 60,
    "review_upheld": 60,
    "withdraw": 40,
    "discontinue": 90,
}


def plans_for(rng: random.Random, n: int, otbi_only: bool = False) -> list[str]:
    if otbi_only:
        return rng.choices(OTBI_PLANS, OTBI_WEIGHTS, k=n)
    return rng.choices(PLAN_NAMES, PLAN_WEIGHTS, k=n)


def walk(rng: random.Random, case_type: str, has_subjects: bool) -> list[tuple[str, str, str, str]]:
    """A legal, complete path for one case: [(name, from, to, mode)], ``mode`` the
    investigation mode argument of ``iopc_decided`` ("" otherwise). The caller cuts it where
    the case's clock reaches today, which leaves open cases in every state."""
    complaint = case_type == CaseType.COMPLAINT
    steps: list[tuple[str, str, str, str]] = []

    def step(name: str, source: str, target: str, mode: str = "") -> None:
        steps.append((name, source, target, mode))

    if complaint and rng.random() < 0.30:
        step("handle_outside_schedule_3", S.RECEIVED, S.OUTSIDE_SCH3)
        if rng.random() < 0.9:
            step("resolve_outside", S.OUTSIDE_SCH3, S.FINALISED)
            return steps
        step("record_after_outside", S.OUTSIDE_SCH3, S.RECORDED)
    else:
        step("record", S.RECEIVED, S.RECORDED)
    step("assess_referral", S.RECORDED, S.REFERRAL_ASSESSMENT)
    mode = ""
    independent = False
    if rng.random() < (0.06 if complaint else 0.5 if case_type == CaseType.DSI else 0.15):
        step("refer_to_iopc", S.REFERRAL_ASSESSMENT, S.AWAITING_IOPC)
        mode = rng.choices(
            [
                InvestigationMode.INDEPENDENT,
                InvestigationMode.DIRECTED,
                InvestigationMode.LOCAL,
                InvestigationMode.NONE,
            ],
            [25, 10, 45, 20],
        )[0]
        independent = mode == InvestigationMode.INDEPENDENT
        step(
            "iopc_decided",
            S.AWAITING_IOPC,
            S.INDEPENDENT_INVESTIGATION if independent else S.HANDLING_DECIDED,
            mode,
        )
    else:
        step("no_referral", S.REFERRAL_ASSESSMENT, S.HANDLING_DECIDED)
    otbi = False
    if not independent:
        if complaint and mode in ("", InvestigationMode.NONE) and rng.random() < 0.65:
            otbi = True
            step("handle_otbi", S.HANDLING_DECIDED, S.OTBI)
        else:
            step("start_investigation", S.HANDLING_DECIDED, S.INVESTIGATION)
    reviewed = False
    while True:
        if otbi:
            if complaint and rng.random() < 0.04:
                step("withdraw", S.OTBI, S.WITHDRAWN)
                return steps
            before = S.OTBI
        else:
            here = S.INDEPENDENT_INVESTIGATION if independent else S.INVESTIGATION
            roll = rng.random()
            if roll < 0.03:
                step("discontinue", here, S.DISCONTINUED)
                return steps
            if complaint and roll < 0.07:
                step("withdraw", here, S.WITHDRAWN)
                return steps
            step("submit_report", here, S.REPORT_SUBMITTED)
            step("decide_case_to_answer", S.REPORT_SUBMITTED, S.DECISIONS)
            before = S.DECISIONS
            if has_subjects and rng.random() < 0.5:
                # Only meaningful with a subject going to proceedings; the generator picks
                # plans to match (see ``needs_proceedings``).
                step("start_proceedings", S.DECISIONS, S.PROCEEDINGS)
                before = S.PROCEEDINGS
        step("propose_outcome", before, S.OUTCOME_PROPOSED)
        if rng.random() < 0.05:
            step("refuse_outcome", S.OUTCOME_PROPOSED, before)
            step("propose_outcome", before, S.OUTCOME_PROPOSED)
        step("approve_outcome", S.OUTCOME_PROPOSED, S.OUTCOME_APPROVED)
        step("finalise", S.OUTCOME_APPROVED, S.FINALISED)
        if not complaint or reviewed or rng.random() >= 0.06:
            return steps
        step("request_review", S.FINALISED, S.REVIEW_REQUESTED)
        reviewed = True
        if rng.random() < 0.85:
            step("review_not_upheld", S.REVIEW_REQUESTED, S.FINALISED)
            return steps
        step("review_upheld", S.REVIEW_REQUESTED, S.INVESTIGATION)
        # Reinvestigated: the tracks concluded the first time, so no new proceedings.
        otbi, independent, has_subjects = False, False, False


def needs_proceedings(steps) -> bool:
    return any(name == "start_proceedings" for name, *_ in steps)
