"""The statutory clocks of a case, opened and closed by the case services (never by views).

Each function runs inside the caller's transaction. Kinds and their rules live in the
deadlines app's DeadlineKind table; this module only says *when* each clock starts and stops.
``case_transitioned`` and ``track_transitioned`` are called by every transition of a case or a
subject's track (cases.services._core), so a clock a later step overtakes is closed there, in
one place, whichever service took the step.
"""

import datetime

from deadlines import services as deadlines
from deadlines.calendar import WorkingCalendar, add_working_days
from deadlines.models import Deadline, Status
from psd.rules import clock, rule

from .models import Case, CaseType, Forum, InvestigationMode, SubjectTrack

ONE_DAY = datetime.timedelta(days=1)
PERIOD_KINDS = ("twelve_month_report", "six_month_repeat")
# CR 2020 reg 52(1): an accelerated hearing is not less than 10 and not more than 15 working
# days after the reg 51(1) notice (reg 48: the parties may agree to shorten it).
ACCELERATED_HEARING_WINDOW = (10, 15)


def _owners(case: Case) -> dict:
    return {"owner": case.investigator, "escalate_to": case.supervisor}


# --- Referral to the IOPC -----------------------------------------------------------------
def case_recorded(case: Case) -> None:
    """The 12-month period runs from the day the complaint was made or the matter came to the
    appropriate authority's attention (C&M Regs 2020 reg 13(3)(a); CR 2020 reg 19(2)(a)); a
    DSI matter must always be referred (PRA 2002 Sch 3 para 14C)."""
    deadlines.deadline_open(
        kind="twelve_month_report",
        target=case,
        trigger_date=case.received_on,
        label=f"{case.reference}: 12-month report",
        **_owners(case),
    )
    if case.case_type == CaseType.DSI:
        referral_due(case, on=case.recorded_on)


def referral_due(case: Case, *, on: datetime.date) -> None:
    """The assessment found that the matter must be referred: the referral clock starts."""
    deadlines.deadline_open(
        kind="iopc_referral",
        target=case,
        trigger_date=on,
        label=f"{case.reference}: refer to the IOPC",
        **_owners(case),
    )


def referral_not_due(case: Case, *, actor) -> None:
    """A later assessment found no criterion: the referral clock stops."""
    deadlines.deadline_cancel(
        kind="iopc_referral",
        target=case,
        actor=actor,
        reason="A later assessment found no mandatory referral criterion",
    )


def iopc_referred(case: Case, referred_on: datetime.date, *, actor=None) -> None:
    deadlines.deadline_meet(kind="iopc_referral", target=case, actor=actor, when=referred_on)
    deadlines.deadline_open(
        kind="iopc_decision_followup",
        target=case,
        trigger_date=referred_on,
        label=f"{case.reference}: IOPC decision on referral",
        **_owners(case),
    )


def iopc_decided(case: Case, *, actor) -> None:
    deadlines.deadline_meet(kind="iopc_decision_followup", target=case, actor=actor)


# --- The 12-month report and each further 6-month period ----------------------------------
@rule(
    "For an investigation directed or carried out by the IOPC the Director General, not the "
    "force, reports on each relevant period (to the local policing body and the chief "
    "officer); for the force's own investigation of a complaint or recordable matter the "
    "appropriate authority reports to the local policing body and the Director General; for "
    "a conduct matter under the Conduct Regulations, to the local policing body.",
    "C&M Regs 2020 reg 13(1), (2); CR 2020 reg 19(1)",
    verified=True,
)
def twelve_month_duty(case: Case) -> str:
    """Who reports when the investigation is not concluded within a relevant period."""
    if case.investigation_mode in (InvestigationMode.DIRECTED, InvestigationMode.INDEPENDENT):
        return (
            "The IOPC (Director General) reports to the local policing body and the chief "
            "officer: C&M Regs 2020 reg 13(2). No force clock runs."
        )
    if case.case_type == CaseType.CONDUCT_MATTER:
        return "The appropriate authority reports to the local policing body: CR 2020 reg 19(1)."
    return (
        "The appropriate authority reports to the local policing body and the IOPC: "
        "C&M Regs 2020 reg 13(1)."
    )


def current_period(case: Case) -> Deadline | None:
    """The relevant period now running (the 12-month one or a later 6-month one)."""
    return (
        Deadline.objects.filter(
            kind__code__in=PERIOD_KINDS,
            status=Status.OPEN,
            content_type__app_label="cases",
            content_type__model="case",
            object_id=case.pk,
        )
        .order_by("-due_date")
        .first()
    )


