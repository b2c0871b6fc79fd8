"""Seed the IOPC allegation sub-categories under the nine top-level categories (issue 19
item 8). The list, and the IOPC tables it was read in, is ``stats.categories``; migration
0005 brings databases seeded before it into the published shape."""

from django.db import migrations

from stats.categories import seed


def forwards(apps, schema_editor):
    seed(apps.get_model("cases", "AllegationCategory"))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_grant_permissions"),
        ("cases", "0002_reference_data_and_roles"),
    ]

    # Backwards leaves the rows: allegations may already record them (PROTECT).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
