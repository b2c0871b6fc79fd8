"""Reporting periods and scopes.

Home Office and IOPC data returns run over the financial year, 1 April to 31 March
(DOMAIN.md "Statistics"). A period is a closed range of dates in Europe/London: both the first
and the last day count.
"""

import datetime
from dataclasses import dataclass

from accounts.models import Department, Force
from cases.models import CaseType


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("a period starts on or before it ends")

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def months(self) -> list[datetime.date]:
        """The first day of every calendar month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def financial_year_of(day: datetime.date) -> int:
    """The year a financial year starts in: 31 March 2026 is in 2025/26, 1 April 2026 in 2026/27."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(year: int) -> Period:
    """1 April ``year`` to 31 March ``year + 1``, labelled as the returns label it: 2025/26."""
    return Period(
        start=datetime.date(year, 4, 1),
        end=datetime.date(year + 1, 3, 31),
        label=f"{year}/{(year + 1) % 100:02d}",
    )


def date_range(start: datetime.date, end: datetime.date) -> Period:
    return Period(start=start, end=end, label=f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}")


@dataclass(frozen=True)
class Scope:
    """Whose allegations are counted: those with a subject in this force and/or department,
    optionally of one case type.

    Scope follows the SUBJECT (the person complained about), not the PSD team handling the
    case. An allegation about the force's service names no subject, so it is counted only when
    no force or department is chosen.
    """

    force: Force | None = None
    department: Department | None = None
    case_type: str = ""  # one CaseType value, or "" for every type

    @property
    def is_everything(self) -> bool:
        """No force or department chosen (the case type does not follow subjects)."""
        return self.force is None and self.department is None

    @property
    def label(self) -> str:
        parts = [str(part) for part in (self.force, self.department) if part is not None]
        if self.case_type:
            parts.append(CaseType(self.case_type).label)
        return ", ".join(parts) if parts else "All forces and departments, all case types"