def twelve_month_report_made(case: Case, *, actor, on: datetime.date) -> Deadline | None:
    """The report on the period that ended is made; the next period is fixed by the law, not by
    the report: 6 months starting with the day after the end of the previous period
    (C&M Regs 2020 reg 13(3)(b); CR 2020 reg 19(2)(b)). Returns the next period's clock."""
    period = current_period(case)
    if period is None:
        return None
    deadlines.deadline_meet(kind=period.kind.code, target=case, actor=actor, when=on)
    return deadlines.deadline_open(
        kind="six_month_repeat",
        target=case,
        trigger_date=period.due_date + ONE_DAY,
        label=f"{case.reference}: report on the next 6-month period",
        **_owners(case),
    )


def _end_periods(case: Case, *, actor, reason: str) -> None:
    for kind in PERIOD_KINDS:
        deadlines.deadline_cancel(kind=kind, target=case, actor=actor, reason=reason)


def case_transitioned(case: Case, name: str, *, actor) -> None:
    """React to one transition of the case (cases.services._core.transition_case)."""
    if name == "submit_report":
        # The duty ends when the investigation is concluded, not at finalisation.
        _end_periods(case, actor=actor, reason="Investigation concluded (report submitted)")
    elif name == "handle_otbi":
        _end_periods(
            case, actor=actor, reason="Handled otherwise than by investigation: no report due"
        )
    elif name == "iopc_decided" and case.investigation_mode in (
        InvestigationMode.DIRECTED,
        InvestigationMode.INDEPENDENT,
    ):
        _end_periods(
            case,
            actor=actor,
            reason="The Director General reports on this investigation (C&M Regs 2020 reg 13(2))",
        )


# --- Reassignment ---------------------------------------------------------------------------
def case_reassigned(case: Case) -> int:
    """Every open clock of the case, its subjects, complainants and their reflective practice
    follows the case to its new investigator (and supervisor). Returns how many moved."""
    return sum(
        deadlines.deadline_reassign(
            target=target, owner=case.investigator, escalate_to=case.supervisor
        )
        for target in _targets(case)
    )


def _targets(case: Case) -> list:
    targets = [case, *case.complainants.all()]
    for track in case.tracks.select_related("rprp"):
        targets.append(track)
        if hasattr(track, "rprp"):
            targets.append(track.rprp)
    return targets


# --- Regulation 17 notice and the reg 18 window --------------------------------------------
def notice_served(track: SubjectTrack) -> None:
    case = track.case
    deadlines.deadline_open(
        kind="reg17_representations",
        target=track,
        trigger_date=track.notice_served_on,
        label=f"{case.reference}: representations from {track.person.rank_and_name}",
        **_owners(case),
    )


def notice_superseded(track: SubjectTrack, *, actor) -> None:
    """The severity was revised after the reg 17 notice: that notice's reg 18 window closes
    (a new notice opens its own)."""
    deadlines.deadline_cancel(
        kind="reg17_representations",
        target=track,
        actor=actor,
        reason="Severity revised after the notice; a new notice is needed.",
    )


def representations_received(track: SubjectTrack, *, actor) -> None:
    deadlines.deadline_meet(kind="reg17_representations", target=track, actor=actor)


def reg18_window_open(track: SubjectTrack, today: datetime.date) -> Deadline | None:
    """The subject's reg 18 clock when its window is still open on ``today``: running, not
    met, and its (possibly extended) due date not yet passed."""
    return Deadline.objects.filter(
        kind__code="reg17_representations",
        status=Status.OPEN,
        due_date__gte=today,
        content_type__app_label="cases",
        content_type__model="subjecttrack",
        object_id=track.pk,
    ).first()


def report_filed_over_window(track: SubjectTrack, *, actor, reason: str) -> None:
    """The report was filed while the window was open, with a recorded reason."""
    deadlines.deadline_cancel(
        kind="reg17_representations",
        target=track,
        actor=actor,
        reason=f"Report filed before the reg 18 window closed: {reason}",
    )


def deadline_extended(target, *, kind: str, due_date: datetime.date, reason: str, actor):
    return deadlines.deadline_extend(
        kind=kind, target=target, due_date=due_date, reason=reason, actor=actor
    )


