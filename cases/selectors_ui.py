"""Reads for the web pages: the filtered case list (keyset-paginated), the case page's
timeline, a person's history and the dashboard panels. Every read starts from
``cases_visible_to`` so permissions are applied in SQL."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, JSONObject
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person, User
from deadlines.calendar import add_months
from deadlines.models import Deadline, Status

from .models import (
    AdvisoryListEntry,
    Allegation,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseDocument,
    Complainant,
    Decision,
    DecisionStatus,
    NoteVisibility,
    Outcome,
    OutcomeStatus,
    ReflectivePractice,
    State,
    SubjectTrack,
)
from .selectors import cases_visible_to, decisions_awaiting, notes_visible_to

PAGE_SIZE = 25

# sort key -> (ordering, cursor fields)
SORTS = {
    "-received": ("Newest received first", ["-received_on", "-id"]),
    "received": ("Oldest received first", ["received_on", "id"]),
    "reference": ("Reference A–Z", ["reference"]),
    "-reference": ("Reference Z–A", ["-reference"]),
}


@dataclass
class CaseFilters:
    q: str = ""
    state: str = ""
    case_type: str = ""
    investigator: User | None = None
    category: object | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    overdue: bool = False
    sort: str = "-received"


def _open_overdue(today: datetime.date, model) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        status=Status.OPEN,
        due_date__lt=today,
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
    )


def _overdue_filter(today: datetime.date) -> Q:
    """Open deadline past due on the case, one of its subject tracks or their RPRP."""
    tracks = SubjectTrack.objects.filter(case=OuterRef("pk")).filter(
        Exists(_open_overdue(today, SubjectTrack))
    )
    rprps = ReflectivePractice.objects.filter(track__case=OuterRef("pk")).filter(
        Exists(_open_overdue(today, ReflectivePractice))
    )
    return Q(Exists(_open_overdue(today, Case))) | Q(Exists(tracks)) | Q(Exists(rprps))


def _search_filter(q: str) -> Q:
    """Reference, complainant name/organisation, subject name or number."""
    term = q.strip()
    complainants = Complainant.objects.filter(case=OuterRef("pk"), anonymous=False).filter(
        Q(name__icontains=term) | Q(organisation__icontains=term)
    )
    subjects = (
        AllegationSubject.objects.filter(allegation__case=OuterRef("pk"))
        .annotate(
            whole_name=Concat("person__forename", Value(" "), "person__surname"),
        )
        .filter(
            Q(person__number__iexact=term)
            | Q(person__surname__icontains=term)
            | Q(whole_name__icontains=term)
        )
    )
    return Q(reference__icontains=term) | Q(Exists(complainants)) | Q(Exists(subjects))


def case_search(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the user may see that match the filters, in the chosen order."""
    cases = cases_visible_to(user).select_related("investigator", "team")
    if filters.q.strip():
        cases = cases.filter(_search_filter(filters.q))
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.investigator:
        cases = cases.filter(investigator=filters.investigator)
    if filters.category:
        in_category = Allegation.objects.filter(case=OuterRef("pk")).filter(
            Q(category=filters.category) | Q(category__parent=filters.category)
        )
        cases = cases.filter(Exists(in_category))
    if filters.received_from:
        cases = cases.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_on__lte=filters.received_to)
    if filters.overdue:
        cases = cases.filter(_overdue_filter(timezone.localdate()))
    ordering = SORTS.get(filters.sort, SORTS["-received"])[1]
    return cases.order_by(*ordering)


def encode_cursor(case, sort: str) -> str:
    if sort in ("reference", "-reference"):
        return case.reference
    return f"{case.received_on.isoformat()}.{case.pk}"


def _after_cursor(cases: QuerySet[Case], sort: str, cursor: str) -> QuerySet[Case]:
    """Rows strictly after the cursor in the sort order (keyset: no OFFSET)."""
    if sort in ("reference", "-reference"):
        lookup = "reference__lt" if sort == "-reference" else "reference__gt"
        return cases.filter(**{lookup: cursor})
    try:
        day, pk = cursor.split(".", 1)
        day, pk = datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return cases
    # The plain range condition lets PostgreSQL start the index scan at the cursor (an OR
    # alone makes it walk the index from the top: slow on deep pages).
    if sort == "received":
        return cases.filter(received_on__gte=day).filter(
            Q(received_on__gt=day) | Q(received_on=day, id__gt=pk)
        )
    return cases.filter(received_on__lte=day).filter(
        Q(received_on__lt=day) | Q(received_on=day, id__lt=pk)
    )


@dataclass(frozen=True)
class NextDeadline:
    """A row's earliest open deadline, as the list shows it."""

    kind_name: str
    due_date: datetime.date


@dataclass(frozen=True)
class CaseRow:
    """What a list row shows (cases/views/case_list.py: rows_html) and its cursor needs, read
    as plain values: no model instances, no summary, no team."""

    pk: int
    reference: str
    case_type: str
    state: str
    received_on: datetime.date
    investigator_name: str  # as User.__str__ gives it; "" when unassigned
    next_deadline: NextDeadline | None


@dataclass
class CasePage:
    rows: list[CaseRow]
    next_cursor: str | None


