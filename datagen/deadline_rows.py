"""Open deadlines for the generated data, dated by the deadlines app's own rules.

Due dates come from ``deadlines.services.due_date_for`` (the kind's unit, amount and counting
rule over ``deadlines.calendar``: ``add_months``, working days with the England & Wales bank
holidays and the administrator's extra days) and first reminders from ``first_alert_on``, so a
generated deadline is the one the application would have opened on the same trigger date.
"""

from __future__ import annotations

import datetime
from functools import cache

from django.db import connection

from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline, DeadlineKind
from deadlines.services import due_date_for, first_alert_on

from .writer import TableWriter

FIELDS = [
    "id",
    "kind",
    "content_type",
    "object_id",
    "label",
    "url",
    "trigger_date",
    "due_date",
    "owner",
    "escalate_to",
    "status",
    "next_alert_on",
    "created_at",
    "updated_at",
]


class Clocks:
    """The rules of every deadline kind, loaded once (one query each for kinds and extra days)."""

    def __init__(self):
        self.kinds = {kind.code: kind for kind in DeadlineKind.objects.all()}
        self.calendar = WorkingCalendar.load()

    def due(self, code: str, trigger: datetime.date) -> datetime.date:
        return due_date_for(self.kinds[code], trigger, self.calendar)

    def first_alert(self, code: str, due: datetime.date) -> datetime.date:
        return first_alert_on(self.kinds[code], due)


@cache
def at_ten(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """``hour`` o'clock UTC on ``day`` (cached: the data has a few thousand distinct days)."""
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=datetime.UTC)


class DeadlineRows:
    """Writes open deadlines; primary keys follow on from ``first_id``."""

    def __init__(self, clocks: Clocks, first_id: int):
        self.clocks = clocks
        self.writer = TableWriter(connection, Deadline, FIELDS)
        self.next_id = first_id

    def open(self, code, target, label, url, trigger, owner, escalate_to, due=None) -> None:
        """``target`` is (content type id, object id); ``due`` only for kinds with no rule."""
        due = due or self.clocks.due(code, trigger)
        created = at_ten(trigger)
        self.writer.add(
            self.next_id,
            self.clocks.kinds[code].pk,
            target[0],
            target[1],
            label[:200],
            url,
            trigger,
            due,
            owner,
            escalate_to,
            "open",
            self.clocks.first_alert(code, due),
            created,
            created,
        )
        self.next_id += 1
