"""Outcome rules per subject and allegation (CR 2020 reg 42), checked against the forum."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from accounts.models import PersonStatus, RoleType
from deadlines.calendar import add_months
from psd.domain import DomainError
from psd.rules import rule

from ..models import (
    Action,
    Allegation,
    Case,
    Finding,
    Forum,
    Outcome,
    OutcomeStatus,
    Regime,
    Severity,
    StaffOutcomeKind,
    SubjectTrack,
    TrackState,
)
from .staff import is_police_staff, staff_live_until, validate_staff_outcome

# Live periods (CR 2020 reg 42 and Sch 2): written warning 18 months, final written warning
# 2 years, from the date the outcome is notified.
LIVE_MONTHS = {Action.WRITTEN_WARNING: 18, Action.FINAL_WRITTEN_WARNING: 24}

WARNINGS = {Action.WRITTEN_WARNING, Action.FINAL_WRITTEN_WARNING}
FINAL_WARNINGS = {Action.FINAL_WRITTEN_WARNING, Action.FINAL_WRITTEN_WARNING_EXTENDED}
MEETING_ACTIONS = {Action.NONE} | WARNINGS | {Action.FINAL_WRITTEN_WARNING_EXTENDED}
SEVERE_ACTIONS = {Action.REDUCTION_IN_RANK, Action.DISMISSAL, Action.WOULD_HAVE_BEEN_DISMISSED}
GROSS_ACTIONS = FINAL_WARNINGS | SEVERE_ACTIONS
SERVICE_FINDINGS = {Finding.SERVICE_ACCEPTABLE, Finding.SERVICE_NOT_ACCEPTABLE, Finding.NFA}
# Who cannot be reduced in rank, as the refusal names them.
NO_RANK = {RoleType.STAFF: "police staff", RoleType.PCSO: "PCSOs"}


@dataclass
class OutcomeData:
    allegation: Allegation
    track: SubjectTrack | None
    finding: str
    action: str = Action.NONE
    prior_warning_or_several_matters: bool = False
    rationale: str = ""
    # Police staff: the outcome from the force's staff disciplinary list (services/staff.py).
    staff_outcome: StaffOutcomeKind | None = None


@rule(
    "A written warning is live for 18 months and a final written warning for 2 years from "
    "the date the outcome is notified.",
    "CR 2020 reg 42 and Sch 2",
)
def live_until(action: str, effective_on: datetime.date) -> datetime.date | None:
    months = LIVE_MONTHS.get(action)
    return add_months(effective_on, months) if months else None


def _severity_date(track: SubjectTrack) -> datetime.date:
    return track.severity_assessed_on or timezone.localdate()


def live_final_written_warning(track: SubjectTrack) -> datetime.date | None:
    """The end of the final written warning (as extended) the subject had in force on the date
    of this track's severity assessment, from their approved outcomes in other cases (the
    person's history in the system), or None."""
    day = _severity_date(track)
    return (
        Outcome.objects.filter(
            track__person_id=track.person_id,
            status=OutcomeStatus.APPROVED,
            action__in=FINAL_WARNINGS,
            effective_on__lte=day,
            live_until__gt=day,
        )
        .exclude(track_id=track.pk)
        .aggregate(until=Max("live_until"))["until"]
    )


def _live_warning_was_extended(track: SubjectTrack, until: datetime.date) -> bool:
    return (
        Outcome.objects.filter(
            track__person_id=track.person_id,
            status=OutcomeStatus.APPROVED,
            action=Action.FINAL_WRITTEN_WARNING_EXTENDED,
            live_until=until,
        )
        .exclude(track_id=track.pk)
        .exists()
    )


