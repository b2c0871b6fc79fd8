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
from deadlines.models import Deadline

from ..models import (
    Allegation,
    Case,
    CaseDocument,
    Decision,
    NoteVisibility,
    Outcome,
    ReflectivePractice,
    SubjectTrack,
)
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
    kind: str
    title: str
    detail: str = ""
    who: object = None
    link: str = ""


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline_list(
    *, user: User, case: Case, tracks: list[SubjectTrack], deadlines: list, decisions: list
) -> list[TimelineEntry]:
    """Transitions, notes, documents, deadlines, referrals and decisions, newest first.
    A fixed number of queries whatever the size of the case."""
    entries: list[TimelineEntry] = []
    for t in case.transitions.select_related("actor", "track__person"):
        who = f" ({t.track.person.full_name})" if t.track_id else ""
        change = (
            f"{t.from_state or '–'} → {t.to_state}" if t.from_state != t.to_state else t.to_state
        )
        entries.append(
            TimelineEntry(
                t.at,
                "transition",
                f"{t.name.replace('_', ' ').capitalize()}{who}",
                f"{change}. {t.reason}".strip(),
                t.actor,
            )
        )
    for note in notes_visible_to(user, case):
        title = "Note (PSD heads only)" if note.visibility == NoteVisibility.HEADS else "Note"
        entries.append(TimelineEntry(note.created_at, "note", title, note.text, note.author))
    for doc in CaseDocument.objects.filter(case=case).select_related("uploaded_by"):
        entries.append(
            TimelineEntry(
                doc.uploaded_at,
                "document",
                f"Document: {doc.original_name}",
                doc.description,
                doc.uploaded_by,
                reverse("cases:document", args=[case.reference, doc.pk]),
            )
        )
    for deadline in deadlines:
        entries.append(
            TimelineEntry(
                deadline.created_at,
                "deadline",
                f"Deadline: {deadline.kind.name}",
                f"{deadline.label} – due {deadline.due_date:%d %b %Y} "
                f"({deadline.get_status_display().lower()})",
                deadline.owner,
            )
        )
    for referral in case.referrals.select_related("referred_by"):
        entries.append(
            TimelineEntry(
                _at(referral.referred_on),
                "referral",
                "Referred to the IOPC",
                referral.iopc_reference,
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
    for decision in decisions:
        entries.append(
            TimelineEntry(
                decision.proposed_at,
                "decision",
                f"Proposed: {decision.get_kind_display()}",
                decision.rationale,
                decision.proposed_by,
            )
        )
        if decision.decided_at:
            entries.append(
                TimelineEntry(
                    decision.decided_at,
                    "decision",
                    f"{decision.get_status_display()}: {decision.get_kind_display()}",
                    decision.decision_reason,
                    decision.decided_by,
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
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
        Deadline.objects.filter(targets).select_related("kind", "owner").order_by("due_date", "pk")
    )


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
