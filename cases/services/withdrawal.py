"""Who must be told when a complainant withdraws (C&M Regs 2020 reg 38), as tasks with deadlines.

Reg 38(3): the appropriate authority notifies the Director General (IOPC) that it recorded the
withdrawal when the complaint was referred under Sch 3 para 4(1) (or is treated as referred
under para 4A(1)) and was not referred back under para 5(2). A voluntary referral (para 4(2))
is not within reg 38(3).
Reg 38(4): it notifies the relevant review body when it knows the complaint is subject to a
review under Sch 3 para 6A or 25.
The regulation sets no period: each notification is a deadline of a kind whose period the
force sets (deadlines.DeadlineKind, default 5 working days).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from deadlines import services as deadlines
from psd.domain import DomainError
from psd.rules import clock, guard, plausible_dates, refuse_if, rule

from ..models import Case, InvestigationMode, ReviewRequest, State
from ._core import lock_case, log_transition, require, today
from .facts import facts_for, referral_required

# Reg 38(1): the notification is "signed by the complainant or the complainant's solicitor or
# other authorised agent on the complainant's behalf", and says that the complainant (a)
# withdraws the complaint or (b) does not wish any further steps to be taken.
SIGNATORIES = {
    "complainant": "the complainant",
    "solicitor": "the complainant's solicitor",
    "agent": "another agent authorised by the complainant",
}
WISHES = {
    "withdraw": "withdraws the complaint",
    "no_further_steps": "does not wish any further steps to be taken",
}


def withdrawal_sentence(signed_by: str, wish: str) -> str:
    """ "Notification signed by the complainant's solicitor: the complainant withdraws the
    complaint (C&M Regs 2020 reg 38(1)(a))." as the case's history keeps it."""
    paragraph = "(a)" if wish == "withdraw" else "(b)"
    return (
        f"Notification signed by {SIGNATORIES[signed_by]}: the complainant {WISHES[wish]} "
        f"(C&M Regs 2020 reg 38(1){paragraph})."
    )


def withdrawal_note(recorded: str) -> str:
    """The caseworker's own words from a withdrawal's recorded reason, without the statutory
    sentence case_withdraw put in front of them: what the letter to the complainant quotes."""
    for signed_by in SIGNATORIES:
        for wish in WISHES:
            sentence = withdrawal_sentence(signed_by, wish)
            if recorded.startswith(sentence):
                return recorded[len(sentence) :].strip()
    return recorded


NOTIFY_IOPC = "withdrawal_notify_iopc"
NOTIFY_REVIEW_BODY = "withdrawal_notify_review_body"
RECIPIENTS = {
    NOTIFY_IOPC: "the IOPC (C&M Regs 2020 reg 38(3))",
    NOTIFY_REVIEW_BODY: "the review body (C&M Regs 2020 reg 38(4))",
}


@rule(
    "On a withdrawal, the IOPC is notified when the complaint was referred because it had to "
    "be (Sch 3 para 4(1)) or the IOPC treated it as referred (para 4A(1)), unless the IOPC "
    "referred it back (para 5(2)).",
    "C&M Regs 2020 reg 38(3)",
    verified=True,
)
def withdrawal_notifies_iopc(case: Case) -> bool:
    referral = case.referrals.order_by("-referred_on", "-id").first()
    if referral is None or referral.mode == InvestigationMode.NONE:
        return False
    return referral_required(case)


@rule(
    "On a withdrawal, the review body is notified when the complaint is subject to a review.",
    "C&M Regs 2020 reg 38(4)",
    verified=True,
)
def withdrawal_review(case: Case) -> ReviewRequest | None:
    return case.reviews.filter(result="").order_by("-received_on", "-id").first()


def withdrawal_notifications(case: Case, *, actor: User, on: datetime.date) -> list[str]:
    """Open the notification tasks for a withdrawal just recorded (the caller's transaction,
    after the case's other clocks stopped). Returns the kinds opened."""
    opened = []
    review = withdrawal_review(case)
    for kind, due in ((NOTIFY_IOPC, withdrawal_notifies_iopc(case)), (NOTIFY_REVIEW_BODY, review)):
        if not due:
            continue
        who = RECIPIENTS[kind]
        if kind == NOTIFY_REVIEW_BODY:
            who = f"the {review.get_body_display()} (review body; C&M Regs 2020 reg 38(4))"
        deadlines.deadline_open(
            kind=kind,
            target=case,
            trigger_date=on,
            owner=case.investigator,
            escalate_to=case.supervisor,
            label=f"{case.reference}: tell {who} the complaint was withdrawn",
        )
        opened.append(kind)
    return opened


@guard(
    "Recording that the IOPC or the review body was told of a withdrawal is possible while "
    "that notification is outstanding.",
    "C&M Regs 2020 reg 38(3), (4)",
    verified=True,
)
def case_record_withdrawal_notice_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state != State.WITHDRAWN:
        return "Only a withdrawn complaint has withdrawal notifications to record."
    facts = facts_for(case, facts)
    if not any(facts.open_deadline(kind, case) for kind in RECIPIENTS):
        return "No notification of the withdrawal is outstanding."
    return None


@plausible_dates
@transaction.atomic
def case_record_withdrawal_notice(
    *,
    actor: User,
    case: Case,
    recipient: str,
    notified_on: datetime.date,
    expected_version: int | None = None,
) -> Case:
    """The IOPC or the review body was told of the withdrawal on ``notified_on``."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_record_withdrawal_notice_refusal(actor=actor, case=case))
    if recipient not in RECIPIENTS:
        raise DomainError("Choose who was told.", field="recipient")
    withdrawn_on = timezone.localdate(case.finalised_at) if case.finalised_at else case.received_on
    if notified_on > today() or notified_on < withdrawn_on:
        raise DomainError("The date must be between the withdrawal and today.", field="notified_on")
    met = deadlines.deadline_meet(kind=recipient, target=case, actor=actor, when=notified_on)
    if met is None:
        raise DomainError(f"Telling {RECIPIENTS[recipient]} is not outstanding.", field="recipient")
    log_transition(
        case,
        name="withdrawal_notified",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"Told {RECIPIENTS[recipient]} of the withdrawal on {notified_on:%d/%m/%Y}",
    )
    return case


clock(
    NOTIFY_IOPC,
    "Tell the IOPC that the withdrawal of a referred complaint was recorded. The regulation "
    "sets no period: the force's period applies (configured, default 5 working days).",
    "C&M Regs 2020 reg 38(3)",
    verified=True,
    where=withdrawal_notifications,
)
clock(
    NOTIFY_REVIEW_BODY,
    "Tell the review body that the withdrawal of a complaint under review was recorded. The "
    "regulation sets no period: the force's period applies (configured, default 5 working "
    "days).",
    "C&M Regs 2020 reg 38(4)",
    verified=True,
    where=withdrawal_notifications,
)
