"""Days from recording to finalisation, counted with the England & Wales working-day calendar.

``deadlines.calendar`` counts working days "after the start, up to and including the end"
(DOMAIN.md "Time"). To count thousands of cases quickly this builds, once, a running total of
working days over the whole span and subtracts: the same count as
``WorkingCalendar.working_days_between`` for every pair, at one lookup per case.
"""

import datetime
import statistics
from collections.abc import Iterable

from deadlines.calendar import WorkingCalendar

ONE_DAY = datetime.timedelta(days=1)


class WorkingDayCounter:
    def __init__(self, calendar: WorkingCalendar, first: datetime.date, last: datetime.date):
        self.first = first
        self.cumulative = [0]  # cumulative[i]: working days in (first, first + i]
        day = first
        while day < last:
            day += ONE_DAY
            self.cumulative.append(self.cumulative[-1] + calendar.is_working_day(day))

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]


def summarise(pairs: Iterable[tuple[datetime.date, datetime.date]], counter) -> dict:
    """Count, mean and median of working and calendar days over (start, end) pairs."""
    pairs = list(pairs)
    working = [counter.between(start, end) for start, end in pairs]
    calendar = [(end - start).days for start, end in pairs]
    return {
        "cases": len(pairs),
        "mean_working": statistics.fmean(working) if working else None,
        "median_working": statistics.median(working) if working else None,
        "mean_calendar": statistics.fmean(calendar) if calendar else None,
        "median_calendar": statistics.median(calendar) if calendar else None,
    }
