"""Barred and advisory list entries (Police Barred List and Police Advisory List Regs 2017)."""

import datetime

from django.db import transaction

from accounts.models import Person, PersonStatus, User
from psd.domain import DomainError

from .. import clocks
from ..models import (
    Action,
    AdvisoryListEntry,
    AdvisoryReason,
    BarredListEntry,
    Case,
    ListStatus,
    Outcome,
    State,
    SubjectTrack,
    TrackState,
)
from ._core import log_transition, require, today


def _identity(person: Person) -> dict:
    """The identity details the College report needs, as they are today."""
    return {
        "person": person,
        "forename": person.forename,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "rank": person.rank.name if person.rank else "",
        "number": person.number,
        "force": person.force.name,
        "role_type": person.get_role_type_display(),
    }


def barred_entries_for(outcomes: list[Outcome], *, actor: User) -> list[BarredListEntry]:
    """Reg 3: a dismissal or a 'would have been dismissed' finding creates a barred list
    entry, to be reported before the end of 5 working days beginning with the outcome date."""
    entries = []
    for outcome in outcomes:
        if outcome.action not in Action.dismissals() or outcome.track is None:
            continue
        if BarredListEntry.objects.filter(outcome=outcome).exists():
            continue
        person, allegation = outcome.track.person, outcome.allegation
        standards = ", ".join(s.name for s in allegation.standards.all())
        earlier = (
            AdvisoryListEntry.objects.filter(person=person)
            .exclude(status=ListStatus.REMOVED)
            .order_by("-event_date")
            .first()
        )
        entry = BarredListEntry.objects.create(
            **_identity(person),
            case=outcome.track.case,
            outcome=outcome,
            event_date=outcome.effective_on,
            report_due=clocks.list_report_due(outcome.effective_on),
            reasons=f"{allegation.summary}\n\nFinding: {outcome.get_finding_display()}. "
            f"{outcome.rationale}".strip(),
            standards_breached=standards,
            advisory_entry=earlier,
            created_by=actor,
        )
        clocks.list_entry_created(
            entry, kind="barred_list_report", owner=actor, escalate_to=outcome.track.case.supervisor
        )
        entries.append(entry)
    return entries


def advisory_entry_on_leaving(
    *, person: Person, status: str, left_on: datetime.date, actor: User | None
) -> list[AdvisoryListEntry]:
    """Reg 12: someone who resigns or retires while under investigation or proceedings."""
    if status not in (PersonStatus.RESIGNED, PersonStatus.RETIRED):
        return []
    open_tracks = (
        SubjectTrack.objects.select_for_update()
        .filter(person=person)
        .exclude(state__in=TrackState.concluded())
        .exclude(case__state__in=State.closed())
        .select_related("case")
    )
    entries = []
    for track in open_tracks:
        track.left_service_while_open = True
        track.save(update_fields=["left_service_while_open"])
        entry = AdvisoryListEntry.objects.create(
            **_identity(person),
            case=track.case,
            event_date=left_on,
            report_due=clocks.list_report_due(left_on),
            reason=AdvisoryReason.RESIGNED
            if status == PersonStatus.RESIGNED
            else AdvisoryReason.RETIRED,
            details=f"Left while subject of {track.case.reference} "
            f"({track.get_state_display().lower()}).",
            created_by=actor,
        )
        log_transition(
            track.case,
            name="advisory_list_entry",
            from_state=track.state,
            to_state=track.state,
            actor=actor,
            track=track,
            reason=f"{person.full_name} {status}; advisory list entry created",
        )
        clocks.list_entry_created(
            entry,
            kind="advisory_list_report",
            owner=track.case.investigator,
            escalate_to=track.case.supervisor,
        )
        entries.append(entry)
    return entries


def _lock_entry(entry):
    return type(entry).objects.select_for_update().get(pk=entry.pk)


def _kind_of(entry) -> str:
    return "barred_list_report" if isinstance(entry, BarredListEntry) else "advisory_list_report"


@transaction.atomic
def list_entry_mark_reported(*, actor: User, entry, reported_on: datetime.date | None = None):
    require(actor, "manage_lists")
    entry = _lock_entry(entry)
    reported_on = reported_on or today()
    if entry.status != ListStatus.TO_REPORT:
        raise DomainError("This entry has already been reported or removed.")
    if reported_on > today() or reported_on < entry.event_date:
        raise DomainError(
            "The report date must be between the event and today.", field="reported_on"
        )
    entry.status, entry.reported_on = ListStatus.REPORTED, reported_on
    entry.save(update_fields=["status", "reported_on"])
    clocks.list_entry_reported(entry, kind=_kind_of(entry), actor=actor)
    return entry


@transaction.atomic
def list_entry_remove(*, actor: User, entry, reason: str, removed_on: datetime.date | None = None):
    """Removal on appeal (reg 5 / reg 14), with the reason."""
    require(actor, "manage_lists")
    entry = _lock_entry(entry)
    if not reason.strip():
        raise DomainError("Give the reason for removal (e.g. the appeal decision).", field="reason")
    if entry.status == ListStatus.REMOVED:
        raise DomainError("This entry was already removed.")
    entry.status, entry.removed_on = ListStatus.REMOVED, removed_on or today()
    entry.removal_reason = reason
    entry.save(update_fields=["status", "removed_on", "removal_reason"])
    clocks.list_entry_removed(entry, kind=_kind_of(entry), actor=actor)
    if entry.case_id:
        log_transition(
            Case.objects.get(pk=entry.case_id),
            name="list_entry_removed",
            from_state="",
            to_state="",
            actor=actor,
            reason=f"{entry} removed: {reason}",
        )
    return entry
