"""Reads of vetting data. Callers have checked the vetting permissions (views, sections)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import PersonStatus
from cases.selectors import list_lookup

from .models import (
    ApplicationStatus,
    CheckResult,
    Clearance,
    ClearanceStatus,
    ListMatchResolution,
    ListType,
    MatchResolution,
    RefusalReason,
    RevettingTrigger,
    TriggerKind,
    VettingApplication,
    VettingCheck,
)


def application_queue(*, status: str | None = None) -> QuerySet[VettingApplication]:
    """Applications, undecided first by date received (the vetting queue)."""
    applications = VettingApplication.objects.select_related(
        "applicant", "person", "level", "post", "refusal_proposed_by"
    )
    if status:
        return applications.filter(status=status)
    return applications.filter(status__in=ApplicationStatus.undecided())


def application_get(*, pk: int) -> VettingApplication:
    return (
        VettingApplication.objects.select_related(
            "applicant__person",
            "person__line_manager",
            "level",
            "post",
            "refusal_reason",
            "refusal_proposed_by",
            "decided_by",
        )
        .prefetch_related(
            Prefetch("check_results", queryset=_results()),
            Prefetch(
                "list_resolutions",
                queryset=ListMatchResolution.objects.select_related("resolved_by"),
            ),
        )
        .get(pk=pk)
    )


def _results():
    return CheckResult.objects.select_related("check_item", "done_by")


def checklist(application: VettingApplication) -> list[dict]:
    """Every active check with its recorded result (or None)."""
    done = {result.check_item_id: result for result in application.check_results.all()}
    return [
        {"check": check, "result": done.get(check.pk)}
        for check in VettingCheck.objects.filter(Q(active=True) | Q(pk__in=done))
    ]


def missing_mandatory_checks(application: VettingApplication) -> list[VettingCheck]:
    return list(
        VettingCheck.objects.filter(mandatory=True, active=True).exclude(
            pk__in=application.check_results.values("check_item_id")
        )
    )


@dataclass
class ListMatch:
    entry_type: str
    entry: object
    resolution: ListMatchResolution | None

    @property
    def entry_type_label(self) -> str:
        return ListType(self.entry_type).label

    @property
    def is_unresolved(self) -> bool:
        return self.resolution is None

    @property
    def is_same_person(self) -> bool:
        return bool(self.resolution) and self.resolution.resolution == MatchResolution.SAME_REFUSE


def _entry_type(entry) -> str:
    return ListType.BARRED if type(entry).__name__ == "BarredListEntry" else ListType.ADVISORY


def list_matches(application: VettingApplication) -> list[ListMatch]:
    """Barred and advisory list entries that may be the subject (name + date of birth, fuzzy
    on the name), each with how it was resolved. Vetting APP: check both lists."""
    subject = application.subject
    entries = list_lookup(
        forename=subject.forename, surname=subject.surname, date_of_birth=subject.date_of_birth
    )
    resolutions = {
        (r.entry_type, r.entry_id): r
        for r in ListMatchResolution.objects.filter(application=application).select_related(
            "resolved_by"
        )
    }
    matches = []
    for entry in entries:
        kind = _entry_type(entry)
        matches.append(ListMatch(kind, entry, resolutions.get((kind, entry.pk))))
    return matches


def clearances_for(*, person) -> QuerySet[Clearance]:
    return (
        Clearance.objects.filter(person=person)
        .select_related("level")
        .prefetch_related("events__by")
    )


def triggers_for(*, person) -> QuerySet[RevettingTrigger]:
    return RevettingTrigger.objects.filter(person=person).select_related("post", "raised_by")


def applications_for(*, person) -> QuerySet[VettingApplication]:
    return VettingApplication.objects.filter(
        Q(person=person) | Q(applicant__person=person)
    ).select_related("level", "post")


# --- Due for re-vetting ---------------------------------------------------------------------
def revetting_due(person) -> datetime.date | None:
    """The date re-vetting is due: the earliest expiry of the person's managed clearances
    (active, suspended, or expired and not yet replaced) and open triggers."""
    expiries = Clearance.objects.filter(
        person=person,
        level__recorded_only=False,
        expires_on__isnull=False,
        status__in=ClearanceStatus.current() | {ClearanceStatus.EXPIRED},
    ).values_list("expires_on", flat=True)
    triggers = RevettingTrigger.objects.filter(person=person, closed_on__isnull=True).values_list(
        "due_on", flat=True
    )
    return min([*expiries, *triggers], default=None)


@dataclass
class DueRow:
    person: object
    due_on: datetime.date
    reason: str
    kind: str  # "expiry" or a TriggerKind value
    level: object | None
    status: str

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


DUE_KINDS = {"expiry": "Clearance expiry", **dict(TriggerKind.choices)}


def due_for_revetting(
    *,
    within_days: int | None = 90,
    overdue_only: bool = False,
    level: str = "",
    kind: str = "",
    department_id: int | None = None,
) -> list[DueRow]:
    """Re-vettings due: expiring managed clearances and open triggers, earliest first.
    ``within_days`` None means any date; ``overdue_only`` keeps those past their date."""
    today = timezone.localdate()
    horizon = (
        today - datetime.timedelta(days=1)
        if overdue_only
        else (today + datetime.timedelta(days=within_days) if within_days is not None else None)
    )
    rows: list[DueRow] = []
    serving = Q(person__status__in=[PersonStatus.SERVING, PersonStatus.SUSPENDED])
    if kind in ("", "expiry"):
        clearances = Clearance.objects.filter(
            serving,
            level__recorded_only=False,
            expires_on__isnull=False,
            status__in=ClearanceStatus.current() | {ClearanceStatus.EXPIRED},
        ).select_related("person__rank", "person__department", "level")
        if horizon:
            clearances = clearances.filter(expires_on__lte=horizon)
        if level:
            clearances = clearances.filter(level__code=level)
        if department_id:
            clearances = clearances.filter(person__department_id=department_id)
        for c in clearances:
            rows.append(
                DueRow(
                    c.person,
                    c.expires_on,
                    f"{c.level.label} clearance expires",
                    "expiry",
                    c.level,
                    c.get_status_display(),
                )
            )
    if kind != "expiry":
        triggers = RevettingTrigger.objects.filter(serving, closed_on__isnull=True).select_related(
            "person__rank", "person__department"
        )
        if kind:
            triggers = triggers.filter(kind=kind)
        if horizon:
            triggers = triggers.filter(due_on__lte=horizon)
        if department_id:
            triggers = triggers.filter(person__department_id=department_id)
        held = _held_levels([t.person_id for t in triggers])
        for t in triggers:
            if level and getattr(held.get(t.person_id), "code", None) != level:
                continue
            rows.append(
                DueRow(t.person, t.due_on, t.reason, t.kind, held.get(t.person_id), "Open trigger")
            )
    rows.sort(key=lambda row: (row.due_on, row.person.surname, row.person.pk))
    return rows


def _held_levels(person_ids: list[int]) -> dict:
    held = {}
    for c in (
        Clearance.objects.filter(person_id__in=person_ids, status__in=ClearanceStatus.current())
        .select_related("level")
        .order_by("level__order")
    ):
        held[c.person_id] = c.level  # highest level wins (ordered ascending)
    return held


# --- Figures --------------------------------------------------------------------------------
def figures(*, today: datetime.date | None = None) -> dict:
    """The vetting officer's dashboard: refusals this year by reason, clearances expiring in
    the next 90 days, overdue re-vettings, and expired clearances of serving people (a risk).
    """
    today = today or timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    refused = (
        RefusalReason.objects.annotate(
            count=Count(
                "applications",
                filter=Q(
                    applications__status=ApplicationStatus.REFUSED,
                    applications__decided_on__gte=year_start,
                    applications__decided_on__lte=today,
                ),
            )
        )
        .filter(count__gt=0)
        .order_by("-count", "order")
    )
    serving = Q(person__status__in=[PersonStatus.SERVING, PersonStatus.SUSPENDED])
    expiring = Clearance.objects.filter(
        serving,
        level__recorded_only=False,
        status__in=ClearanceStatus.current(),
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=90),
    ).count()
    overdue_triggers = RevettingTrigger.objects.filter(
        serving, closed_on__isnull=True, due_on__lt=today
    )
    expired = expired_risks()
    overdue_people = set(overdue_triggers.values_list("person_id", flat=True)) | set(
        expired.values_list("person_id", flat=True)
    )
    return {
        "year": today.year,
        "refused_by_reason": list(refused),
        "refused_total": sum(reason.count for reason in refused),
        "expiring_90": expiring,
        "overdue": len(overdue_people),
        "expired_risks": expired.count(),
    }


def expired_risks() -> QuerySet[Clearance]:
    """Serving people whose managed clearance expired and was not replaced: a risk."""
    later = Clearance.objects.filter(
        person=OuterRef("person"),
        status__in=ClearanceStatus.current(),
        level__recorded_only=False,
    )
    return (
        Clearance.objects.filter(
            status=ClearanceStatus.EXPIRED,
            level__recorded_only=False,
            person__status__in=[PersonStatus.SERVING, PersonStatus.SUSPENDED],
        )
        .exclude(Exists(later))
        .select_related("person", "level")
    )
