"""User roles. Each role is a Django group; its permissions are granted by data migrations.

DOMAIN.md "People": investigator, supervisor, appropriate authority (AA), vetting officer,
PSD analyst/auditor, system administrator.
"""

from django.db import models


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", "Investigator"
    SUPERVISOR = "supervisor", "Supervisor"
    APPROPRIATE_AUTHORITY = "appropriate_authority", "Appropriate authority"
    VETTING_OFFICER = "vetting_officer", "Vetting officer"
    AUDITOR = "auditor", "Analyst / auditor"
    ADMINISTRATOR = "administrator", "Administrator"


# The role dashboard each group may open ("accounts.<codename>").
DASHBOARD_PERMISSION = {role: f"dashboard_{role.value}" for role in Role}


def user_roles(user) -> list[Role]:
    """The roles a user holds, in the order of ``Role`` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_psd_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in Role if role.label in names]
        user._psd_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return any(role in user_roles(user) for role in roles)
