"""Suspending an investigation and resuming it (C&M Regs 2020 regs 40-41; CR 2020 reg 10).

Each suspension is a period (cases.Suspension) the statistics leave out of timeliness. Clocks
the law stops during a suspension (DeadlineKind.pauses_during_suspension) move on by the days
suspended when the investigation resumes; the others keep running (the 12-month report, for
one, counts from the complaint whatever happened since: C&M Regs 2020 reg 13(3)).
"""

import datetime

from django.db import transaction

from accounts.models import User
from psd.domain import DomainError
from psd.rules import guard, plausible_dates, refuse_if

from .. import clocks
from ..models import Case, State, Suspension, SuspensionReason
from ._core import lock_case, log_transition, require, today
from .facts import facts_for

# An investigation or other procedure under way (C&M Regs 2020 reg 40 — text not read).
SUSPENDABLE_STATES = (
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
    State.INDEPENDENT_INVESTIGATION,
    State.OTBI,
    State.REPORT_SUBMITTED,
    State.DECISIONS,
    State.PROCEEDINGS,
)


@guard(
    "An investigation or other procedure under way may be suspended where continuing would "
    "prejudice criminal proceedings; one suspension at a time.",
    "C&M Regs 2020 reg 40; CR 2020 reg 10(3)",
)
def case_suspend_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state not in SUSPENDABLE_STATES:
        return "Only an investigation or other procedure under way can be suspended."
    if facts_for(case, facts).suspension is not None:
        return "The investigation is already suspended."
    return None


@guard(
    "A suspended investigation resumes (e.g. when the criminal proceedings have concluded).",
    "C&M Regs 2020 reg 41(1), (3)",
    verified=True,
)
def case_resume_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if facts_for(case, facts).suspension is None:
        return "The investigation is not suspended."
    return None


@plausible_dates
@transaction.atomic
def case_suspend(
    *,
    actor: User,
    case: Case,
    reason: str,
    note: str = "",
    started_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Suspension:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_suspend_refusal(actor=actor, case=case))
    if reason not in SuspensionReason.values:
        raise DomainError("Choose why the investigation is suspended.", field="reason")
    started_on = started_on or today()
    if started_on > today():
        raise DomainError("The suspension cannot start in the future.", field="started_on")
    last = case.suspensions.order_by("-ended_on").first()
    if last is not None and started_on <= last.ended_on:
        raise DomainError(
            f"The previous suspension ended on {last.ended_on:%d/%m/%Y}: a new one starts "
            "after it.",
            field="started_on",
        )
    suspension = Suspension.objects.create(
        case=case, started_on=started_on, reason=reason, note=note.strip(), created_by=actor
    )
    log_transition(
        case,
        name="suspend",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"Suspended from {started_on:%d/%m/%Y}: {SuspensionReason(reason).label}",
    )
    return suspension


@plausible_dates
@transaction.atomic
def case_resume(
    *,
    actor: User,
    case: Case,
    ended_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Suspension:
    """The suspension ends on ``ended_on`` (its last day); paused clocks move on."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_resume_refusal(actor=actor, case=case))
    suspension = case.suspensions.select_for_update().get(ended_on__isnull=True)
    ended_on = ended_on or today()
    if ended_on > today() or ended_on < suspension.started_on:
        raise DomainError("The suspension ends between its start and today.", field="ended_on")
    suspension.ended_on, suspension.ended_by = ended_on, actor
    suspension.save(update_fields=["ended_on", "ended_by"])
    moved = clocks.case_resumed(
        case, started_on=suspension.started_on, ended_on=ended_on, actor=actor
    )
    log_transition(
        case,
        name="resume",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"Resumed after the suspension ending {ended_on:%d/%m/%Y} "
        f"({moved} paused clock(s) moved on)",
    )
    return suspension
