"""The "anonymous reports routed to this team" section of a team's page (cases.team_sections)."""

from .selectors import reports_queued_for


def team_reports_section(request, team) -> dict | None:
    if not request.user.has_perm("reporting.view_report"):
        return None
    return {"template": "reporting/_team_section.html", "reports": reports_queued_for(team=team)}
