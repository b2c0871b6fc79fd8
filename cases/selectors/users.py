"""Who a case may be given to, and who the case list may filter by."""

from django.db.models import QuerySet

from accounts.models import User


def role_holder_list(*, role) -> QuerySet[User]:
    """Active users holding ``role`` (a ``Role``), by name: who a case may be given to."""
    return User.objects.filter(is_active=True, groups__name=role.label).order_by(
        "last_name", "first_name", "username"
    )


def investigator_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="change_case")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def approver_list() -> QuerySet[User]:
    """Active users who may approve decisions: the supervisors a new case may name."""
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="approve_decision")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
