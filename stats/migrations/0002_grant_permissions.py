"""Who may see statistics and import legacy allegations (issue 9)."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {
    "Analyst / auditor": ["view_statistics", "import_allegations"],
    "Appropriate authority": ["view_statistics"],
    "Supervisor": ["view_statistics"],
    "Administrator": ["import_allegations"],
}


def forwards(apps, schema_editor):
    grant(apps, "stats", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "stats", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
