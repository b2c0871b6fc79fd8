"""Prefix indexes for the personnel search (``UPPER(surname) LIKE 'SMI%'``, the same for the
number). The existing ``UPPER(...)`` btree indexes follow the database collation, which a
``LIKE`` prefix cannot use; ``text_pattern_ops`` can. PostgreSQL only: on SQLite (development)
this migration does nothing."""

from django.db import migrations

INDEXES = [
    ("person_surname_prefix_idx", "(UPPER(surname::text)) text_pattern_ops"),
    ("person_number_prefix_idx", "(UPPER(number::text)) text_pattern_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_person ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_administrator_manages_users_and_teams")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
