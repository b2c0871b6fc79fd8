"""Dashboard panels about cases, included by the role dashboards (accounts renders them)."""

from django import template
from django.utils import timezone

from ..selectors_ui import approvals_count, my_cases, my_deadlines, my_pending_proposals, team_cases

register = template.Library()


@register.inclusion_tag("dashboards/_investigator_panels.html", takes_context=True)
def investigator_panels(context):
    user = context["request"].user
    return {
        "my_cases": my_cases(user=user),
        "my_deadlines": my_deadlines(user=user),
        "proposals": my_pending_proposals(user=user),
        "today": timezone.localdate(),
        "perms": context.get("perms"),
    }


@register.inclusion_tag("dashboards/_approver_panels.html", takes_context=True)
def approver_panels(context):
    user = context["request"].user
    count, cases = team_cases(user=user)
    return {
        "approvals": approvals_count(user=user),
        "team_count": count,
        "team_cases": cases,
        "has_team": bool(user.team_id),
    }