@rule(
    "At a misconduct meeting or hearing, while a final written warning is in force (on the "
    "date of the severity assessment), no written warning or further final written warning "
    "is given; the final written warning may instead be extended, once, by the configured "
    "period (18 months). Checked against the subject's approved outcomes in the system.",
    "CR 2020 reg 42(7)-(10)",
)
def warning_history_refusal(who: str, action: str, track: SubjectTrack) -> str | None:
    """Why ``action`` cannot be given to the track's subject given their live warnings."""
    if action not in WARNINGS | {Action.FINAL_WRITTEN_WARNING_EXTENDED}:
        return None
    until = live_final_written_warning(track)
    months = settings.PSD_FWW_EXTENSION_MONTHS
    if action == Action.FINAL_WRITTEN_WARNING_EXTENDED:
        if not months:
            return f"{who}: extending a final written warning is not available."
        if until is None:
            return f"{who}: there is no final written warning in force to extend."
        if _live_warning_was_extended(track, until):
            return f"{who}: the final written warning in force was already extended once."
        return None
    if until is not None and settings.PSD_NO_WARNING_WHILE_FWW_LIVE:
        instead = " Extend it instead, or choose another outcome." if months else ""
        return (
            f"{who}: a final written warning was in force on the date of the severity "
            f"assessment (until {until:%d/%m/%Y}), so no further warning can be given.{instead}"
        )
    return None


def _reduced_in_rank(track: SubjectTrack) -> bool:
    """Whether the subject had been reduced in rank (an approved outcome in the system) by the
    date of this track's severity assessment."""
    return (
        Outcome.objects.filter(
            track__person_id=track.person_id,
            status=OutcomeStatus.APPROVED,
            action=Action.REDUCTION_IN_RANK,
            effective_on__lte=_severity_date(track),
        )
        .exclude(track_id=track.pk)
        .exists()
    )


@rule(
    "At an accelerated misconduct hearing: no final written warning when one was in force on "
    "the date of the severity assessment, and no extension of it (not an outcome the hearing "
    "can give); no reduction in rank when the officer had already been reduced in rank by "
    "that date. Checked against the subject's approved outcomes in the system.",
    "CR 2020 reg 62(1), (3), (7) (as in force 1 February 2020; the amendments of SI 2025/558 "
    "reg 17 not read)",
    verified=True,
)
def accelerated_history_refusal(who: str, action: str, track: SubjectTrack) -> str | None:
    """Why ``action`` cannot be given at an accelerated hearing given the subject's history."""
    if action == Action.FINAL_WRITTEN_WARNING_EXTENDED:
        return (
            f"{who}: an accelerated misconduct hearing gives a final written warning, "
            "reduction in rank or dismissal; it does not extend a final written warning."
        )
    if action == Action.FINAL_WRITTEN_WARNING:
        until = live_final_written_warning(track)
        if until is not None:
            return (
                f"{who}: a final written warning was in force on the date of the severity "
                f"assessment (until {until:%d/%m/%Y}), so a final written warning must not be "
                "given at an accelerated misconduct hearing."
            )
    if action == Action.REDUCTION_IN_RANK and _reduced_in_rank(track):
        return (
            f"{who}: they had already been reduced in rank by the date of the severity "
            "assessment, so a reduction in rank may not be imposed."
        )
    return None


def outcome_live_until(outcome: Outcome) -> datetime.date | None:
    """When an approved outcome's warning stops being live: an extension runs on from the end
    of the final written warning it extends."""
    if outcome.action == Action.FINAL_WRITTEN_WARNING_EXTENDED and outcome.track_id:
        until = live_final_written_warning(outcome.track)
        months = settings.PSD_FWW_EXTENSION_MONTHS
        return add_months(until, months) if until and months else until
    # Police staff: the live period the force's staff outcome list gives (not reg 42).
    return live_until(outcome.action, outcome.effective_on) or staff_live_until(
        outcome.staff_outcome, outcome.effective_on
    )


def _who(data: OutcomeData) -> str:
    name = data.track.person.full_name if data.track else "the force/service"
    return f"Allegation {data.allegation.number}, {name}"


