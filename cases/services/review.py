"""Review of list entries made before the list rules were read against the law (issue 18):
which the corrected rules (cases/services/lists.py) would not have made, or would have made
otherwise. Read-only — a person decides what to do with each finding; nothing is deleted."""

from dataclasses import dataclass

from ..clocks import list_report_due
from ..models import (
    AdvisoryListEntry,
    BarredListEntry,
    CaseTransition,
    ListStatus,
    Outcome,
    OutcomeStatus,
    SubjectTrack,
    TrackState,
)
from .lists import advisory_exemption, counts_as_dismissal, dismissal_date, exemption_in


@dataclass(frozen=True)
class Finding:
    list: str  # "barred" or "advisory"
    entry_id: int | None  # None: an entry that is missing
    case: str
    person: str
    finding: str
    rule: str


def _track_of(entry) -> SubjectTrack | None:
    if entry.track_id:
        return entry.track
    return SubjectTrack.objects.filter(case_id=entry.case_id, person_id=entry.person_id).first()


def _state_when_made(entry, track: SubjectTrack) -> str:
    """The subject's state logged when the entry was made (the old service logged it as the
    ``advisory_list_entry`` transition); the present state when no such row is found."""
    logged = (
        CaseTransition.objects.filter(
            track=track, name="advisory_list_entry", at__lte=entry.created_at
        )
        .order_by("-at", "-pk")
        .first()
    )
    return logged.to_state if logged and logged.to_state in TrackState.values else track.state


def _would_have_been_dismissed(track: SubjectTrack) -> bool:
    return any(
        counts_as_dismissal(o)
        for o in Outcome.objects.filter(track=track, status=OutcomeStatus.APPROVED)
    )


def _advisory_findings() -> list[Finding]:
    findings = []
    old = AdvisoryListEntry.objects.filter(paragraph="", legacy=False).exclude(
        status=ListStatus.REMOVED
    )
    for entry in old.select_related("case", "track").order_by("pk"):
        track = _track_of(entry)
        if track is None:
            continue
        where = {
            "list": "advisory",
            "entry_id": entry.pk,
            "case": entry.case.reference if entry.case_id else "",
            "person": f"{entry.full_name} ({entry.number})",
        }
        state = _state_when_made(entry, track)
        sentence = exemption_in(state, track.severity)
        if sentence:
            findings.append(
                Finding(
                    **where,
                    finding=f"Made when the subject's stage was "
                    f"“{TrackState(state).label}”; the corrected rules make no entry. {sentence}",
                    rule="Police Act 1996 s88I(1)(a), (2)",
                )
            )
            continue
        concluded = track.state in TrackState.proceedings_concluded()
        if advisory_exemption(track) and (not concluded or not _would_have_been_dismissed(track)):
            findings.append(
                Finding(
                    **where,
                    finding=f"The subject's stage is now “{track.get_state_display()}”: a "
                    "further report (and removal from the advisory list) would be due.",
                    rule="Police Act 1996 s88L(1)",
                )
            )
    return findings


def _barred_findings() -> list[Finding]:
    findings = []
    entries = BarredListEntry.objects.filter(legacy=False, outcome__isnull=False).exclude(
        status=ListStatus.REMOVED
    )
    for entry in entries.select_related("case", "outcome__track").order_by("pk"):
        where = {
            "list": "barred",
            "entry_id": entry.pk,
            "case": entry.case.reference if entry.case_id else "",
            "person": f"{entry.full_name} ({entry.number})",
        }
        outcome = entry.outcome
        if outcome.status != OutcomeStatus.APPROVED or not counts_as_dismissal(outcome):
            findings.append(
                Finding(
                    **where,
                    finding=f"Its outcome is now {outcome.get_status_display().lower()} "
                    f"({outcome.get_action_display().lower()}): not a dismissal on record.",
                    rule="Police Act 1996 s88A(1)",
                )
            )
            continue
        date = dismissal_date(outcome)
        if date != entry.event_date:
            findings.append(
                Finding(
                    **where,
                    finding=f"The report clock ran from {entry.event_date:%d/%m/%Y}; the "
                    f"dismissal or finding was on {date:%d/%m/%Y} (report due "
                    f"{list_report_due(date):%d/%m/%Y}).",
                    rule="SI 2017/1135 reg 3(1)",
                )
            )
    missing = Outcome.objects.filter(
        status=OutcomeStatus.APPROVED, track__isnull=False, barred_list_entry__isnull=True
    ).select_related("track__person", "track__case")
    for outcome in missing.order_by("pk"):
        reported = BarredListEntry.objects.filter(
            outcome__track_id=outcome.track_id, outcome__decision_id=outcome.decision_id
        )  # one entry per person dismissed, whatever the number of allegations
        if counts_as_dismissal(outcome) and not reported.exists():
            person = outcome.track.person
            findings.append(
                Finding(
                    list="barred",
                    entry_id=None,
                    case=outcome.track.case.reference,
                    person=f"{person.full_name} ({person.number})",
                    finding=f"No barred list entry for the approved outcome "
                    f"“{outcome.get_action_display()}” of {dismissal_date(outcome):%d/%m/%Y}.",
                    rule="Police Act 1996 s88A(1)",
                )
            )
    return findings


def list_findings() -> list[Finding]:
    """Every finding, barred list first."""
    return _barred_findings() + _advisory_findings()
