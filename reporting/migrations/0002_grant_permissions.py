"""Supervisors and the appropriate authority triage anonymous reports; auditors see the list
and the audit trail (issue 8). Investigators and administrators get nothing."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {
    "Supervisor": ["triage_report", "view_report"],
    "Appropriate authority": ["triage_report", "view_report"],
    "Analyst / auditor": ["view_report"],
}


def forwards(apps, schema_editor):
    grant(apps, "reporting", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "reporting", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("accounts", "0002_roles_and_ranks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