@rule(
    "Each outcome fits the forum and the person: a meeting finds misconduct at most and gives "
    "at most a final written warning; at a hearing, reduction in rank or dismissal for "
    "misconduct only with a live final written warning or several unconnected matters; gross "
    "misconduct leads to a final written warning, reduction in rank or dismissal; no "
    "reduction in rank for police staff, PCSOs or constables; 'would have been dismissed' "
    "only for those who have left; legacy outcomes not under the 2020 regime.",
    "CR 2020 reg 4(1)-(2); reg 42(1)-(3), (5), (6) (as made; the amendments of SI 2025/558 "
    "reg 15 not read); Sch 1 para 1",
    verified=True,
)
def validate_outcome(case: Case, data: OutcomeData) -> None:
    """Refuse an outcome the forum cannot give or the subject cannot receive."""
    who = _who(data)
    if data.action in Action.legacy() and case.regime == Regime.R2020:
        raise DomainError(
            f"{who}: “{Action(data.action).label}” no longer exists under the 2020 regime."
        )
    if data.track is None:
        if data.finding not in SERVICE_FINDINGS | {Finding.WITHDRAWN}:
            raise DomainError(
                f"{who}: an allegation about the service is found acceptable, "
                "not acceptable, or looked into with no further action."
            )
        if data.action not in (Action.NONE, Action.LEARNING):
            raise DomainError(f"{who}: only learning or no action can follow for the service.")
        return
    state, forum, person = data.track.state, data.track.forum, data.track.person
    if data.staff_outcome is not None and not is_police_staff(person):
        raise DomainError(f"{who}: staff disciplinary outcomes are only for police staff.")
    if state == TrackState.NO_ACTION:
        allowed = {
            Finding.NO_MISCONDUCT,
            Finding.NO_CASE_TO_ANSWER,
            Finding.NFA,
            Finding.SERVICE_ACCEPTABLE,
            Finding.SERVICE_NOT_ACCEPTABLE,
        }
        if data.finding not in allowed or data.action not in (Action.NONE, Action.LEARNING):
            raise DomainError(f"{who}: no further action was decided for this subject.")
        return
    if state in (TrackState.RPRP, TrackState.RPRP_COMPLETE):
        if data.action != Action.RPRP or data.finding not in (
            Finding.PRI,
            Finding.NO_CASE_TO_ANSWER,
            Finding.NOT_PROVEN,
        ):
            raise DomainError(f"{who}: this subject was referred to reflective practice.")
        return
    if state not in (TrackState.OUTCOME, TrackState.APPEAL):
        raise DomainError(
            f"{who}: the subject's track has not concluded "
            f"({data.track.get_state_display().lower()})."
        )
    if is_police_staff(person):
        # Police staff are outside the Conduct Regulations (CR 2020 reg 4(1)): the force's
        # staff disciplinary outcome list applies, not reg 42.
        validate_staff_outcome(
            who=who,
            person=person,
            finding=data.finding,
            action=data.action,
            staff_outcome=data.staff_outcome,
        )
        return
    _validate_proceedings_outcome(who, data, forum, person)
    if data.track.pk is not None and case.regime == Regime.R2020:
        # The subject's history: reg 62 at an accelerated hearing, reg 42 otherwise.
        history = (
            accelerated_history_refusal
            if forum == Forum.ACCELERATED_HEARING
            else warning_history_refusal
        )
        sentence = history(who, data.action, data.track)
        if sentence:
            raise DomainError(sentence)


@rule(
    "The finding does not go beyond what the proceedings were brought for: a misconduct "
    "meeting finds misconduct or not; a hearing brought on a case to answer for misconduct "
    "does not find gross misconduct.",
    "CR 2020 reg 41(15); reg 23(1)(a)",
)
def finding_beyond_case_refusal(who: str, finding: str, track: SubjectTrack) -> str | None:
    if track.forum == Forum.MEETING and finding == Finding.GROSS_MISCONDUCT_PROVEN:
        return f"{who}: a misconduct meeting can only find misconduct."
    if (
        finding == Finding.GROSS_MISCONDUCT_PROVEN
        and track.case_to_answer_for == Severity.MISCONDUCT
        and settings.PSD_FINDING_LIMITED_TO_CASE_TO_ANSWER
    ):
        return (
            f"{who}: the proceedings were brought on a case to answer for misconduct, so "
            "gross misconduct cannot be found."
        )
    return None


