"""The administrator manages user accounts (and their roles, through the groups field) and
teams. Roles themselves (the groups' permissions) change only by migrations like this one."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {
    "Administrator": [
        "view_user", "add_user", "change_user", "view_team", "add_team", "change_team",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, "accounts", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "accounts", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_team_supervisor_and_report_routing")]

    operations = [migrations.RunPython(forwards, backwards)]
