"""The statutory clocks of a case, opened and closed by the case services (never by views).

Each function runs inside the caller's transaction. Kinds and their rules live in the
deadlines app's DeadlineKind table; this module only says *when* each clock starts and stops.
"""

import datetime

from deadlines import services as deadlines
from deadlines.calendar import add_working_days
from psd.rules import clock

from .models import Case, CaseType, SubjectTrack


def _owners(case: Case) -> dict:
    return {"owner": case.investigator, "escalate_to": case.supervisor}


def case_recorded(case: Case) -> None:
    """12-month rule: complaints not concluded 12 months after they were made are reported to
    the LPB and IOPC (C&M Regs 2020 reg 13); conduct matters 12 months after the AA became
    aware are reported to the LPB (CR 2020 reg 19)."""
    deadlines.deadline_open(
        kind="twelve_month_report",
        target=case,
        trigger_date=case.received_on,
        label=f"{case.reference}: 12-month report",
        **_owners(case),
    )
    if case.case_type == CaseType.DSI:
        # DSI matters are always referred (PRA 2002 Sch 3 para 14C): chase the referral.
        deadlines.deadline_open(
            kind="iopc_decision_followup",
            target=case,
            trigger_date=case.recorded_on,
            label=f"{case.reference}: refer DSI matter to the IOPC",
            **_owners(case),
        )


def twelve_month_report_made(case: Case, *, actor, on: datetime.date) -> None:
    """The report is made; the next is due every 6 months after (reg 13(3) / reg 19(3))."""
    deadlines.deadline_meet(kind="twelve_month_report", target=case, actor=actor)
    deadlines.deadline_meet(kind="six_month_repeat", target=case, actor=actor)
    deadlines.deadline_open(
        kind="six_month_repeat",
        target=case,
        trigger_date=on,
        label=f"{case.reference}: 6-monthly report",
        **_owners(case),
    )


def case_reassigned(case: Case) -> int:
    """Every open clock of the case, its subjects and their reflective practice follows the
    case to its new investigator (and supervisor). Returns how many deadlines moved."""
    targets = [case]
    for track in case.tracks.select_related("rprp"):
        targets.append(track)
        if hasattr(track, "rprp"):
            targets.append(track.rprp)
    return sum(
        deadlines.deadline_reassign(
            target=target, owner=case.investigator, escalate_to=case.supervisor
        )
        for target in targets
    )


def iopc_referred(case: Case, referred_on: datetime.date) -> None:
    deadlines.deadline_meet(kind="iopc_decision_followup", target=case)
    deadlines.deadline_open(
        kind="iopc_decision_followup",
        target=case,
        trigger_date=referred_on,
        label=f"{case.reference}: IOPC decision on referral",
        **_owners(case),
    )


def iopc_decided(case: Case, *, actor) -> None:
    deadlines.deadline_meet(kind="iopc_decision_followup", target=case, actor=actor)


def notice_served(track: SubjectTrack) -> None:
    # CR 2020 reg 18: 10 working days for the subject's statement and representations.
    case = track.case
    deadlines.deadline_open(
        kind="reg17_representations",
        target=track,
        trigger_date=track.notice_served_on,
        label=f"{case.reference}: representations from {track.person.rank_and_name}",
        **_owners(case),
    )


def representations_received(track: SubjectTrack, *, actor) -> None:
    deadlines.deadline_meet(kind="reg17_representations", target=track, actor=actor)


def proceedings_scheduled(track: SubjectTrack) -> None:
    case = track.case
    kind = "meeting_notice" if track.forum == "meeting" else "hearing_notice"
    deadlines.deadline_open(
        kind=kind,
        target=track,
        trigger_date=track.proceedings_notice_on,
        due_date=track.proceedings_date,
        label=f"{case.reference}: {track.get_forum_display().lower()} for "
        f"{track.person.rank_and_name}",
        **_owners(case),
    )


def proceedings_concluded(track: SubjectTrack, *, actor) -> None:
    for kind in ("meeting_notice", "hearing_notice", "reg17_representations"):
        deadlines.deadline_meet(kind=kind, target=track, actor=actor)


