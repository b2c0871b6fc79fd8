"""Handling, investigation and each subject's track up to proceedings."""

import datetime

from django.conf import settings
from django.db import transaction

from accounts.models import User
from deadlines.calendar import add_working_days, working_days_between
from psd.domain import DomainError
from psd.rules import Refusal, guard, plausible_dates, refuse_if, rule

from .. import clocks
from ..models import Case, Forum, ReflectivePractice, Severity, State, SubjectTrack, TrackState
from . import outcomes
from ._core import (
    case_transition_refusal,
    lock_case,
    lock_track,
    lock_tracks,
    log_track_event,
    require,
    today,
    track_transition_refusal,
    transition_case,
    transition_track,
)
from .facts import CaseFacts, facts_for

# Severity is assessed once the handling of the case is decided, until the report.
SEVERITY_STATES = (
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
    State.INDEPENDENT_INVESTIGATION,
    State.OTBI,
)


@guard("An investigation starts once the handling of the case is decided.")
def case_start_investigation_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "start_investigation")


@guard(
    "Only a complaint the IOPC has not directed to be investigated may be handled otherwise "
    "than by investigation.",
    "PRA 2002 Sch 3 para 6(2)(b)",
)
def case_handle_otbi_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "handle_otbi")


@guard(
    "The investigation report is recorded once every subject's severity has been assessed.",
    "CR 2020 reg 23",
)
def case_submit_report_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    refusal = case_transition_refusal(case, "submit_report")
    if refusal:
        return refusal
    tracks = facts_for(case, facts).tracks
    unassessed = [t.person.full_name for t in tracks if t.state == TrackState.PENDING]
    if unassessed:
        return f"Assess severity first for: {', '.join(unassessed)}."
    return None


@rule(
    "The investigation report is not filed while a subject's reg 18 window is still open "
    "(representations not in, due date not passed) unless a reason for filing now is "
    "recorded; that subject's window is then closed with the reason.",
    "CR 2020 reg 18",
)
def _check_reg18_windows(tracks: list[SubjectTrack], override_reason: str) -> list[SubjectTrack]:
    """The tracks whose reg 18 window is open today; refused, naming the field, when there
    are any and no reason to file now was given."""
    open_ = [t for t in tracks if clocks.reg18_window_open(t, today())]
    if open_ and not override_reason.strip():
        windows = ", ".join(
            f"{t.person.full_name} (until {clocks.reg18_window_open(t, today()).due_date:%d/%m/%Y})"
            for t in open_
        )
        raise DomainError(
            f"The reg 18 window is still open for {windows}: record the representations, "
            "wait for the window to close, or give the reason for filing the report now.",
            field="reg18_override_reason",
        )
    return open_


def _case_of(track: SubjectTrack, facts) -> Case:
    return facts.case if facts is not None else track.case


@guard(
    "Severity (no misconduct, practice requiring improvement, misconduct, gross misconduct) "
    "is assessed once the handling is decided, until the investigation report; it may be "
    "revised after the regulation 17 notice, and the subject is then served a new notice "
    "stating the revised assessment.",
    "CR 2020 reg 14; C&M Regs 2020 reg 19(3)-(5)",
    verified=True,
)
def track_assess_severity_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    if _case_of(track, facts).state not in SEVERITY_STATES:
        return "Severity is assessed once the handling of the case is decided."
    return track_transition_refusal(track, "assess_severity")


@guard(
    "A regulation 17 notice is served on a subject assessed as misconduct or gross misconduct.",
    "CR 2020 reg 17",
)
def track_serve_notice_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    return track_transition_refusal(track, "serve_notice")


@guard(
    "Representations are recorded while the subject's reg 18 window (10 working days from "
    "the notice) is open.",
    "CR 2020 reg 18",
)
def track_representations_received_refusal(
    *, actor: User, track: SubjectTrack, facts=None
) -> str | None:
    if track.state not in (TrackState.NOTICE_SERVED, TrackState.AWAITING_DECISION):
        return "Representations follow a regulation 17 notice."
    if not facts_for(_case_of(track, facts), facts).open_deadline("reg17_representations", track):
        return "The representations from this subject are already recorded."
    return None


def _no_action_transition(track: SubjectTrack) -> str:
    return "no_misconduct" if track.state == TrackState.SEVERITY_ASSESSED else "no_further_action"


