"""Which of the actions offered now is the step the case is waiting for, and which are merely
possible (corrections, additions, events that may or may not happen).

This never decides *whether* an action is offered: the action's guard does that
(``cases.actions_available``, psd/rules.py). It only sorts the offered actions into the case
page's "Next step" panel and its "Other actions" menu.
"""

import datetime

from .actions_available import ActionSpec, PageState
from .models import TrackState

# Offered whenever they are allowed, but never the step the case waits for.
ALWAYS_SECONDARY = frozenset(
    {
        "add_allegation",
        "correct_received_on",
        "correct_notice",
        "withdraw",
        "discontinue",
        "note",
        "document",
        "request_review",  # only when the complainant applies
        "recording_wish",  # only when the complainant asks (PRA 2002 Sch 3 para 2(6A)(a))
        "appeal",  # only when the officer appeals
        "lodge_appeal",
        "suspend",  # only when criminal proceedings or another reason call for it
        "extend_deadline",  # possible, never expected
    }
)
PROGRESS_REPORTS = ("twelve_month_report", "six_month_repeat")


def is_next_step(spec: ActionSpec, target, state: PageState, today: datetime.date) -> bool:
    """True when ``spec`` on ``target`` (already offered) is what the case expects next."""
    name = spec.name
    if name in ALWAYS_SECONDARY:
        return False
    if name == "assess_referral":  # a second assessment is possible, not expected
        return not state.has_assessment
    if name == "refer_to_iopc":  # a voluntary referral is possible; a required one expected
        return state.referral_required
    if name == "assess_severity":  # a re-assessment likewise
        return target.state == TrackState.PENDING
    if name == "assign":  # allocating an unassigned case is the supervisor's next step
        return state.case.investigator_id is None
    if name == "twelve_month_report":
        return progress_report_due(state, today)
    return True


def progress_report_due(state: PageState, today: datetime.date) -> bool:
    """The 12-month (or 6-monthly) report is the next step from its first reminder on."""
    for deadline in state.deadlines:
        if deadline.status != "open" or deadline.kind.code not in PROGRESS_REPORTS:
            continue
        lead = max(deadline.kind.thresholds, default=0)
        if deadline.due_date - datetime.timedelta(days=lead) <= today:
            return True
    return False
