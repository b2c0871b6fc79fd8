"""Reads of one case's page (the case is already visible to the user: ``case_get``): its
allegations, subjects, deadlines and proposals, and the timeline built from them. Each is a
fixed number of queries whatever the size of the case."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person, User
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline, Unit

from ..models import (
    Allegation,
    Case,
    CaseDocument,
    CaseNote,
    CaseTransition,
    Decision,
    NoteVisibility,
    Outcome,
    ReflectivePractice,
    SubjectTrack,
)
from ..timeline import KINDS, transition_detail, transition_title
from .visibility import notes_visible_to


def allegation_list(*, case: Case) -> QuerySet[Allegation]:
    return case.allegations.select_related("category__parent").prefetch_related(
        "standards",
        Prefetch("subjects", queryset=Person.objects.select_related("rank")),
    )


def track_list(*, case: Case) -> list[SubjectTrack]:
    return list(
        case.tracks.select_related("person__rank", "rprp")
        .prefetch_related("appeals")
        .order_by("pk")
    )


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # a key of cases.timeline.KINDS
    title: str
    detail: str = ""
    who: object = None
    link: str = ""

    @property
    def group(self) -> str:
        """The timeline filter the entry belongs to (decisions, notes, documents...)."""
        return KINDS[self.kind]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class Records:
    """The notes the user may read and the documents of the case (loaded once, listed in
    their own tables and on the timeline)."""

    notes: list[CaseNote]
    documents: list[CaseDocument]


def records_get(*, user: User, case: Case) -> Records:
    return Records(
        notes=list(notes_visible_to(user, case)),
        documents=list(CaseDocument.objects.filter(case=case).select_related("uploaded_by")),
    )


def subject_of_deadline(deadline: Deadline, tracks: list[SubjectTrack]) -> SubjectTrack | None:
    """The subject a deadline runs against (their track or reflective practice), or None."""
    model = deadline.content_type.model_class()
    for track in tracks:
        if model is SubjectTrack and deadline.object_id == track.pk:
            return track
        rprp = _rprp(track)
        if model is ReflectivePractice and rprp and deadline.object_id == rprp.pk:
            return track
    return None


def timeline_list(
    *,
    case: Case,
    records: Records,
    tracks: list[SubjectTrack],
    deadlines: list,
    decisions: list,
) -> list[TimelineEntry]:
    """Steps, notes, documents, deadlines, referrals and decisions in plain English, newest
    first. A fixed number of queries whatever the size of the case."""
    entries = [_step(t) for t in case.transitions.select_related("actor", "track__person__rank")]
    for note in records.notes:
        title = "Note (PSD heads only)" if note.visibility == NoteVisibility.HEADS else "Note"
        entries.append(TimelineEntry(note.created_at, "note", title, note.text, note.author))
    for doc in records.documents:
        entries.append(
            TimelineEntry(
                doc.uploaded_at,
                "document",
                f"Document uploaded: {doc.original_name}",
                doc.description,
                doc.uploaded_by,
                reverse("cases:document", args=[case.reference, doc.pk]),
            )
        )
    entries += _deadline_entries(deadlines, tracks)
    entries += _referral_entries(case)
    entries += _decision_entries(decisions)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _step(t: CaseTransition) -> TimelineEntry:
    person = t.track.person.rank_and_name if t.track_id else ""
    return TimelineEntry(
        t.at,
        "transition",
        transition_title(t.name, person),
        transition_detail(t.from_state, t.to_state, t.reason, track=bool(t.track_id)),
        t.actor,
    )


def _deadline_entries(deadlines: list, tracks: list[SubjectTrack]) -> list[TimelineEntry]:
    entries = []
    for deadline in deadlines:
        track = subject_of_deadline(deadline, tracks)
        whose = f" – {track.person.rank_and_name}" if track else ""
        name = f"{deadline.kind.name}{whose}"
        entries.append(
            TimelineEntry(
                deadline.created_at,
                "deadline",
                f"Deadline set: {name}",
                f"Due {deadline.due_date.day} {deadline.due_date:%B %Y}.",
                deadline.owner,
            )
        )
        if deadline.met_at:
            late = " (late)" if deadline.met_late else ""
            entries.append(
                TimelineEntry(deadline.met_at, "deadline", f"Deadline met{late}: {name}")
            )
        if deadline.cancelled_at:
            entries.append(
                TimelineEntry(
                    deadline.cancelled_at,
                    "deadline",
                    f"Deadline closed: {name}",
                    deadline.cancelled_reason,
                )
            )
    return entries


def _referral_entries(case: Case) -> list[TimelineEntry]:
    entries = []
    for referral in case.referrals.select_related("referred_by"):
        reference = f"IOPC reference {referral.iopc_reference}." if referral.iopc_reference else ""
        entries.append(
            TimelineEntry(
                _at(referral.referred_on),
                "referral",
                "Referral sent to the IOPC",
                reference,
                referral.referred_by,
            )
        )
        if referral.decision_on:
            entries.append(
                TimelineEntry(
                    _at(referral.decision_on),
                    "referral",
                    f"IOPC decision: {referral.get_mode_display()}",
                    referral.decision_notes,
                )
            )
    return entries


def _decision_entries(decisions: list) -> list[TimelineEntry]:
    entries = []
    for decision in decisions:
        kind = decision.get_kind_display()
        entries.append(
            TimelineEntry(
                decision.proposed_at,
                "decision",
                f"Proposed for approval: {kind}",
                decision.rationale,
                decision.proposed_by,
            )
        )
        if decision.decided_at:
            verdict = {"approved": "Approved", "refused": "Refused"}.get(
                decision.status, decision.get_status_display()
            )
            entries.append(
                TimelineEntry(
                    decision.decided_at,
                    "decision",
                    f"{verdict}: {kind}",
                    decision.decision_reason,
                    decision.decided_by,
                )
            )
    return entries


def case_deadline_list(*, case: Case, tracks: list[SubjectTrack]) -> list[Deadline]:
    """Every deadline of the case, its tracks and their RPRPs, in one query."""
    targets = Q(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
    if tracks:
        targets |= Q(
            content_type=ContentType.objects.get_for_model(SubjectTrack),
            object_id__in=[t.pk for t in tracks],
        )
        rprp_ids = [t.rprp.pk for t in tracks if _rprp(t)]
        if rprp_ids:
            targets |= Q(
                content_type=ContentType.objects.get_for_model(ReflectivePractice),
                object_id__in=rprp_ids,
            )
    return list(
        Deadline.objects.filter(targets)
        .select_related("kind", "owner", "content_type")
        .order_by("due_date", "pk")
    )


@dataclass
class DeadlineRow:
    """An open deadline as the case page shows it: whose it is and how long is left."""

    deadline: Deadline
    subject: SubjectTrack | None
    days_left: int  # working days (calendar days for a calendar-day clock); < 0: overdue
    working: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def time_left(self) -> str:
        unit = "working day" if self.working else "day"
        n = abs(self.days_left)
        plural = "" if n == 1 else "s"
        if self.days_left < 0:
            return f"Overdue by {n} {unit}{plural}"
        if self.days_left == 0:
            return "Due today"
        return f"{n} {unit}{plural} left"


def deadline_rows(
    deadlines: list[Deadline], tracks: list[SubjectTrack], today: datetime.date
) -> list[DeadlineRow]:
    """The open deadlines, soonest first, each with its subject and the time left (one query
    for the calendar's extra non-working days, none when nothing is open)."""
    open_ = [d for d in deadlines if d.status == "open"]
    if not open_:
        return []
    calendar = WorkingCalendar.load()
    rows = []
    for deadline in sorted(open_, key=lambda d: (d.due_date, d.pk)):
        working = deadline.kind.unit == Unit.WORKING_DAYS
        if working:
            left = calendar.working_days_between(today, deadline.due_date)
            if deadline.due_date < today:  # overdue: count the working days since
                left = min(left, -1)
        else:
            left = (deadline.due_date - today).days
        rows.append(DeadlineRow(deadline, subject_of_deadline(deadline, tracks), left, working))
    return rows


def _rprp(track: SubjectTrack) -> ReflectivePractice | None:
    try:
        return track.rprp
    except ReflectivePractice.DoesNotExist:
        return None


def decision_list(*, case: Case) -> list[Decision]:
    return list(
        case.decisions.select_related("proposed_by", "decided_by").prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related(
                    "allegation", "track__person__rank", "staff_outcome"
                ),
            )
        )
    )