@guard(
    "No further action follows a severity of no misconduct, a finding of no case to answer, "
    "or a case to answer on which it was decided not to bring misconduct proceedings.",
    "CR 2020 reg 23(1)(b), (5)",
)
def track_no_action_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    return track_transition_refusal(track, _no_action_transition(track))


@guard(
    "Reflective practice follows a severity of practice requiring improvement, a finding of "
    "no case to answer, or a case to answer on which it was decided not to bring misconduct "
    "proceedings.",
    "CR 2020 Part 6 (regs 66-70); reg 23(1)(b), (5)",
)
def track_refer_to_rprp_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    refusal = track_transition_refusal(track, "refer_to_rprp")
    if refusal is None and not (
        track.state in (TrackState.NO_CASE_TO_ANSWER, TrackState.CASE_TO_ANSWER)
        or track.severity == Severity.PRI
    ):
        return (
            "Reflective practice follows a severity of practice requiring improvement, a "
            "finding of no case to answer, or a case to answer without proceedings."
        )
    return refusal


@guard(
    "A subject with a case to answer on which misconduct proceedings are brought is referred "
    "to a meeting or a hearing.",
    "CR 2020 reg 23(1)(b)-(c); reg 30",
    verified=True,
)
def track_refer_to_proceedings_refusal(
    *, actor: User, track: SubjectTrack, facts=None
) -> str | None:
    # Every forum starts from a case to answer; which forum fits is checked on the input.
    return track_transition_refusal(track, "refer_to_hearing")


@rule(
    "A case to answer for misconduct goes to a misconduct meeting, also for a subject first "
    "assessed as gross misconduct; it goes to a hearing instead when a final written warning "
    "was in force on the date of the severity assessment. A case to answer for gross "
    "misconduct goes to a hearing (or, certified, an accelerated hearing).",
    "CR 2020 reg 23(1)(c), reg 42(5)",
)
def forum_refusal(track: SubjectTrack, forum: str) -> str | None:
    if forum == Forum.MEETING and track.answer_level == Severity.MISCONDUCT:
        warning = outcomes.live_final_written_warning(track)
        if warning is not None and settings.PSD_LIVE_FWW_MEANS_HEARING:
            return (
                f"{track.person.full_name} had a final written warning in force on the date of "
                f"the severity assessment (until {warning:%d/%m/%Y}): misconduct goes to a "
                "misconduct hearing."
            )
    return None


@guard(
    "Proceedings conclude after the meeting or hearing the subject was referred to, and not "
    "before the date they were fixed for.",
    "CR 2020 regs 34-35",
)
def track_conclude_proceedings_refusal(
    *, actor: User, track: SubjectTrack, facts=None
) -> str | None:
    refusal = track_transition_refusal(track, "conclude_proceedings")
    if refusal is None and track.proceedings_date and today() < track.proceedings_date:
        return (
            f"The {track.get_forum_display().lower()} is fixed for "
            f"{track.proceedings_date:%d/%m/%Y}: it cannot be concluded before then."
        )
    return refusal


# Clocks a subject's track may have extended, and who holds the power to extend each.
EXTENDABLE = {
    "reg17_representations": "the investigator (CR 2020 reg 18)",
    "reg31_response": "the person conducting or chairing the proceedings (CR 2020 reg 31(1)(b))",
    "reg33_prehearing": "the chair of the hearing (CR 2020 reg 33(10)(a))",
}


def _may_extend(actor: User, case: Case, kind: str) -> bool:
    # CR 2020 reg 18: the investigator extends; the chair's reg 31 extension is recorded by
    # whoever keeps the case.
    return kind != "reg17_representations" or case.investigator_id == actor.pk


@guard(
    "The reg 18 window is extended only by the investigator, and the reg 31 response period "
    "as the chair decided, while the clock runs; the new date and the reason are recorded.",
    "CR 2020 reg 18; reg 31(1)(b)",
)
def track_extend_deadline_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    case = _case_of(track, facts)
    facts = facts_for(case, facts)
    running = [kind for kind in EXTENDABLE if facts.open_deadline(kind, track)]
    if not running:
        return "No extendable clock is running for this subject."
    if not any(_may_extend(actor, case, kind) for kind in running):
        return Refusal("Only the investigator extends the reg 18 window.")
    return None


