"""Human names for what the audit trail records (issue 22): "Access to a case (one person)"
rather than ``cases_caseuserobjectpermission``, "User account: ivy.investigator" rather than
``accounts_user:8``. The technical reference stays on the page, folded away."""

from functools import cache

from django.apps import apps
from django.utils.text import capfirst

# Records whose name is not personal data and says which record it is: shown to the
# administrator as well (the accounts they manage), looked up in one query per table.
NAMED_TABLES = {
    "accounts_user": ("accounts", "User", "username"),
    "accounts_team": ("accounts", "Team", "name"),
    "auth_group": ("auth", "Group", "name"),
}


def _target(model) -> str:
    """The verbose name of the record a per-object permission row is about."""
    field = next(
        (f for f in model._meta.concrete_fields if f.name == "content_object" and f.is_relation),
        None,
    )
    return str(field.related_model._meta.verbose_name) if field else "record"


@cache
def _labels() -> dict[str, str]:
    labels = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table.endswith("userobjectpermission"):
            labels[table] = f"Access to a {_target(model)} (one person)"
        elif table.endswith("groupobjectpermission"):
            labels[table] = f"Access to a {_target(model)} (a role)"
        else:
            labels[table] = capfirst(str(model._meta.verbose_name))
    labels.update(
        {
            "accounts_user": "User account",
            "accounts_user_groups": "Role of a user",
            "accounts_user_user_permissions": "Permission of a user",
            "auth_group_permissions": "Permission of a role",
        }
    )
    return labels


def table_label(table: str) -> str:
    """The human name of an audited table (the table name itself if it is unknown)."""
    return _labels().get(table, table)


def record_names(entries) -> dict[tuple[str, str], str]:
    """Names of the user accounts, teams and roles the entries are about, keyed by
    (table, pk): one query per table."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.table_name in NAMED_TABLES and entry.object_pk.isdigit():
            wanted.setdefault(entry.table_name, set()).add(int(entry.object_pk))
    names = {}
    for table, pks in wanted.items():
        app, model, field = NAMED_TABLES[table]
        rows = apps.get_model(app, model).objects.filter(pk__in=pks).values_list("pk", field)
        names.update({(table, str(pk)): str(name) for pk, name in rows})
    return names
