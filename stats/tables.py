"""A statistics table: what the page shows, the CSV export writes and the annual return files."""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Cells a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    name: str  # used in ?table=<name> and as the annual-return file name
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    note: str = ""

    def csv_rows(self) -> list[list]:
        rows = [self.headers, *self.rows]
        if self.total is not None:
            rows.append(self.total)
        return [[_safe_cell(cell) for cell in row] for row in rows]

    def to_csv(self) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.csv_rows())
        return buffer.getvalue()


def _safe_cell(cell) -> str:
    if cell is None:
        return ""
    text = str(cell)
    if isinstance(cell, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal place (half up), None if no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
