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
