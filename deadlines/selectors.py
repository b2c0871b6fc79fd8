"""Reads of deadlines and notifications. Other apps' list pages use ``next_deadlines_for``."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from psd.domain import PermissionDenied
from psd.roles import Role, has_role

from .models import Deadline, Notification, Status

SCOPES = {"mine": "Mine", "escalated": "Escalated to me", "team": "My team's", "all": "All"}
# Roles that oversee every clock in the department.
ALL_SCOPE_ROLES = (Role.SUPERVISOR, Role.APPROPRIATE_AUTHORITY, Role.AUDITOR)


def scopes_for(user) -> dict[str, str]:
    """The scopes a user may choose on the deadlines page."""
    scopes = {"mine": SCOPES["mine"], "escalated": SCOPES["escalated"]}
    if user.team_id:
        scopes["team"] = SCOPES["team"]
    if has_role(user, *ALL_SCOPE_ROLES) or user.is_superuser:
        scopes["all"] = SCOPES["all"]
    return scopes


# Kinds whose very existence is sensitive: only holders of the permission see them listed
# (vetting data is not visible to case investigators or supervisors, issue 7).
RESTRICTED_KINDS = {"revetting_due": "vetting.view_vettingapplication"}


def hidden_kinds(user) -> set[str]:
    """The deadline kind codes this user may not see (``RESTRICTED_KINDS``)."""
    return {code for code, perm in RESTRICTED_KINDS.items() if not user.has_perm(perm)}


def deadline_list(
    *,
    user,
    scope: str = "mine",
    status: str | None = Status.OPEN,
    kind: str | None = None,
    overdue_only: bool = False,
) -> QuerySet[Deadline]:
    """Deadlines the user may see in ``scope`` (mine = owned by the user; escalated = others'
    that escalate to the user; team = owned by anyone in the user's team; all), overdue
    first, then by due date."""
    if scope not in scopes_for(user):
        raise PermissionDenied("You may not see those deadlines.")
    today = timezone.localdate()
    deadlines = Deadline.objects.select_related("kind", "owner", "escalate_to")
    if scope == "mine":
        deadlines = deadlines.filter(owner=user)
    elif scope == "escalated":
        deadlines = deadlines.filter(escalate_to=user).exclude(owner=user)
    elif scope == "team":
        deadlines = deadlines.filter(owner__team_id=user.team_id)
    hidden = hidden_kinds(user)
    if hidden:
        deadlines = deadlines.exclude(kind__code__in=hidden)
    if status:
        deadlines = deadlines.filter(status=status)
    if kind:
        deadlines = deadlines.filter(kind__code=kind)
    overdue = Q(status=Status.OPEN, due_date__lt=today)
    if overdue_only:
        deadlines = deadlines.filter(overdue)
    return deadlines.annotate(
        overdue_rank=Case(
            When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", "due_date", "pk")


def next_deadlines_for(*, targets=None, content_type=None, ids=None) -> dict[int, Deadline]:
    """The earliest open deadline of each target, keyed by object id, in ONE query. Pass the
    objects (``targets``) or a model/ContentType and their ``ids``."""
    if targets is not None:
        targets = list(targets)
        if not targets:
            return {}
        content_type = ContentType.objects.get_for_model(targets[0])
        ids = [target.pk for target in targets]
    elif not isinstance(content_type, ContentType):
        content_type = ContentType.objects.get_for_model(content_type)
    result: dict[int, Deadline] = {}
    for deadline in (
        Deadline.objects.filter(status=Status.OPEN, content_type=content_type, object_id__in=ids)
        .select_related("kind", "owner")
        .order_by("object_id", "due_date", "pk")
    ):
        result.setdefault(deadline.object_id, deadline)
    return result


def deadlines_for(*, target) -> QuerySet[Deadline]:
    """Every deadline of one object, open ones first, then by due date."""
    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )
        .select_related("kind", "owner", "escalate_to", "met_by")
        .annotate(
            open_rank=Case(
                When(status=Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_rank", "due_date", "pk")
    )


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
