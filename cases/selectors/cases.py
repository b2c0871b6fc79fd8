"""The case list: one case the user may see, the filtered and sorted list, and its pages
(keyset-paginated by ``psd.keyset``, the cursor the API's lists use too)."""

import datetime
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject, Left
from django.utils import timezone

from accounts.models import User
from deadlines.models import Deadline, Status
from psd.keyset import BadCursor, Keyset

from ..models import (
    Allegation,
    AllegationSubject,
    Case,
    ReflectivePractice,
    SubjectTrack,
)
from .search import search_cases
from .visibility import cases_visible_to

PAGE_SIZE = 25

# sort key -> (label, ordering: the keyset of the list's pages)
SORTS = {
    "-received": ("Newest received first", ["-received_on", "-id"]),
    "received": ("Oldest received first", ["received_on", "id"]),
    "reference": ("Reference A–Z", ["reference"]),
    "-reference": ("Reference Z–A", ["-reference"]),
}


def case_get(*, user: User, reference: str) -> Case:
    """The case, or Case.DoesNotExist when it does not exist *or* the user may not see it."""
    return (
        cases_visible_to(user)
        .select_related("investigator", "supervisor", "team", "created_by")
        .get(reference=reference)
    )


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


def case_list(*, user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the user may see that match the filters, in the chosen order."""
    cases = cases_visible_to(user).select_related("investigator", "team")
    if filters.q.strip():
        cases = search_cases(cases, filters.q)
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


@dataclass(frozen=True)
class NextDeadline:
    """A row's earliest open deadline, as the list shows it."""

    kind_name: str
    due_date: datetime.date


@dataclass(frozen=True)
class CaseRow:
    """What a list row shows (cases/views/case_list.py: rows_html) and its cursor needs, read
    as plain values: no model instances, no team."""

    pk: int
    reference: str
    case_type: str
    state: str
    received_on: datetime.date
    investigator_name: str  # as User.__str__ gives it; "" when unassigned
    next_deadline: NextDeadline | None
    summary: str = ""  # the first SNIPPET characters of the case's summary
    subjects: tuple[str, ...] = ()  # the subjects' names, each once, as the list shows them


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
    "snippet",
)
# Characters of the summary a row shows (one more tells the list to add an ellipsis).
SNIPPET = 140


def _row(
    pk, reference, case_type, state, received_on, who, first, last, username, deadline, snippet
):
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
        summary=snippet,
    )


def _subjects_of(rows: list[CaseRow]) -> list[CaseRow]:
    """The rows with their subjects' names: one query for the page (never one per row)."""
    names: dict[int, list[str]] = {row.pk: [] for row in rows}
    subjects = (
        AllegationSubject.objects.filter(allegation__case_id__in=list(names))
        .order_by("allegation__case_id", "allegation__number", "person__surname", "person_id")
        .values_list("allegation__case_id", "person__forename", "person__surname")
    )
    for case_id, forename, surname in subjects:
        name = f"{forename} {surname}"
        if name not in names[case_id]:
            names[case_id].append(name)
    return [replace(row, subjects=tuple(names[row.pk])) for row in rows]


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


def _keyset(sort: str) -> Keyset:
    return Keyset(Case, tuple(SORTS.get(sort, SORTS["-received"])[1]))


def case_list_page(
    *, user: User, filters: CaseFilters, cursor: str = "", size=PAGE_SIZE
) -> CasePage:
    """One page in one query: ``size + 1`` rows fetched to know whether there is a next page,
    each with its next deadline. A cursor this list did not write starts from the top."""
    cases = case_list(user=user, filters=filters)
    keyset = _keyset(filters.sort)
    if cursor:
        try:
            values, _ = keyset.decode(cursor)
        except BadCursor:
            pass
        else:
            cases = keyset.after(cases, values)
    values = cases.annotate(
        next_deadline_json=_next_deadline(), snippet=Left("summary", SNIPPET + 1)
    ).values_list(*_ROW_FIELDS)
    rows = [_row(*values) for values in values[: size + 1]]
    more = len(rows) > size
    rows = _subjects_of(rows[:size]) if rows else rows
    next_cursor = keyset.encode(keyset.values(rows[-1])) if more else None
    return CasePage(rows=rows, next_cursor=next_cursor)
