"""Audit permissions for the auditor and administrator roles; default retention policies.

Retention periods are the force's to set (DPA 2018 s39; APP Information management / MoPI
review schedules) — these are starting values (check) an administrator reviews.
"""

from django.db import migrations

from accounts.migration_utils import grant, revoke

GRANTS = {
    "Analyst / auditor": ["view_auditentry", "view_retentionpolicy", "view_retentionreview"],
    "Administrator": [
        "view_auditentry",
        "view_retentionpolicy",
        "change_retentionpolicy",
        "view_retentionreview",
        "add_retentionreview",
        "change_retentionreview",
    ],
}

LEFT_SERVICE = {"status__in": ["resigned", "retired", "dismissed"]}

POLICIES = [
    # record_type, description, months, basis field, basis in words, conditions
    ("accounts.person", "Personnel register entry", 72,
     "status_history__effective_date", "the date the person left service", LEFT_SERVICE),
    ("cases.case", "Complaint, conduct or DSI case", 72,
     "finalised_at", "the date the case was finalised", {}),
    ("vetting.vettingapplication", "Vetting application", 120,
     "created_at", "the date the application was made", {}),
    ("reporting.report", "Anonymous report", 72,
     "received_on", "the date the report was received", {}),
    ("audit.auditentry", "Audit trail entry", 72,
     "created_at", "the date of the entry", {}),
]


def forwards(apps, schema_editor):
    grant(apps, "audit", GRANTS)
    RetentionPolicy = apps.get_model("audit", "RetentionPolicy")
    for record_type, description, months, field, label, conditions in POLICIES:
        RetentionPolicy.objects.get_or_create(
            record_type=record_type,
            defaults={
                "description": description,
                "period_months": months,
                "basis_field": field,
                "basis_label": label,
                "conditions": conditions,
            },
        )


def backwards(apps, schema_editor):
    revoke(apps, "audit", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("accounts", "0002_roles_and_ranks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