def _validate_proceedings_outcome(who: str, data: OutcomeData, forum: str, person) -> None:
    finding, action = data.finding, data.action
    sentence = finding_beyond_case_refusal(who, finding, data.track)
    if sentence:
        raise DomainError(sentence)
    if finding == Finding.NOT_PROVEN:
        if action not in (Action.NONE, Action.RPRP):
            raise DomainError(
                f"{who}: when not proven, only reflective practice or no action can follow."
            )
        return
    if forum == Forum.MEETING:
        # CR 2020 reg 42: a misconduct meeting finds misconduct at most and gives at most a
        # final written warning.
        if finding != Finding.MISCONDUCT_PROVEN:
            raise DomainError(f"{who}: a misconduct meeting can only find misconduct.")
        if action not in MEETING_ACTIONS:
            raise DomainError(
                f"{who}: a misconduct meeting can give at most a final written warning."
            )
    elif finding == Finding.MISCONDUCT_PROVEN:
        # Hearing, misconduct proven: reduction in rank or dismissal only if a final written
        # warning was in force on the date of the severity assessment (reg 42(5): read from
        # the subject's history, or stated) or several unconnected matters are proven (42(6)).
        prior = data.prior_warning_or_several_matters or (
            data.track.pk is not None and live_final_written_warning(data.track) is not None
        )
        if action in SEVERE_ACTIONS and not prior:
            raise DomainError(
                f"{who}: for misconduct, reduction in rank or dismissal needs a "
                "live final written warning or several unconnected matters."
            )
        if action not in MEETING_ACTIONS | SEVERE_ACTIONS:
            raise DomainError(f"{who}: that outcome is not available for misconduct.")
    elif finding == Finding.GROSS_MISCONDUCT_PROVEN:
        # Gross misconduct proven: final written warning, reduction in rank or dismissal
        # without notice (since 2025 with a presumption of dismissal).
        if action not in GROSS_ACTIONS:
            raise DomainError(
                f"{who}: gross misconduct leads to a final written warning, "
                "reduction in rank or dismissal."
            )
    else:
        raise DomainError(f"{who}: proceedings find the case proven or not proven.")
    _validate_for_person(who, action, person)


def _validate_for_person(who: str, action: str, person) -> None:
    if action == Action.REDUCTION_IN_RANK:
        if person.role_type not in RoleType.holding_rank():
            raise DomainError(
                f"{who}: {NO_RANK.get(person.role_type, 'they')} hold no rank, "
                "so cannot be reduced in rank."
            )
        if person.rank_id is None:
            raise DomainError(f"{who}: no rank is recorded, so there is no rank to reduce.")
        if person.rank.order == 1:
            raise DomainError(f"{who}: a constable cannot be reduced in rank.")
    left = person.status in (PersonStatus.RESIGNED, PersonStatus.RETIRED)
    if action == Action.DISMISSAL and left:
        raise DomainError(f"{who}: the subject has left; record “would have been dismissed”.")
    if action == Action.WOULD_HAVE_BEEN_DISMISSED and not left:
        raise DomainError(f"{who}: “would have been dismissed” is only for those who have left.")


def expected_pairs(case: Case) -> set[tuple[int, int | None]]:
    """Every (allegation, track) that needs an outcome: each subject of each allegation, and
    the allegation itself when it is about the force/service."""
    tracks = {t.person_id: t.pk for t in case.tracks.all()}
    pairs = set()
    for allegation in case.allegations.prefetch_related("subjects"):
        if allegation.about_force:
            pairs.add((allegation.pk, None))
        for person in allegation.subjects.all():
            pairs.add((allegation.pk, tracks[person.pk]))
    return pairs
