"""Role groups with their accounts permissions, and the ranks of England & Wales forces."""

from django.db import migrations

from accounts.migration_utils import grant

ROLES = [
    "Investigator",
    "Supervisor",
    "Appropriate authority",
    "Vetting officer",
    "Analyst / auditor",
    "Administrator",
]

GRANTS = {
    "Investigator": ["dashboard_investigator", "view_person"],
    "Supervisor": ["dashboard_supervisor", "view_person"],
    "Appropriate authority": ["dashboard_appropriate_authority", "view_person"],
    "Vetting officer": ["dashboard_vetting_officer", "view_person"],
    "Analyst / auditor": ["dashboard_auditor", "view_person"],
    "Administrator": [
        "dashboard_administrator", "view_person", "add_person", "change_person",
    ],
}

# Police ranks, junior to senior (Police Regulations 2003 reg 4; Met/City titles differ).
RANKS = [
    ("Constable", "PC", False),
    ("Sergeant", "PS", False),
    ("Inspector", "Insp", False),
    ("Chief Inspector", "CI", False),
    ("Superintendent", "Supt", False),
    ("Chief Superintendent", "C/Supt", False),
    ("Assistant Chief Constable", "ACC", True),
    ("Deputy Chief Constable", "DCC", True),
    ("Chief Constable", "CC", True),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant(apps, "accounts", GRANTS)
    Rank = apps.get_model("accounts", "Rank")
    for order, (name, abbreviation, chief) in enumerate(RANKS, start=1):
        Rank.objects.update_or_create(
            name=name,
            defaults={"abbreviation": abbreviation, "order": order, "is_chief_officer": chief},
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("accounts", "Rank").objects.filter(name__in=[r[0] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
