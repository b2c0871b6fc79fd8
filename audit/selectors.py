"""Reads of the audit trail for the auditors' search page (keyset pagination on ``seq``)."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry

PAGE_SIZE = 50
PERSON_TABLE = "accounts_person"
CASE_TABLE = "cases_case"


@dataclass
class AuditFilters:
    person_id: int | None = None
    case: str = ""
    table: str = ""
    object_pk: str = ""
    label: str = ""
    username: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    action: str = ""
    kind: str = ""
    extra: dict = field(default_factory=dict)


def _related_to(table: str, foreign_key: str, pk: int) -> Q:
    """Entries about the record itself, or about rows that point at it (new or old value)."""
    return (
        Q(table_name=table, object_pk=str(pk))
        | Q(**{f"new_row__{foreign_key}": pk})
        | Q(**{f"old_row__{foreign_key}": pk})
    )


def case_pk_for(value: str) -> int | None:
    """A case id, or the id of the case with this reference (None if there is none)."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    if not apps.is_installed("cases"):
        return None
    Case = apps.get_model("cases", "Case")
    return Case._base_manager.filter(reference__iexact=value).values_list("pk", flat=True).first()


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight in Europe/London (users think in local days; the trail is stored in UTC)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def auditentry_search(*, filters: AuditFilters, before_seq: int | None = None) -> QuerySet:
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if filters.person_id:
        entries = entries.filter(_related_to(PERSON_TABLE, "person_id", filters.person_id))
    if filters.case:
        case_pk = case_pk_for(filters.case)
        if case_pk is None:
            return entries.none()
        entries = entries.filter(_related_to(CASE_TABLE, "case_id", case_pk))
    if filters.table:
        entries = entries.filter(table_name=filters.table)
    if filters.object_pk:
        entries = entries.filter(object_pk=filters.object_pk)
    if filters.label:
        entries = entries.filter(target_label__icontains=filters.label)
    if filters.username:
        entries = entries.filter(actor__username__iexact=filters.username)
    if filters.date_from:
        entries = entries.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        entries = entries.filter(created_at__lt=_day_start(next_day))
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if before_seq:
        entries = entries.filter(seq__lt=before_seq)
    return entries


def auditentry_page(*, filters: AuditFilters, before_seq: int | None = None):
    """One page of entries, newest first, and the ``seq`` to continue from (or None)."""
    rows = list(auditentry_search(filters=filters, before_seq=before_seq)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].seq if more and rows else None)


def changed_fields(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, old, new) for each column an update changed, or every column of an insert
    or delete."""
    old, new = entry.old_row or {}, entry.new_row or {}
    keys = sorted(set(old) | set(new))
    return [
        (k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k) or not old or not new
    ]
