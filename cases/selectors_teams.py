"""Reads for the team pages (issue 12): which teams a user allocates for, each team's queue,
and the workload of its investigators. Counts are aggregated in SQL (subqueries), so a page
costs the same number of queries for 3 investigators or 30."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Team, User
from deadlines.models import Deadline
from deadlines.models import Status as DeadlineStatus
from psd.roles import Role

from .models import Case, State
from .selectors import cases_visible_to
from .services.assignment import is_psd_head


def teams_allocated_by(user: User) -> QuerySet[Team]:
    """PSD heads allocate for every team; a supervisor for their own team (and any team that
    names them its supervisor); anyone else for none."""
    if not user.has_perm("cases.approve_decision"):
        return Team.objects.none()
    teams = Team.objects.select_related("supervisor")
    if is_psd_head(user):
        return teams
    return teams.filter(Q(supervisor=user) | Q(pk=user.team_id or 0))


def team_queue(*, user: User, team: Team) -> QuerySet[Case]:
    """Open cases of ``team`` that nobody investigates yet, oldest first."""
    return (
        cases_visible_to(user)
        .filter(team=team, investigator=None)
        .exclude(state__in=State.closed())
        .order_by("received_on", "pk")
    )


def _count(queryset, column: str = "pk") -> Subquery:
    counted = queryset.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def team_workload(*, team: Team) -> QuerySet[User]:
    """The team's investigators, each with ``open_cases`` and ``overdue_deadlines``, in one
    query: the busiest first."""
    today = timezone.localdate()
    open_cases = Case.objects.filter(investigator=OuterRef("pk")).exclude(state__in=State.closed())
    overdue = Deadline.objects.filter(
        owner=OuterRef("pk"), status=DeadlineStatus.OPEN, due_date__lt=today
    )
    return (
        User.objects.filter(team=team, is_active=True, groups__name=Role.INVESTIGATOR.label)
        .annotate(
            open_cases=_count(open_cases, "investigator"),
            overdue_deadlines=_count(overdue, "owner"),
        )
        .order_by("-open_cases", "-overdue_deadlines", "last_name", "username")
    )


def handover_sources(*, team: Team) -> QuerySet[User]:
    """Whose open cases of ``team`` may be handed over: anyone investigating one, including
    people who have left the team or the role."""
    holders = (
        Case.objects.filter(team=team)
        .exclude(state__in=State.closed())
        .exclude(investigator=None)
        .values("investigator")
    )
    return User.objects.filter(pk__in=holders).order_by("last_name", "first_name", "username")
