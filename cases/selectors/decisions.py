"""Four-eyes proposals: the approval queue and one proposal, filtered by what the user may see."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from ..models import Decision, Outcome
from .visibility import cases_visible_to


def decisions_awaiting(*, user: User) -> QuerySet[Decision]:
    """Proposals this user could approve: visible cases, proposed by someone else."""
    if not user.has_perm("cases.approve_decision"):
        return Decision.objects.none()
    return (
        Decision.objects.filter(status="pending", case__in=cases_visible_to(user))
        .exclude(proposed_by=user)
        .exclude(case__investigator=user)  # four-eyes: not their own investigation's work
        .select_related("case", "proposed_by")
        .order_by("proposed_at", "id")
    )


def approval_list(*, user: User) -> list[Decision]:
    """Proposals the user could approve, with what they would approve, in a fixed number
    of queries."""
    return list(
        decisions_awaiting(user=user)
        .select_related("case__investigator")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("allegation", "track__person__rank"),
            )
        )
    )


def decision_get(*, user: User, pk: int) -> Decision | None:
    return (
        Decision.objects.filter(pk=pk, case__in=cases_visible_to(user))
        .select_related("case", "proposed_by")
        .first()
    )
