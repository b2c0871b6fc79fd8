"""The statutory clocks of a case, opened and closed by the case services (never by views).

Each function runs inside the caller's transaction. Kinds and their rules live in the
deadlines app's DeadlineKind table; this module only says *when* each clock starts and stops.
"""

import datetime

from deadlines import services as deadlines
from deadlines.calendar import add_working_days

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
