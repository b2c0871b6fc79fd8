"""A person's history across the cases the user may see (the person page's cases section)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from accounts.models import Person, User
from deadlines.calendar import add_months

from ..models import (
    AdvisoryListEntry,
    Allegation,
    AllegationSubject,
    BarredListEntry,
    Outcome,
    OutcomeStatus,
    ReflectivePractice,
    SubjectTrack,
)
from .visibility import cases_visible_to


@dataclass
class PersonHistory:
    tracks: list
    allegations: list
    outcomes: list
    live_outcomes: list
    rprps: list
    barred: list
    advisory: list
    early_intervention: bool
    recent_allegations: int


@dataclass(frozen=True)
class EarlyIntervention:
    """A person who reached the early-intervention threshold: ``count`` allegations in the
    last ``months`` months."""

    person: Person
    count: int
    months: int
    threshold: int


def recent_allegation_counts(*, person_ids) -> dict[int, int]:
    """Allegations about each person in the early-intervention period, in one query.

    Every allegation counts, visible to the user or not: a pattern across teams is the point.
    Only the count is ever shown, never the hidden cases."""
    if not person_ids:
        return {}
    since = add_months(timezone.localdate(), -settings.PSD_EARLY_INTERVENTION_MONTHS)
    rows = (
        AllegationSubject.objects.filter(
            person_id__in=person_ids, allegation__case__received_on__gte=since
        )
        .values("person_id")
        .annotate(n=Count("allegation_id", distinct=True))
    )
    return {row["person_id"]: row["n"] for row in rows}


def early_intervention_list(*, people) -> list[EarlyIntervention]:
    """The people among ``people`` at or over the early-intervention threshold (one query)."""
    people = list(people)
    counts = recent_allegation_counts(person_ids=[p.pk for p in people])
    threshold = settings.PSD_EARLY_INTERVENTION_ALLEGATIONS
    months = settings.PSD_EARLY_INTERVENTION_MONTHS
    return [
        EarlyIntervention(p, counts[p.pk], months, threshold)
        for p in people
        if counts.get(p.pk, 0) >= threshold
    ]


def person_history_get(*, user: User, person: Person, show_lists: bool) -> PersonHistory:
    visible = cases_visible_to(user)
    today = timezone.localdate()
    tracks = list(
        SubjectTrack.objects.filter(person=person, case__in=visible)
        .select_related("case")
        .order_by("-case__received_on", "-pk")
    )
    allegations = list(
        Allegation.objects.filter(subjects=person, case__in=visible)
        .select_related("case", "category__parent")
        .order_by("-case__received_on", "number")
    )
    outcomes = list(
        Outcome.objects.filter(
            track__person=person, track__case__in=visible, status=OutcomeStatus.APPROVED
        )
        .select_related("allegation__case", "staff_outcome")
        .order_by("-effective_on", "-pk")
    )
    live = [o for o in outcomes if o.live_until and o.live_until >= today]
    rprps = list(
        ReflectivePractice.objects.filter(track__person=person, track__case__in=visible)
        .select_related("track__case")
        .order_by("-notice_on")
    )
    barred = list(BarredListEntry.objects.filter(person=person)) if show_lists else []
    advisory = list(AdvisoryListEntry.objects.filter(person=person)) if show_lists else []
    recent = recent_allegation_counts(person_ids=[person.pk]).get(person.pk, 0)
    return PersonHistory(
        tracks=tracks,
        allegations=allegations,
        outcomes=outcomes,
        live_outcomes=live,
        rprps=rprps,
        barred=barred,
        advisory=advisory,
        early_intervention=recent >= settings.PSD_EARLY_INTERVENTION_ALLEGATIONS,
        recent_allegations=recent,
    )
