"""A demo anonymous report, routed to the team that receives them (issue 12)."""

from .models import Report
from .services import report_submit


def load(out) -> None:
    if Report.objects.exists():
        out.write("  demo anonymous report: already there")
        return
    submitted = report_submit(
        what="A sergeant on nights keeps asking junior colleagues to look up his neighbours "
        "on the intelligence system.",
        where="Central custody suite",
        when="Most night shifts over the last month",
    )
    team = submitted.report.team
    out.write(
        f"  demo anonymous report {submitted.report.reference}"
        f"{f' in the queue of {team}' if team else ''} (receipt code {submitted.code})"
    )
