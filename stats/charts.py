"""Charts drawn on the server as inline SVG (no JavaScript, no inline styles: strict CSP).

These functions only compute geometry from a ``Table``; ``templates/stats/_chart_*.html`` turn it
into SVG with presentation attributes and the CSS classes of ``stats/stats.css``. Every chart
carries a <title> and <desc>, and the page shows the table it was drawn from beside it.
"""

import math
from dataclasses import dataclass, field

from . import groups
from .tables import Table

WIDTH = 720
LABEL_WIDTH = 270
BAR_HEIGHT = 26
GAP = 10


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    css: str = ""
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    gridlines: list[dict] = field(default_factory=list)
    baseline: float = 0
    plot_left: float = 0


def outcome_share_chart(table: Table) -> Chart:
    """Horizontal bars: each outcome group's share of allegations finalised (0-100%)."""
    scale = WIDTH - LABEL_WIDTH - 70
    colours = {group.label: group.css for group in groups.RULES}
    total = table.total[1] if table.total else 0
    chart = Chart(
        id="chart-outcomes",
        title="Share of allegations finalised, by outcome group",
        desc=_describe(table, total, "allegations finalised"),
        width=WIDTH,
        height=len(table.rows) * (BAR_HEIGHT + GAP) + GAP,
    )
    for index, (label, count, share) in enumerate(table.rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = float(share or 0) / 100 * scale
        chart.bars.append(
            Bar(
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label=label,
                value_text=f"{share}% ({count})" if share is not None else "0",
                css=f"chart__bar--{colours.get(label, 'other')}",
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT * 0.68,
                value_x=round(LABEL_WIDTH + width + 6, 1),
                value_y=y + BAR_HEIGHT * 0.68,
            )
        )
    return chart


def trend_chart(table: Table) -> Chart:
    """Columns: allegations recorded in each month of the period."""
    height, top, bottom, left = 300, 24, 40, 44
    plot_height = height - top - bottom
    counts = [row[1] for row in table.rows]
    peak = _nice_ceiling(max(counts, default=0))
    slot = (WIDTH - left - 10) / max(len(counts), 1)
    chart = Chart(
        id="chart-trend",
        title="Allegations recorded per month",
        desc=_describe(table, sum(counts), "allegations recorded"),
        width=WIDTH,
        height=height,
        baseline=top + plot_height,
        plot_left=left,
    )
    for step in range(5):
        value = peak * step / 4
        y = top + plot_height - plot_height * step / 4
        chart.gridlines.append({"y": round(y, 1), "label": _number(value), "x": left - 6})
    for index, (month, count) in enumerate(table.rows):
        bar_height = plot_height * count / peak if peak else 0
        x = left + index * slot + slot * 0.15
        y = round(top + plot_height - bar_height, 1)
        chart.bars.append(
            Bar(
                x=round(x, 1),
                y=y,
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label=_short_month(month, len(table.rows)),
                value_text=str(count),
                css="chart__bar--trend",
                label_x=round(x + slot * 0.35, 1),
                label_y=top + plot_height + 18,
                value_x=round(x + slot * 0.35, 1),
                value_y=y - 4,
            )
        )
    return chart


def _describe(table: Table, total: int, noun: str) -> str:
    parts = [f"{row[0]}: {row[1]}" for row in table.rows]
    return f"{total} {noun}. " + "; ".join(parts) + "."


def _nice_ceiling(value: int) -> int:
    """The smallest 'round' axis maximum at or above ``value`` (1, 2, 5 × 10^n, min 4)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _short_month(label: str, months: int) -> str:
    """'April 2025' -> 'Apr' (or 'Apr 25' when the period runs over more than a year)."""
    name, _, year = label.partition(" ")
    return f"{name[:3]} {year[2:]}" if months > 12 else name[:3]