def rprp_started(rprp) -> None:
    # CR 2020 Part 6: the subject's account within 5 working days of the notice.
    case = rprp.track.case
    deadlines.deadline_open(
        kind="rprp_account",
        target=rprp,
        trigger_date=rprp.notice_on,
        due_date=rprp.account_due,
        label=f"{case.reference}: RPRP account from {rprp.track.person.rank_and_name}",
        **_owners(case),
    )


def rprp_advanced(rprp, *, actor) -> None:
    case = rprp.track.case
    if rprp.account_received_on:
        deadlines.deadline_meet(kind="rprp_account", target=rprp, actor=actor)
    if rprp.report_sent_on and not rprp.reviewed_on:
        # CR 2020 reg 70: the development report is reviewed within 12 months.
        deadlines.deadline_open(
            kind="rprp_report_review",
            target=rprp,
            trigger_date=rprp.report_sent_on,
            due_date=rprp.review_due,
            label=f"{case.reference}: RPRP review for {rprp.track.person.rank_and_name}",
            **_owners(case),
        )
    if rprp.reviewed_on:
        deadlines.deadline_meet(kind="rprp_report_review", target=rprp, actor=actor)


def list_report_due(event_date: datetime.date) -> datetime.date:
    """Barred List Regs 2017 regs 3 and 12: before the end of 5 working days *beginning with*
    the date of dismissal (or of leaving)."""
    return add_working_days(event_date, 5, beginning_with=True)


def list_entry_created(entry, *, kind: str, owner=None, escalate_to=None) -> None:
    deadlines.deadline_open(
        kind=kind,
        target=entry,
        trigger_date=entry.event_date,
        due_date=entry.report_due,
        label=f"Report {entry.full_name} to the College of Policing",
        owner=owner,
        escalate_to=escalate_to,
    )


def list_entry_reported(entry, *, kind: str, actor) -> None:
    deadlines.deadline_meet(kind=kind, target=entry, actor=actor)


def list_entry_removed(entry, *, kind: str, actor) -> None:
    deadlines.deadline_cancel(kind=kind, target=entry, actor=actor, reason="Entry removed")


def list_further_report_due(entry, *, kind: str, owner=None, escalate_to=None):
    """Police Act 1996 s88F (barred list) / s88L (advisory list): the further report after
    which the College removes the person; its period is the kind's rule (data)."""
    return deadlines.deadline_open(
        kind=kind,
        target=entry,
        trigger_date=entry.further_event_on,
        label=f"Further report on {entry.full_name} to the College of Policing",
        owner=owner,
        escalate_to=escalate_to,
    )


def list_further_report_made(entry, *, kind: str, actor) -> None:
    deadlines.deadline_meet(kind=kind, target=entry, actor=actor)


def case_finalised(case: Case, *, actor) -> None:
    deadlines.deadline_cancel(
        kind="twelve_month_report", target=case, actor=actor, reason="Case finalised"
    )
    deadlines.deadline_cancel(
        kind="six_month_repeat", target=case, actor=actor, reason="Case finalised"
    )
    if case.case_type == CaseType.COMPLAINT and case.outcome_sent_on:
        # C&M Regs 2020 reg 29(2): 28 days beginning with the day after the outcome was sent.
        deadlines.deadline_open(
            kind="review_window",
            target=case,
            trigger_date=case.outcome_sent_on,
            label=f"{case.reference}: review window",
            **_owners(case),
        )


def review_requested(case: Case, *, actor) -> None:
    deadlines.deadline_meet(kind="review_window", target=case, actor=actor)


def case_closed(case: Case, *, actor, reason: str) -> None:
    deadlines.deadlines_cancel_all(target=case, actor=actor, reason=reason)
    for track in case.tracks.all():
        deadlines.deadlines_cancel_all(target=track, actor=actor, reason=reason)