@guard(
    "The documents for a misconduct hearing are recorded as supplied to the chair once, "
    "which starts the pre-hearing clock.",
    "CR 2020 reg 32(6); reg 33(1)(a)",
    verified=True,
)
def track_documents_to_chair_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    if track.state != TrackState.HEARING:
        return "A pre-hearing is held only before a misconduct hearing."
    facts = facts_for(_case_of(track, facts), facts)
    if facts.open_deadline("reg33_prehearing", track) or facts.deadline_met(
        "reg33_prehearing", track
    ):
        return "The documents are already recorded as supplied to the chair."
    return None


@guard(
    "The pre-hearing is recorded while its clock runs.",
    "CR 2020 reg 33(1)(a)",
    verified=True,
)
def track_prehearing_held_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    if not facts_for(_case_of(track, facts), facts).open_deadline("reg33_prehearing", track):
        return "No pre-hearing is awaited for this subject."
    return None


@guard(
    "The officer's response to the regulation 30 notice is recorded while it is awaited.",
    "CR 2020 reg 31(1)",
    verified=True,
)
def track_record_response_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    if not facts_for(_case_of(track, facts), facts).open_deadline("reg31_response", track):
        return "No response to a regulation 30 notice is awaited from this subject."
    return None


@transaction.atomic
def case_start_investigation(
    *, actor: User, case: Case, reason: str = "", expected_version: int | None = None
) -> Case:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_start_investigation_refusal(actor=actor, case=case))
    return transition_case(
        case, "start_investigation", actor=actor, reason=reason or "Investigation started"
    )


@transaction.atomic
def case_handle_otbi(
    *, actor: User, case: Case, reason: str, expected_version: int | None = None
) -> Case:
    """Handle a complaint otherwise than by investigation (PRA 2002 Sch 3 para 6(2)(b))."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_handle_otbi_refusal(actor=actor, case=case))
    if not reason.strip():
        raise DomainError("Say how the complaint will be handled.", field="reason")
    return transition_case(case, "handle_otbi", actor=actor, reason=reason)


@transaction.atomic
def case_submit_report(
    *,
    actor: User,
    case: Case,
    summary: str,
    reg18_override_reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """The investigation report is in: every subject who was served a notice awaits a
    case-to-answer decision (CR 2020 reg 23). While a reg 18 window is open the report is
    filed only with a recorded reason (``reg18_override_reason``)."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    tracks = lock_tracks(case)
    refuse_if(
        case_submit_report_refusal(actor=actor, case=case, facts=CaseFacts(case, tracks=tracks))
    )
    if not summary.strip():
        raise DomainError("Summarise the investigation report's findings.", field="summary")
    overridden = _check_reg18_windows(tracks, reg18_override_reason)
    for track in overridden:
        clocks.report_filed_over_window(track, actor=actor, reason=reg18_override_reason.strip())
    if overridden:
        names = ", ".join(t.person.full_name for t in overridden)
        summary = f"{summary}\nFiled with the reg 18 window open for {names}: " + (
            reg18_override_reason.strip()
        )
    transition_case(case, "submit_report", actor=actor, reason=summary)
    for track in tracks:
        if track.state == TrackState.NOTICE_SERVED:
            transition_track(track, "report_received", actor=actor)
    return case


@transaction.atomic
def track_assess_severity(
    *, actor: User, track: SubjectTrack, severity: str, rationale: str, special_case: bool = False
) -> SubjectTrack:
    """Severity assessment (CR 2020 reg 14): none / PRI / misconduct / gross misconduct."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_assess_severity_refusal(actor=actor, track=track, facts=CaseFacts(case)))
    if severity not in Severity.values:
        raise DomainError("Choose a severity.", field="severity")
    if not rationale.strip():
        raise DomainError("Give the reasons for the severity assessment.", field="rationale")
    revised = track.state == TrackState.NOTICE_SERVED
    transition_track(
        track,
        "assess_severity",
        actor=actor,
        reason=f"Revised after the regulation 17 notice: {rationale}" if revised else rationale,
        severity=severity,
        special_case=special_case,
        on=today(),
    )
    if revised:
        # The notice no longer states the severity: its reg 18 window closes and a new
        # notice (with its own window) is served if misconduct is still alleged.
        clocks.notice_superseded(track, actor=actor)
    return track


@plausible_dates
@transaction.atomic
def track_serve_notice(
    *, actor: User, track: SubjectTrack, served_on: datetime.date | None = None
) -> SubjectTrack:
    """Regulation 17 notice; the reg 18 clock (10 working days) starts."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_serve_notice_refusal(actor=actor, track=track))
    served_on = served_on or today()
    if served_on > today():
        raise DomainError("The notice date cannot be in the future.", field="served_on")
    transition_track(
        track, "serve_notice", actor=actor, reason="Regulation 17 notice served", on=served_on
    )
    clocks.notice_served(track)
    return track


