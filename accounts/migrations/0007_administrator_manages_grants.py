"""Administrators propose and approve grants (four-eyes, issue 20). They no longer change a
user's roles directly: the admin shows the groups field read-only."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {"Administrator": ["manage_grants", "view_grantrequest"]}


def forwards(apps, schema_editor):
    grant(apps, "accounts", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "accounts", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_grant_requests")]

    operations = [migrations.RunPython(forwards, backwards)]
