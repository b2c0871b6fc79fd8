"""The dashboard panels: my cases, my deadlines, my proposals, my team's cases, approvals."""

import datetime

from django.utils import timezone

from accounts.models import User
from deadlines.models import Deadline, Status

from ..models import Case, Decision, DecisionStatus, State
from .decisions import decisions_awaiting
from .visibility import cases_visible_to


def my_case_list(*, user: User, limit: int = 10) -> list[Case]:
    return list(
        cases_visible_to(user)
        .filter(investigator=user)
        .exclude(state__in=State.closed())
        .order_by("-received_on", "-id")[:limit]
    )


def my_deadline_list(*, user: User, within_days: int = 14, limit: int = 10) -> list[Deadline]:
    """Open deadlines I own that are overdue or due within ``within_days``."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return list(
        Deadline.objects.filter(owner=user, status=Status.OPEN, due_date__lte=horizon)
        .select_related("kind")
        .order_by("due_date", "pk")[:limit]
    )


def my_proposal_list(*, user: User) -> list[Decision]:
    return list(
        Decision.objects.filter(proposed_by=user, status=DecisionStatus.PENDING)
        .select_related("case")
        .order_by("proposed_at")
    )


def team_case_list(*, user: User, limit: int = 10) -> tuple[int, list[Case]]:
    cases = cases_visible_to(user).exclude(state__in=State.closed())
    if user.team_id:
        cases = cases.filter(team_id=user.team_id)
    return cases.count(), list(
        cases.select_related("investigator").order_by("-received_on", "-id")[:limit]
    )


def approval_count(*, user: User) -> int:
    return decisions_awaiting(user=user).count()