# --- The rule of each clock (the register: ``manage.py rules``) ------------------------------
# Periods and reminders are data in the deadlines app's DeadlineKind table; this says which
# rule each clock applies and where it starts.
clock(
    "twelve_month_report",
    "A complaint or conduct matter not concluded 12 months after it was made or came to the "
    "appropriate authority's attention is reported, with reasons, to the local policing body "
    "(and for complaints the IOPC).",
    "C&M Regs 2020 reg 13; CR 2020 reg 19",
    verified=True,
    where=case_recorded,
)
clock(
    "six_month_repeat",
    "After the 12-month report, a further report for each subsequent period of 6 months "
    "until the investigation concludes.",
    "C&M Regs 2020 reg 13; CR 2020 reg 19",
    verified=True,
    where=twelve_month_report_made,
)
clock(
    "iopc_decision_followup",
    "Chase the IOPC when it has not decided the mode of investigation 10 working days after "
    "a referral (and chase the referral of a DSI matter).",
    where=iopc_referred,
)
clock(
    "reg17_representations",
    "The subject may give a written statement and representations within 10 working days "
    "after the regulation 17 notice.",
    "CR 2020 reg 18",
    where=notice_served,
)
clock(
    "meeting_notice",
    "Notice of a misconduct meeting is given at least the configured number of working days "
    "before it.",
    "CR 2020 reg 30",
    where=proceedings_scheduled,
)
clock(
    "hearing_notice",
    "Notice of a misconduct hearing is given at least the configured number of working days "
    "before it; an accelerated hearing is held 10 to 15 working days after notice.",
    "CR 2020 reg 30; reg 52(1)",
    where=proceedings_scheduled,
)
clock(
    "rprp_account",
    "The subject referred to reflective practice gives their account within 5 working days.",
    "CR 2020 reg 67 (Part 6)",
    where=rprp_started,
)
clock(
    "rprp_report_review",
    "The reflective practice development report is reviewed at the subject's development "
    "review within 12 months.",
    "CR 2020 reg 70 (Part 6)",
    where=rprp_advanced,
)
clock(
    "barred_list_report",
    "An officer or special constable dismissed at conduct or performance proceedings, a "
    "civilian police employee dismissed for a reason relating to conduct, efficiency or "
    "effectiveness, or a former officer or employee found in disciplinary proceedings to have "
    "been someone who would have been dismissed, is reported to the College of Policing before "
    "the end of 5 working days beginning with the date of the dismissal or finding.",
    "Police Act 1996 s88A(1)(a)-(d); Police Barred List and Police Advisory List Regulations "
    "2017 reg 3(1)",
    verified=True,
    where=list_entry_created,
)
clock(
    "advisory_list_report",
    "A person who resigns or retires after an allegation came to the authority's attention "
    "and before proceedings are brought or concluded (unless it had been determined that none "
    "would be brought), or a former officer about whom an allegation comes to attention after "
    "they resigned or retired, is reported to the advisory list before the end of 5 working "
    "days beginning with the date of the relevant event.",
    "Police Act 1996 s88I(1)(a)-(b), (2); Police Barred List and Police Advisory List "
    "Regulations 2017 reg 12(1)(a)",
    verified=True,
    where=list_entry_created,
)
clock(
    "barred_list_further_report",
    "When a reported dismissal or finding is overturned, the relevant authority makes a "
    "further report to the College, which then removes the person from the barred list; the "
    "period (5 working days beginning with the decision) is configurable until read.",
    "Police Act 1996 s88F; Police Barred List and Police Advisory List Regulations 2017 reg 5",
    where=list_further_report_due,
)
clock(
    "advisory_list_removal_report",
    "Once it is determined that no disciplinary proceedings will be brought, they are "
    "withdrawn, or they conclude without a 'would have been dismissed' finding, the relevant "
    "authority makes a further report and the College removes the person from the advisory "
    "list; the period (5 working days beginning with the event) is configurable until read.",
    "Police Act 1996 s88L(1)-(3); Police Barred List and Police Advisory List Regulations "
    "2017 (the period)",
    where=list_further_report_due,
)
clock(
    "review_window",
    "The complainant may apply for a review within 28 days beginning with the day after the "
    "outcome (and the right of review) was given.",
    "C&M Regs 2020 reg 29(2)",
    verified=True,
    where=case_finalised,
)
