"""Administrators may write a complete data export on the server (issue 12)."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {"Administrator": ["export_data"]}


def forwards(apps, schema_editor):
    grant(apps, "portability", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "portability", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("portability", "0001_export_run"),
        ("accounts", "0002_roles_and_ranks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
