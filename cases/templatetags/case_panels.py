"""Dashboard panels about cases, included by the role dashboards (accounts renders them)."""

from django import template
from django.utils import timezone

from ..selectors.dashboard import (
    approval_count,
    my_case_list,
    my_deadline_list,
    my_proposal_list,
    team_case_list,
)
from ..selectors_teams import team_workload, teams_allocated_by

register = template.Library()


@register.inclusion_tag("dashboards/_investigator_panels.html", takes_context=True)
def investigator_panels(context):
    user = context["request"].user
    return {
        "my_cases": my_case_list(user=user),
        "my_deadlines": my_deadline_list(user=user),
        "proposals": my_proposal_list(user=user),
        "today": timezone.localdate(),
        "perms": context.get("perms"),
    }


@register.inclusion_tag("dashboards/_approver_panels.html", takes_context=True)
def approver_panels(context):
    user = context["request"].user
    count, cases = team_case_list(user=user)
    return {
        "approvals": approval_count(user=user),
        "team_count": count,
        "team_cases": cases,
        "has_team": bool(user.team_id),
    }


def bars(counts: list[tuple[str, int]]) -> list[dict]:
    """Rows of a small bar chart: label, value and a width in steps of 5% (psd.css has classes
    psd-w-0 … psd-w-100; the content security policy allows no inline style)."""
    top = max((value for _, value in counts), default=0)
    return [
        {"label": label, "value": value, "width": max(5, round(value * 20 / top) * 5)}
        for label, value in counts
        if value
    ]


@register.inclusion_tag("dashboards/_team_charts.html", takes_context=True)
def team_charts(context):
    """The supervisor's two charts for their team (or the first team they allocate for):
    open cases by investigator and overdue deadlines by investigator (issue 22)."""
    user = context["request"].user
    team = user.team or teams_allocated_by(user).first()
    if team is None:
        return {"team": None}
    people = list(team_workload(team=team))
    return {
        "team": team,
        "workload": bars([(str(person), person.open_cases) for person in people]),
        "overdue": bars([(str(person), person.overdue_deadlines) for person in people]),
    }