_ROW_FIELDS = (
    "pk",
    "reference",
    "case_type",
    "state",
    "received_on",
    "investigator_id",
    "investigator__first_name",
    "investigator__last_name",
    "investigator__username",
    "next_deadline_json",
)


def _row(pk, reference, case_type, state, received_on, who, first, last, username, deadline):
    return CaseRow(
        pk=pk,
        reference=reference,
        case_type=case_type,
        state=state,
        received_on=received_on,
        investigator_name=(f"{first} {last}".strip() or username) if who else "",
        next_deadline=(
            NextDeadline(deadline["kind"], datetime.date.fromisoformat(deadline["due"][:10]))
            if deadline
            else None
        ),
    )


def _next_deadline() -> Subquery:
    """The case's earliest open deadline (kind and due date) as one JSON value, read in the
    page's own query (PostgreSQL evaluates it for the rows returned only)."""
    deadlines = (
        Deadline.objects.filter(
            status=Status.OPEN,
            content_type=ContentType.objects.get_for_model(Case),
            object_id=OuterRef("pk"),
        )
        .order_by("due_date", "pk")
        .values(next=JSONObject(kind="kind__name", due="due_date"))[:1]
    )
    return Subquery(deadlines, output_field=JSONField())


def case_page(*, user: User, filters: CaseFilters, cursor: str = "", size=PAGE_SIZE) -> CasePage:
    """One page in one query: ``size + 1`` rows fetched to know whether there is a next page,
    each with its next deadline."""
    cases = case_search(user=user, filters=filters)
    if cursor:
        cases = _after_cursor(cases, filters.sort, cursor)
    values = cases.annotate(next_deadline_json=_next_deadline()).values_list(*_ROW_FIELDS)
    rows = [_row(*values) for values in values[: size + 1]]
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(rows[-1], filters.sort) if more else None
    return CasePage(rows=rows, next_cursor=next_cursor)


def role_holders(role) -> QuerySet[User]:
    """Active users holding ``role`` (a ``Role``), by name: who a case may be given to."""
    return User.objects.filter(is_active=True, groups__name=role.label).order_by(
        "last_name", "first_name", "username"
    )


def investigator_choices() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="change_case")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- The case page -----------------------------------------------------------------------


def case_allegations(case: Case) -> QuerySet[Allegation]:
    return case.allegations.select_related("category__parent").prefetch_related(
        "standards",
        Prefetch("subjects", queryset=Person.objects.select_related("rank")),
    )


def case_tracks(case: Case) -> list[SubjectTrack]:
    return list(case.tracks.select_related("person__rank", "rprp").order_by("pk"))


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


def case_timeline(
    case: Case, tracks: list[SubjectTrack], deadlines: list, decisions: list, *, user: User
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


def case_deadlines(case: Case, tracks: list[SubjectTrack]) -> list[Deadline]:
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


def case_decisions(case: Case) -> list[Decision]:
    return list(
        case.decisions.select_related("proposed_by", "decided_by").prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("allegation", "track__person__rank"),
            )
        )
    )


# --- A person's history (the person page section) ----------------------------------------


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


def person_history(*, user: User, person: Person, show_lists: bool) -> PersonHistory:
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
        .select_related("allegation__case")
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


# --- Dashboards --------------------------------------------------------------------------


def my_cases(*, user: User, limit: int = 10) -> list[Case]:
    return list(
        cases_visible_to(user)
        .filter(investigator=user)
        .exclude(state__in=State.closed())
        .order_by("-received_on", "-id")[:limit]
    )


def my_deadlines(*, user: User, within_days: int = 14, limit: int = 10) -> list[Deadline]:
    """Open deadlines I own that are overdue or due within ``within_days``."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return list(
        Deadline.objects.filter(owner=user, status=Status.OPEN, due_date__lte=horizon)
        .select_related("kind")
        .order_by("due_date", "pk")[:limit]
    )


def my_pending_proposals(*, user: User) -> list[Decision]:
    return list(
        Decision.objects.filter(proposed_by=user, status=DecisionStatus.PENDING)
        .select_related("case")
        .order_by("proposed_at")
    )


def team_cases(*, user: User, limit: int = 10) -> tuple[int, list[Case]]:
    cases = cases_visible_to(user).exclude(state__in=State.closed())
    if user.team_id:
        cases = cases.filter(team_id=user.team_id)
    return cases.count(), list(
        cases.select_related("investigator").order_by("-received_on", "-id")[:limit]
    )


def approvals_count(*, user: User) -> int:
    return decisions_awaiting(user=user).count()


# --- Approval queue ----------------------------------------------------------------------


def approval_queue(*, user: User) -> list[Decision]:
    """Proposals the user could approve, with what they would approve, in a fixed number
    of queries."""
    return list(
        decisions_awaiting(user=user)
        .select_related("case__investigator")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("allegation", "track__person__rank"),
            )
        )
    )


def decision_visible(*, user: User, pk: int) -> Decision | None:
    return (
        Decision.objects.filter(pk=pk, case__in=cases_visible_to(user))
        .select_related("case", "proposed_by")
        .first()
    )