# --- Proceedings ----------------------------------------------------------------------------
def proceedings_scheduled(track: SubjectTrack) -> None:
    """The reg 30 notice and documents went to the officer on ``proceedings_notice_on``: the
    officer's reg 31 response is due (meetings and hearings); the proceedings are due on the
    date fixed."""
    case = track.case
    who = track.person.rank_and_name
    if track.forum in (Forum.MEETING, Forum.HEARING):
        deadlines.deadline_open(
            kind="reg31_response",
            target=track,
            trigger_date=track.proceedings_notice_on,
            label=f"{case.reference}: response to the reg 30 notice from {who}",
            **_owners(case),
        )
    deadlines.deadline_open(
        kind="proceedings_fixed",
        target=track,
        trigger_date=track.proceedings_notice_on,
        due_date=track.proceedings_date,
        label=f"{case.reference}: {track.get_forum_display().lower()} for {who}",
        **_owners(case),
    )


def response_received(track: SubjectTrack, *, actor, on: datetime.date) -> None:
    deadlines.deadline_meet(kind="reg31_response", target=track, actor=actor, when=on)


def documents_to_chair(track: SubjectTrack, *, on: datetime.date) -> None:
    """The reg 32(6) documents reached the chair of a hearing: the pre-hearing clock starts."""
    case = track.case
    deadlines.deadline_open(
        kind="reg33_prehearing",
        target=track,
        trigger_date=on,
        label=f"{case.reference}: pre-hearing for {track.person.rank_and_name}",
        **_owners(case),
    )


def prehearing_held(track: SubjectTrack, *, actor, on: datetime.date) -> None:
    deadlines.deadline_meet(kind="reg33_prehearing", target=track, actor=actor, when=on)


def proceedings_concluded(track: SubjectTrack, *, actor) -> None:
    deadlines.deadline_meet(kind="proceedings_fixed", target=track, actor=actor)
    for kind in ("reg31_response", "reg33_prehearing"):
        deadlines.deadline_cancel(
            kind=kind, target=track, actor=actor, reason="Overtaken: proceedings held"
        )


def track_transitioned(track: SubjectTrack, name: str, *, actor) -> None:
    """React to one transition of a subject's track (cases.services._core.transition_track):
    the case-to-answer decision overtakes the reg 18 window."""
    if name in ("case_to_answer", "no_case_to_answer"):
        deadlines.deadline_cancel(
            kind="reg17_representations",
            target=track,
            actor=actor,
            reason="Overtaken by the case-to-answer decision",
        )


# --- Reflective practice --------------------------------------------------------------------
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


# --- Barred and advisory lists --------------------------------------------------------------
def list_report_due(event_date: datetime.date) -> datetime.date:
    """Barred List Regs 2017 regs 3 and 12: before the end of 5 working days *beginning with*
    the date of dismissal (or of leaving)."""
    return add_working_days(event_date, 5, beginning_with=True)


