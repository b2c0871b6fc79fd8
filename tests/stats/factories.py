"""Statistics datasets built straight from the models (fast), shaped as the services leave
them: an approved outcome always hangs on an approved outcome Decision, subjects have a track."""

import datetime
import itertools

from django.utils import timezone

from accounts.models import User
from cases.models import (
    Action,
    Allegation,
    AllegationCategory,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseType,
    Decision,
    DecisionKind,
    DecisionStatus,
    Handling,
    InvestigationMode,
    IOPCReferral,
    Outcome,
    OutcomeStatus,
    State,
    SubjectTrack,
    TrackState,
)
from tests.accounts.factories import PersonFactory

_numbers = itertools.count(1)


def category(name: str, sub: str = "") -> AllegationCategory:
    top = AllegationCategory.objects.get(name=name, parent=None)
    if not sub:
        return top
    return AllegationCategory.objects.get_or_create(name=sub, parent=top)[0]


def london(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_case(
    *,
    recorded_on=None,
    received_on=None,
    finalised_on=None,
    finalised_at=None,
    handling=Handling.SCHEDULE_3,
    case_type=CaseType.COMPLAINT,
    state=None,
    mode="",
) -> Case:
    received_on = received_on or recorded_on
    if finalised_on and not finalised_at:
        finalised_at = london(finalised_on)
    if state is None:
        state = State.FINALISED if finalised_at else State.RECORDED
        if handling == Handling.OUTSIDE_SCHEDULE_3 and not finalised_at:
            state = State.OUTSIDE_SCH3
    return Case.objects.create(
        reference=f"TEST-{next(_numbers):06d}",
        case_type=case_type,
        summary="Complaint about an arrest",
        received_on=received_on,
        recorded_on=recorded_on if handling == Handling.SCHEDULE_3 else None,
        handling=handling,
        investigation_mode=mode,
        finalised_at=finalised_at,
        state=state,
    )


def staff(username: str) -> User:
    """A PSD user who only appears as proposer, approver or referrer (no password: fast)."""
    return User.objects.get_or_create(username=username)[0]


def _decision(case: Case) -> Decision:
    decision = Decision.objects.filter(case=case, kind=DecisionKind.OUTCOME).first()
    if decision is None:
        proposer, approver = staff("stats-investigator"), staff("stats-aa")
        decision = Decision.objects.create(
            case=case,
            kind=DecisionKind.OUTCOME,
            rationale="Outcome after investigation",
            status=DecisionStatus.APPROVED,
            proposed_by=proposer,
            decided_by=approver,
            decided_at=case.finalised_at or timezone.now(),
        )
    return decision


def add_allegation(
    case: Case,
    cat: AllegationCategory,
    *outcomes,
    subjects=(),
    withdrawn=False,
    effective_on=None,
) -> Allegation:
    """``outcomes``: (finding, action, forum) per subject in order, or one for an allegation
    about the force's service (no subjects)."""
    number = case.allegations.count() + 1
    allegation = Allegation.objects.create(
        case=case,
        number=number,
        summary=f"Allegation {number}",
        category=cat,
        about_force=not subjects,
        withdrawn=withdrawn,
    )
    tracks = []
    for person in subjects:
        AllegationSubject.objects.create(allegation=allegation, person=person)
        track, _ = SubjectTrack.objects.get_or_create(
            case=case, person=person, defaults={"state": TrackState.OUTCOME}
        )
        tracks.append(track)
    effective_on = effective_on or (
        timezone.localtime(case.finalised_at).date() if case.finalised_at else None
    )
    for index, (finding, action, forum) in enumerate(outcomes):
        Outcome.objects.create(
            allegation=allegation,
            track=tracks[index] if tracks else None,
            decision=_decision(case),
            finding=finding,
            action=action,
            forum=forum,
            effective_on=effective_on,
            status=OutcomeStatus.APPROVED,
        )
    return allegation


def refer(case: Case, on: datetime.date, mode: str = "") -> IOPCReferral:
    return IOPCReferral.objects.create(
        case=case, referred_on=on, referred_by=staff("stats-investigator"), mode=mode
    )


def barred(person, case: Case, on: datetime.date, outcome=None) -> BarredListEntry:
    return BarredListEntry.objects.create(
        person=person,
        case=case,
        outcome=outcome,
        forename=person.forename,
        surname=person.surname,
        number=person.number,
        force=person.force.name,
        role_type=person.role_type,
        event_date=on,
        report_due=on + datetime.timedelta(days=7),
        reasons="Dismissed without notice for gross misconduct",
    )


def people(count: int, **kwargs):
    return [PersonFactory(**kwargs) for _ in range(count)]


__all__ = [
    "Action",
    "InvestigationMode",
    "add_allegation",
    "barred",
    "category",
    "london",
    "make_case",
    "people",
    "refer",
]
