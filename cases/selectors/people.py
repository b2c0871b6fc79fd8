"""A person's history across the cases the user may see (the person page's cases section)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import Person, User
from deadlines.calendar import add_months

from ..models import (
    AdvisoryListEntry,
    Allegation,
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
    # Early intervention counts every allegation about the person, visible or not: a pattern
    # across teams is the point. Only the count is shown, never the hidden cases.
    since = add_months(today, -settings.PSD_EARLY_INTERVENTION_MONTHS)
    recent = Allegation.objects.filter(subjects=person, case__received_on__gte=since).count()
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
