"""Who sees what on /audit/ (issue 20: least privilege without loopholes).

Only auditors (the Analyst / auditor role) read the trail's content: changed values, record
labels, reasons and event data. Everyone else allowed onto the page — the administrator — sees
metadata about administration only: who did what to which account, role, team or grant, and
when, with no values. Entries about case, complainant, vetting, anonymous-report or person
records are not listed to them at all, and a search that names such records (a table outside
administration, a case, a person, a label) is refused with 403 rather than answered, so the
filters cannot be used as an oracle either.
"""

from django.db.models import Q

from psd.roles import Role, has_role

# Tables an administrator administers. Everything else (cases_*, vetting_*, reporting_*,
# accounts_person*, guardian object permissions naming case ids) is content.
ADMINISTRATION_TABLES = (
    "accounts_user",
    "accounts_user_groups",
    "accounts_user_user_permissions",
    "auth_group_permissions",
    "accounts_team",
    "accounts_grantrequest",
)
# Events without a record that concern administration: sign-ins, API tokens.
ADMINISTRATION_EVENT_PREFIXES = ("auth.", "api.token", "grant.")
# Filters that name content: refused outright in metadata mode.
CONTENT_FILTERS = ("person", "case", "label")


def reads_content(user) -> bool:
    """Changed values, labels, reasons and event data are for auditors only."""
    return has_role(user, Role.AUDITOR)


def administration_entries() -> Q:
    events = Q()
    for prefix in ADMINISTRATION_EVENT_PREFIXES:
        events |= Q(action__startswith=prefix)
    return Q(table_name__in=ADMINISTRATION_TABLES) | (Q(table_name="") & events)


def names_content(params) -> bool:
    """The query asks about content records (refused to a metadata-only reader)."""
    if any(params.get(name) for name in CONTENT_FILTERS):
        return True
    table = params.get("table", "")
    return bool(table) and table not in ADMINISTRATION_TABLES