@transaction.atomic
def track_representations_received(*, actor: User, track: SubjectTrack) -> SubjectTrack:
    """CR 2020 reg 18: the subject's statement and representations arrived."""
    require(actor, "change_case", track.case)
    track = lock_track(track.case, track)
    refuse_if(track_representations_received_refusal(actor=actor, track=track))
    clocks.representations_received(track, actor=actor)
    return track


@transaction.atomic
def track_no_action(*, actor: User, track: SubjectTrack, reason: str) -> SubjectTrack:
    """No misconduct (from severity) or no case to answer and no PRI: no further action."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_no_action_refusal(actor=actor, track=track))
    return transition_track(
        track, _no_action_transition(track), actor=actor, reason=reason, on=today()
    )


@plausible_dates
@transaction.atomic
def track_refer_to_rprp(
    *,
    actor: User,
    track: SubjectTrack,
    reason: str,
    notice_on: datetime.date | None = None,
    line_manager=None,
) -> ReflectivePractice:
    """Practice requiring improvement: reflective practice (CR 2020 Part 6)."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_refer_to_rprp_refusal(actor=actor, track=track))
    notice_on = notice_on or today()
    transition_track(track, "refer_to_rprp", actor=actor, reason=reason)
    rprp = ReflectivePractice.objects.create(
        track=track,
        notice_on=notice_on,
        line_manager=line_manager or track.person.line_manager,
        # CR 2020 reg 67: the subject gives their account within 5 working days.
        account_due=add_working_days(notice_on, 5),
    )
    clocks.rprp_started(rprp)
    return rprp


@rule(
    "Proceedings are fixed for a date after the regulation 30 notice (no minimum notice "
    "period is applied: CR 2020 regs 34-35 not read); an accelerated hearing not less than "
    "10 and not more than 15 working days after the regulation 51(1) notice, or sooner when "
    "the parties and the chair agreed to reduce the period.",
    "CR 2020 reg 52(1); reg 48",
    verified=True,
)
def _check_proceedings_date(
    forum: str, notice_on: datetime.date, date: datetime.date, agreed_shorter: bool = False
) -> None:
    """The date fixed for the proceedings, against the notice date (working days exclude
    weekends and England & Wales bank holidays: deadlines.calendar)."""
    if date <= notice_on:
        raise DomainError("The proceedings are fixed for a date after the notice.", field="date")
    if forum != Forum.ACCELERATED_HEARING:
        return
    days = working_days_between(notice_on, date)
    low, high = clocks.ACCELERATED_HEARING_WINDOW
    if agreed_shorter and days < low:
        return  # reg 48: the period may be reduced by agreement
    if not low <= days <= high:
        raise DomainError(
            f"An accelerated hearing is held not less than {low} and not more than {high} "
            f"working days after the notice (CR 2020 reg 52(1)), sooner only by agreement "
            f"(reg 48); this date is {days}.",
            field="date",
        )


