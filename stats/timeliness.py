"""Days from receipt to finalisation, counted with the England & Wales working-day calendar,
with and without the days an investigation was suspended.

Start point: the day the complaint was made to the force (received, and so logged), or the
conduct matter came to its attention (``Case.received_on``), not the day it was recorded. The
published figures are in working days (Home Office answer to PQ HL8904, 10 July 2025: "133
working days for complaint cases to be finalised", the IOPC's figure). The IOPC's 2024/25
statistics publish, per force, "Average number of days to finalise outside of Schedule 3" and,
under Schedule 3, the average "(inc suspension)" and "(exc suspension)" (IOPC, Police
complaints: statistics for England and Wales 2024/25, timeliness table by force; its year
read from its totals and the tables beside it; the table says "days", PQ HL8904 says the
IOPC's are working days): both averages are given here. Whether the IOPC counts from the day
a complaint is made, logged or recorded was not found in the texts read (its "Counting rules
and calculations" was not stored): *unverified*. The end point is the local date of
finalisation.

``deadlines.calendar`` counts working days "after the start, up to and including the end"
(DOMAIN.md "Time"). To count thousands of cases quickly this builds, once, a running total of
working days over the whole span and subtracts: the same count as
``WorkingCalendar.working_days_between`` for every pair, at one lookup per case.
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Span:
    """One case's time: after ``start`` up to and including ``end``, less ``suspended``
    periods ((first day, last day or None while still suspended) pairs)."""

    start: datetime.date
    end: datetime.date
    suspended: tuple = ()

    def _suspended_ranges(self):
        """The suspended days that fall inside the span, as (first, last) dates: an open
        period runs to the end of the span; nothing outside it is left out twice."""
        for first, last in self.suspended:
            low = max(first, self.start + ONE_DAY)
            high = min(last or self.end, self.end)
            if high >= low:
                yield low, high

    def working_days_inc_suspension(self, counter: WorkingDayCounter) -> int:
        return counter.between(self.start, self.end)

    def working_days(self, counter: WorkingDayCounter) -> int:
        paused = sum(counter.between(low - ONE_DAY, high) for low, high in self._suspended_ranges())
        return counter.between(self.start, self.end) - paused

    def calendar_days(self) -> int:
        paused = sum((high - low).days + 1 for low, high in self._suspended_ranges())
        return (self.end - self.start).days - paused


def summarise(spans: Iterable[Span], counter) -> dict:
    """Count, mean and median of working and calendar days (suspensions left out), and the
    mean of working days with the suspensions counted (the IOPC publishes both averages)."""
    spans = list(spans)
    working = [span.working_days(counter) for span in spans]
    calendar = [span.calendar_days() for span in spans]
    including = [span.working_days_inc_suspension(counter) for span in spans]
    return {
        "cases": len(spans),
        "mean_working_inc": statistics.fmean(including) if including else None,
        "mean_working": statistics.fmean(working) if working else None,
        "median_working": statistics.median(working) if working else None,
        "mean_calendar": statistics.fmean(calendar) if calendar else None,
        "median_calendar": statistics.median(calendar) if calendar else None,
    }
