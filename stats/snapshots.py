"""Statistics in milliseconds (issue 21 item 4): the whole-force tables of the current and the
previous financial year are computed by a beat task every few minutes and stored; the page
reads one row and shows "figures as of" its time. Any other period or scope (a force, a
department, a case type, a date range) is computed live, and ``?live=1`` forces live figures.

tests/stats/test_snapshots.py proves on random data that a snapshot holds exactly the tables
the live queries give.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import StatisticsSnapshot
from .periods import Period, Scope, financial_year, financial_year_of
from .selectors import TABLES, statistics_tables
from .tables import Table

YEARS = 2  # the current financial year and the one before


def _encode(cell):
    return {"decimal": str(cell)} if isinstance(cell, Decimal) else cell


def _decode(cell):
    return Decimal(cell["decimal"]) if isinstance(cell, dict) else cell


def _encode_table(table: Table) -> dict:
    data = vars(table).copy()
    data["rows"] = [[_encode(cell) for cell in row] for row in table.rows]
    data["total"] = [_encode(cell) for cell in table.total] if table.total else None
    return data


def _decode_table(data: dict) -> Table:
    rows = [[_decode(cell) for cell in row] for row in data["rows"]]
    total = [_decode(cell) for cell in data["total"]] if data["total"] is not None else None
    return Table(**{**data, "rows": rows, "total": total})


def snapshot_refresh(*, today: datetime.date | None = None) -> list[StatisticsSnapshot]:
    """Recompute the snapshots of the current and previous financial year (idempotent: one
    row per period, replaced). The time recorded is when the reading began."""
    latest = financial_year_of(today or timezone.localdate())
    refreshed = []
    for year in range(latest, latest - YEARS, -1):
        period = financial_year(year)
        computed_at = timezone.now()
        with transaction.atomic():
            tables = statistics_tables(period=period, scope=Scope())
            snapshot, _ = StatisticsSnapshot.objects.update_or_create(
                period_start=period.start,
                period_end=period.end,
                defaults={
                    "computed_at": computed_at,
                    "tables": {name: _encode_table(t) for name, t in tables.items()},
                },
            )
        refreshed.append(snapshot)
    return refreshed


def snapshot_get(*, period: Period, scope: Scope) -> tuple[dict[str, Table], datetime.datetime]:
    """The stored tables of this period and their time, or ``({}, None)`` when there is no
    snapshot for it (a scope, a date range, or not yet computed)."""
    if not scope.is_everything or scope.case_type:
        return {}, None
    snapshot = StatisticsSnapshot.objects.filter(
        period_start=period.start, period_end=period.end
    ).first()
    if snapshot is None or set(snapshot.tables) != set(TABLES):  # none yet, or older tables
        return {}, None
    tables = {name: _decode_table(data) for name, data in snapshot.tables.items()}
    return tables, snapshot.computed_at
