"""The allegation categories and subcategories as the IOPC's published statistics print them
(issue 19, verification): "Sexual conduct" and "Other" added, the eleven categories in the
published order, three subcategories renamed to their published names, the missing ones
created. The list and its source are ``stats.categories``."""

from django.db import migrations

from stats.categories import publish


def forwards(apps, schema_editor):
    publish(apps.get_model("cases", "AllegationCategory"))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_snapshots_and_indexes"),
        ("cases", "0002_reference_data_and_roles"),
    ]

    # Backwards leaves the rows: allegations may already record them (PROTECT).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
