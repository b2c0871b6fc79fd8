"""How often each kind of thing happens in the synthetic data: (value..., weight) tables."""

from __future__ import annotations

import bisect
import itertools
import random

from accounts.models import PersonStatus, RoleType
from cases.models import Action, CaseType, ComplaintResult, Finding, Source


class Weighted:
    """A table whose last column is the weight; ``draw`` picks a row (one random number, or
    none for a table of one row)."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows
        self.cumulative = list(itertools.accumulate(row[-1] for row in rows))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> tuple:
        if len(self.rows) == 1:
            return self.rows[0]
        return self.rows[bisect.bisect(self.cumulative, rng.random() * self.total)]


ALLEGATIONS_PER_CASE = ([1, 2, 3, 4, 5], [46, 26, 15, 8, 5])
CASE_TYPES = Weighted(
    [
        (CaseType.COMPLAINT, 80),
        (CaseType.CONDUCT_MATTER, 13),
        (CaseType.RECORDABLE_CONDUCT_MATTER, 5),
        (CaseType.DSI, 2),
    ]
)
SOURCES = {
    CaseType.COMPLAINT: [Source.PUBLIC],
    CaseType.CONDUCT_MATTER: [Source.INTERNAL, Source.ANONYMOUS_REPORT, Source.DATA_AUDIT],
    CaseType.RECORDABLE_CONDUCT_MATTER: [Source.INTERNAL, Source.OTHER],
    CaseType.DSI: [Source.INTERNAL, Source.IOPC],
}
PERSON_ROLES = Weighted(
    [
        (RoleType.OFFICER, 58),
        (RoleType.STAFF, 34),
        (RoleType.PCSO, 5),
        (RoleType.SPECIAL, 3),
    ]
)
PERSON_STATUS = Weighted(
    [
        (PersonStatus.SERVING, 86),
        (PersonStatus.RESIGNED, 6),
        (PersonStatus.RETIRED, 6),
        (PersonStatus.SUSPENDED, 1),
        (PersonStatus.DISMISSED, 1),
    ]
)
# Findings and actions by how the subject's part ended ("service": about the force only).
OUTCOMES = {
    plan: Weighted(rows)
    for plan, rows in {
        "meeting": [
            (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, 45),
            (Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, 15),
            (Finding.MISCONDUCT_PROVEN, Action.NONE, 10),
            (Finding.NOT_PROVEN, Action.NONE, 30),
        ],
        "hearing": [
            (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, 35),
            (Finding.GROSS_MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, 15),
            (Finding.GROSS_MISCONDUCT_PROVEN, Action.REDUCTION_IN_RANK, 5),
            (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, 10),
            (Finding.NOT_PROVEN, Action.NONE, 35),
        ],
        "service": [
            (Finding.SERVICE_ACCEPTABLE, Action.NONE, 55),
            (Finding.SERVICE_NOT_ACCEPTABLE, Action.LEARNING, 20),
            (Finding.NFA, Action.NONE, 25),
        ],
        "rprp": [(Finding.PRI, Action.RPRP, 1)],
        "nca": [(Finding.NO_CASE_TO_ANSWER, Action.NONE, 1)],
        "no_action": [(Finding.NO_MISCONDUCT, Action.NONE, 1)],
    }.items()
}
UPHELD = {
    Finding.SERVICE_NOT_ACCEPTABLE,
    Finding.MISCONDUCT_PROVEN,
    Finding.GROSS_MISCONDUCT_PROVEN,
    Finding.PRI,
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


def complaint_result(findings: set[str]) -> str:
    if findings & UPHELD:
        return ComplaintResult.SERVICE_NOT_ACCEPTABLE
    if Finding.NFA in findings:
        return ComplaintResult.LOOKED_INTO_NFA
    return ComplaintResult.SERVICE_ACCEPTABLE
