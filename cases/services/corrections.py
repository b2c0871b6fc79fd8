"""Correcting a date that started a statutory clock: the clock is recomputed, never by hand.

A met deadline cannot be moved (deadlines.services.deadline_correct_trigger refuses), so a
correction that would move one is refused and nothing is saved.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import User
from deadlines.models import Deadline
from deadlines.services import deadline_correct_trigger
from psd.domain import DomainError
from psd.rules import guard, plausible_dates, refuse_if

from ..models import Case, SubjectTrack, TrackState
from ._core import lock_case, lock_track, log_track_event, log_transition, require, today
from .facts import CaseFacts, facts_for


def _recompute(target, kinds: tuple[str, ...], trigger_date: datetime.date, actor: User) -> None:
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        kind__code__in=kinds,
    ).exclude(status__in=["cancelled", "missed"])
    for deadline in deadlines:
        deadline_correct_trigger(deadline=deadline, trigger_date=trigger_date, actor=actor)


@guard(
    "The date received of an open case may be corrected; the 12-month clock is recomputed from it.",
    "C&M Regs 2020 reg 13; CR 2020 reg 19",
    verified=True,
)
def case_correct_received_on_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.is_closed:
        return "The case is closed."
    if facts_for(case, facts).deadline_met("twelve_month_report", case):
        return "The 12-month report was made: a met deadline cannot be moved."
    return None


@guard(
    "The date of a served regulation 17 notice may be corrected; the reg 18 window is "
    "recomputed from it.",
    "CR 2020 regs 17-18",
)
def track_correct_notice_date_refusal(
    *, actor: User, track: SubjectTrack, facts=None
) -> str | None:
    if track.state not in (TrackState.NOTICE_SERVED, TrackState.AWAITING_DECISION):
        return "Only a served notice can have its date corrected."
    facts = facts if facts is not None else CaseFacts(track.case)
    if not facts.open_deadline("reg17_representations", track):
        return "The representations are in: a met deadline cannot be moved."
    return None


@plausible_dates
@transaction.atomic
def case_correct_received_on(
    *,
    actor: User,
    case: Case,
    received_on: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """The date received was wrong: the 12-month clock (C&M Regs 2020 reg 13 / CR 2020
    reg 19) runs from the corrected date."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_correct_received_on_refusal(actor=actor, case=case))
    if not reason.strip():
        raise DomainError("Say why the date is corrected.", field="reason")
    if received_on > today():
        raise DomainError("The date received cannot be in the future.", field="received_on")
    if case.recorded_on and received_on > case.recorded_on:
        raise DomainError(
            "The date received cannot be after the date recorded.", field="received_on"
        )
    previous = case.received_on
    case.received_on = received_on
    case.version += 1
    case.save(update_fields=["received_on", "version", "updated_at"])
    _recompute(case, ("twelve_month_report",), received_on, actor)
    log_transition(
        case,
        name="correct_received_on",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"Received {previous:%d/%m/%Y} → {received_on:%d/%m/%Y}: {reason}",
    )
    return case


@plausible_dates
@transaction.atomic
def track_correct_notice_date(
    *, actor: User, track: SubjectTrack, served_on: datetime.date, reason: str
) -> SubjectTrack:
    """The regulation 17 notice was served on another day: the reg 18 window (10 working
    days) is recomputed."""
    require(actor, "change_case", track.case)
    case = lock_case(track.case)
    track = lock_track(case, track)
    refuse_if(track_correct_notice_date_refusal(actor=actor, track=track))
    if not reason.strip():
        raise DomainError("Say why the date is corrected.", field="reason")
    if served_on > today():
        raise DomainError("The notice date cannot be in the future.", field="served_on")
    previous = track.notice_served_on
    track.notice_served_on = served_on
    track.save(update_fields=["notice_served_on"])
    _recompute(track, ("reg17_representations",), served_on, actor)
    log_track_event(
        case,
        track,
        name="correct_notice_date",
        actor=actor,
        reason=f"Notice {previous:%d/%m/%Y} → {served_on:%d/%m/%Y}: {reason}",
    )
    return track