def list_entry_created(entry, *, kind: str, owner=None, escalate_to=None, since=None) -> None:
    """``since``: the day the period begins with when it is not the event's date (reg 12(1)(b):
    the day a volunteer's decision to stop came to the authority's attention)."""
    deadlines.deadline_open(
        kind=kind,
        target=entry,
        trigger_date=since or entry.event_date,
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


# --- Outcome and review ---------------------------------------------------------------------
def case_finalised(case: Case, *, actor) -> None:
    _end_periods(case, actor=actor, reason="Case finalised")
    if case.case_type == CaseType.COMPLAINT and case.outcome_sent_on:
        # C&M Regs 2020 reg 29(2): 28 days starting with the day after the outcome was sent.
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


# --- Suspension -----------------------------------------------------------------------------
def case_resumed(case: Case, *, started_on: datetime.date, ended_on: datetime.date, actor) -> int:
    """The investigation resumes: every open clock of the case whose kind the law stops during
    a suspension moves on by the calendar days suspended (the first to the last day of the
    suspension). Returns how many clocks moved."""
    days = (ended_on - started_on).days + 1
    return deadlines.deadlines_pause(
        targets=_targets(case),
        days=days,
        reason=f"Investigation suspended {started_on:%d/%m/%Y}–{ended_on:%d/%m/%Y}",
        actor=actor,
    )


def days_suspended(
    periods, start: datetime.date, end: datetime.date, calendar: WorkingCalendar | None = None
) -> int:
    """Days of the suspension ``periods`` ((started_on, ended_on or None) pairs, or Suspension
    rows) inside [start, end], both ends included: working days when ``calendar`` is given,
    else calendar days. An open period runs to ``end``. Pure: no query (statistics call it
    for many cases with one calendar)."""
    total = 0
    for period in periods:
        first, last = (
            (period.started_on, period.ended_on) if hasattr(period, "started_on") else period
        )
        first, last = max(first, start), min(last or end, end)
        if last < first:
            continue
        if calendar is None:
            total += (last - first).days + 1
        else:
            total += calendar.working_days_between(first - ONE_DAY, last)
    return total


# --- The rule of each clock (the register: ``manage.py rules``) ------------------------------
# Periods and reminders are data in the deadlines app's DeadlineKind table; this says which
# rule each clock applies and where it starts.
clock(
    "iopc_referral",
    "A complaint, conduct matter or DSI matter meeting a mandatory referral criterion is "
    "referred to the IOPC; the clock starts when the referral assessment finds a criterion "
    "(a DSI matter: when it is recorded). Period: by the end of the day after it becomes "
    "clear (the issue's reading; the time limit was not found in the regulations read).",
    "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4",
    where=referral_due,
)
clock(
    "iopc_decision_followup",
    "Force practice: chase the IOPC when it has not decided the mode of investigation 10 "
    "working days after a referral.",
    where=iopc_referred,
)
clock(
    "twelve_month_report",
    "An investigation not completed within 12 months starting with the day the complaint was "
    "made (or the matter came to the appropriate authority's attention) is reported, with "
    "reasons, as soon as practicable after the period ends; the clock ends when the "
    "investigation is concluded; none runs for an IOPC directed or independent investigation.",
    "C&M Regs 2020 reg 13(1), (3)(a); CR 2020 reg 19(1), (2)(a)",
    verified=True,
    where=case_recorded,
)
clock(
    "six_month_repeat",
    "Each subsequent period of 6 months starts with the day after the end of the previous "
    "period (not with the day a report was made) until the investigation is concluded.",
    "C&M Regs 2020 reg 13(3)(b); CR 2020 reg 19(2)(b)",
    verified=True,
    where=twelve_month_report_made,
)
clock(
    "reg17_representations",
    "The subject may give a statement and documents within 10 working days after the "
    "regulation 17 notice, unless the investigator extends the period (recorded with a "
    "reason); closed when the representations arrive or the case-to-answer decision "
    "overtakes it.",
    "CR 2020 reg 18",
    where=notice_served,
)
clock(
    "reg31_response",
    "The officer's response to the regulation 30 notice (accepts or not, account, documents) "
    "is due before the end of 15 working days beginning with the first working day after the "
    "documents were supplied; the chair may extend it for exceptional circumstances.",
    "CR 2020 reg 31(1)",
    verified=True,
    where=proceedings_scheduled,
)
clock(
    "reg33_prehearing",
    "Where the chair of a hearing decides to hold a pre-hearing, it is held within 15 working "
    "days beginning with the first working day after the documents reached the chair, or "
    "within the period the chair extends it to.",
    "CR 2020 reg 33(1)(a), (10)(a)",
    verified=True,
    where=documents_to_chair,
)
clock(
    "proceedings_fixed",
    "The meeting or hearing is held on the date fixed and cannot be concluded before it. No "
    "minimum notice period is applied to meetings and hearings (regs 34-35 not read); an "
    "accelerated hearing is fixed not less than 10 and not more than 15 working days after "
    "the reg 51(1) notice.",
    "CR 2020 regs 34-35; reg 52(1)",
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
    "would be brought), a former officer about whom an allegation comes to attention after "
    "they resigned or retired, or a volunteer whose designation is withdrawn for a reason "
    "relating to conduct, efficiency or effectiveness, is reported to the advisory list before "
    "the end of 5 working days beginning with the date of the relevant event; a volunteer who "
    "decides to stop volunteering after an allegation came to attention, before the end of 5 "
    "working days beginning with the date the decision came to the authority's attention.",
    "Police Act 1996 s88I(1)(a)-(d), (2); Police Barred List and Police Advisory List "
    "Regulations 2017 reg 12(1)(a)-(b)",
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
    "Police Act 1996 s88L(1)-(4) (read); the period: Police Barred List and Police Advisory "
    "List Regulations 2017 reg 14 (not read)",
    where=list_further_report_due,
)
clock(
    "review_window",
    "The complainant may apply for a review within 28 days starting with the day after the "
    "day the information about the right of review was provided; time an application spends "
    "being forwarded by a body it was wrongly sent to is left out of account.",
    "C&M Regs 2020 reg 29(2), (3)",
    verified=True,
    where=case_finalised,
)