@plausible_dates
@transaction.atomic
def track_refer_to_proceedings(
    *,
    actor: User,
    track: SubjectTrack,
    forum: str,
    date: datetime.date,
    notice_on: datetime.date | None = None,
    reason: str = "",
    agreed_shorter: bool = False,
) -> SubjectTrack:
    """Refer a subject with a case to answer to a meeting, hearing or accelerated hearing on
    ``date``; the reg 30 (or reg 51) notice and documents went on ``notice_on``."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_refer_to_proceedings_refusal(actor=actor, track=track))
    notice_on = notice_on or today()
    names = {
        Forum.MEETING: "refer_to_meeting",
        Forum.HEARING: "refer_to_hearing",
        Forum.ACCELERATED_HEARING: "refer_to_accelerated_hearing",
    }
    if forum not in names:
        raise DomainError("Choose a meeting, a hearing or an accelerated hearing.", field="forum")
    sentence = forum_refusal(track, forum)
    if sentence:
        raise DomainError(sentence, field="forum")
    _check_proceedings_date(forum, notice_on, date, agreed_shorter)
    transition_track(
        track, names[forum], actor=actor, reason=reason, date=date, notice_on=notice_on
    )
    if case.state == State.DECISIONS:
        transition_case(
            case,
            "start_proceedings",
            actor=actor,
            reason=f"{track.person.full_name}: {track.get_forum_display()}",
        )
    clocks.proceedings_scheduled(track)
    return track


@plausible_dates
@transaction.atomic
def track_conclude_proceedings(
    *, actor: User, track: SubjectTrack, held_on: datetime.date
) -> SubjectTrack:
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_conclude_proceedings_refusal(actor=actor, track=track))
    if held_on > today():
        raise DomainError("The proceedings cannot conclude in the future.", field="held_on")
    if track.proceedings_date and held_on < track.proceedings_date:
        raise DomainError(
            f"The proceedings were fixed for {track.proceedings_date:%d/%m/%Y}: they cannot "
            "have concluded before.",
            field="held_on",
        )
    transition_track(
        track, "conclude_proceedings", actor=actor, reason="Proceedings concluded", on=held_on
    )
    clocks.proceedings_concluded(track, actor=actor)
    return track


@plausible_dates
@transaction.atomic
def track_extend_deadline(
    *, actor: User, track: SubjectTrack, kind: str, due_date: datetime.date, reason: str
) -> SubjectTrack:
    """Extend the subject's reg 18 window (the investigator) or reg 31 response period (as the
    chair decided): the clock moves to ``due_date`` with the reason recorded."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_extend_deadline_refusal(actor=actor, track=track))
    if kind not in EXTENDABLE or not CaseFacts(case).open_deadline(kind, track):
        raise DomainError("Choose a clock that is running for this subject.", field="kind")
    if not _may_extend(actor, case, kind):
        raise DomainError(f"Only {EXTENDABLE[kind]} extends this period.", field="kind")
    if not reason.strip():
        raise DomainError("Give the reason for the extension.", field="reason")
    deadline = clocks.deadline_extended(
        track, kind=kind, due_date=due_date, reason=reason, actor=actor
    )
    log_track_event(
        case,
        track,
        name=f"extend_{kind}",
        reason=f"Extended to {deadline.due_date:%d/%m/%Y} by {EXTENDABLE[kind]}: {reason}",
        actor=actor,
    )
    return track


@plausible_dates
@transaction.atomic
def track_record_response(
    *, actor: User, track: SubjectTrack, received_on: datetime.date | None = None
) -> SubjectTrack:
    """CR 2020 reg 31(2)-(3): the officer's written response to the reg 30 notice arrived."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_record_response_refusal(actor=actor, track=track))
    received_on = received_on or today()
    if received_on > today() or (
        track.proceedings_notice_on and received_on < track.proceedings_notice_on
    ):
        raise DomainError(
            "The response date must be between the notice and today.", field="received_on"
        )
    clocks.response_received(track, actor=actor, on=received_on)
    log_track_event(
        case,
        track,
        name="reg31_response",
        reason=f"Response to the regulation 30 notice received on {received_on:%d/%m/%Y}",
        actor=actor,
    )
    return track


@plausible_dates
@transaction.atomic
def track_documents_to_chair(
    *, actor: User, track: SubjectTrack, supplied_on: datetime.date | None = None
) -> SubjectTrack:
    """CR 2020 reg 32(6): the documents reached the chair; reg 33(1)(a) clock starts."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_documents_to_chair_refusal(actor=actor, track=track))
    supplied_on = supplied_on or today()
    if supplied_on > today():
        raise DomainError("The date cannot be in the future.", field="supplied_on")
    clocks.documents_to_chair(track, on=supplied_on)
    log_track_event(
        case,
        track,
        name="documents_to_chair",
        reason=f"Documents supplied to the chair on {supplied_on:%d/%m/%Y} (reg 32(6))",
        actor=actor,
    )
    return track


@plausible_dates
@transaction.atomic
def track_prehearing_held(
    *, actor: User, track: SubjectTrack, held_on: datetime.date | None = None
) -> SubjectTrack:
    """CR 2020 reg 33: the misconduct pre-hearing took place."""
    case = track.case
    require(actor, "change_case", case)
    case = lock_case(case)
    track = lock_track(case, track)
    refuse_if(track_prehearing_held_refusal(actor=actor, track=track))
    held_on = held_on or today()
    if held_on > today():
        raise DomainError("The pre-hearing cannot be in the future.", field="held_on")
    clocks.prehearing_held(track, actor=actor, on=held_on)
    log_track_event(
        case,
        track,
        name="prehearing",
        reason=f"Pre-hearing held on {held_on:%d/%m/%Y} (reg 33)",
        actor=actor,
    )
    return track
