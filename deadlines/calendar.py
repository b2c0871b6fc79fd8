"""The England & Wales working-day calendar.

A working day is a day that is not a Saturday or Sunday, not an England & Wales bank holiday
(from the maintained ``holidays`` library: Good Friday, Easter Monday, Christmas Day and Boxing
Day with their substitute days...) and not an extra non-working day an administrator recorded
in ``NonWorkingDay`` (DOMAIN.md "Time").

Counting rule (DOMAIN.md "Time"): counting starts the working day AFTER the trigger, so
``add_working_days(d, n)`` is the n-th working day after ``d`` and ``d`` itself never counts,
whether or not it is a working day. ``working_days_between(a, b)`` counts the working days
after ``a`` up to and including ``b``, so the two round-trip:
``working_days_between(d, add_working_days(d, n)) == n``.

Where a rule says "beginning with" the trigger (Barred List Regs 2017 reg 3: "before the end of
5 working days beginning with" the date), the trigger day counts as day 1 when it is a working
day: ``add_working_days(d, n, beginning_with=True)``.

Extra non-working days cost at most one query per call (the table holds a handful of rows);
build a ``WorkingCalendar`` once to make many calculations with no query at all.
"""

import datetime
from functools import lru_cache

import holidays

from .models import NonWorkingDay

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


class WorkingCalendar:
    """Weekends + England & Wales bank holidays + the given extra non-working days."""

    def __init__(self, extra_days=()):
        self.extra_days = frozenset(extra_days)

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """The calendar with the administrator's extra days (one query)."""
        return cls(NonWorkingDay.objects.values_list("date", flat=True))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and not is_bank_holiday(day) and day not in self.extra_days

    def add_working_days(
        self, start: datetime.date, n: int, *, beginning_with: bool = False
    ) -> datetime.date:
        """The n-th working day after ``start`` (``start`` itself counts first when
        ``beginning_with``). n=0 gives ``start``."""
        if n < 0:
            raise ValueError("add_working_days counts forwards: n must be 0 or more")
        if n == 0:
            return start
        day = start - ONE_DAY if beginning_with else start
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar.load().is_working_day(day)


def add_working_days(
    start: datetime.date, n: int, *, beginning_with: bool = False
) -> datetime.date:
    """The n-th working day after ``start``; see the module docstring for the counting rule."""
    return WorkingCalendar.load().add_working_days(start, n, beginning_with=beginning_with)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return WorkingCalendar.load().working_days_between(start, end)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Same day of the month ``months`` later, or the month's last day if it is shorter
    (12 months after 29 February is 28 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return datetime.date(year, month, start.day)
