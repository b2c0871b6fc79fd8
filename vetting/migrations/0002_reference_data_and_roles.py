"""Vetting levels, the checklist and refusal reasons as data; permissions of each role.

Police (Vetting) Regulations 2025 and the College of Policing Vetting APP. Renewal intervals
are editable: RV 10 years and MV 7 years are the defaults (DOMAIN.md); NPPV intervals are
force policy (check). ``order`` ranks levels for "a post needing a higher level" (check).
"""

from django.db import migrations

from accounts.migration_utils import grant, revoke

# code, name, renewal months, recorded only, order, note
LEVELS = [
    ("nppv1", "Non-police personnel vetting level 1", 36, False, 10,
     "Force policy (check): 3 years by default"),
    ("nppv2", "Non-police personnel vetting level 2", 60, False, 20,
     "Force policy (check): 5 years by default"),
    ("rv", "Recruitment vetting", 120, False, 30, "Vetting APP: 10 years"),
    ("nppv3", "Non-police personnel vetting level 3", 60, False, 40,
     "Force policy (check): 5 years by default"),
    ("mv", "Management vetting", 84, False, 50, "Vetting APP: 7 years"),
    ("ctc", "Counter-terrorist check", None, True, 60, "National security: recorded only"),
    ("sc", "Security check", None, True, 70, "National security: recorded only"),
    ("dv", "Developed vetting", None, True, 80, "National security: recorded only"),
]

# code, name, mandatory, order
CHECKS = [
    ("identity", "Identity and right to work", True, 10),
    ("pnc", "Police National Computer (PNC)", True, 20),
    ("pnd", "Police National Database (PND)", True, 30),
    ("local_intel", "Local intelligence and force systems", True, 40),
    ("financial", "Financial checks (credit reference)", True, 50),
    ("barred_list", "Police barred list", True, 60),
    ("advisory_list", "Police advisory list", True, 70),
    ("family_associates", "Family members and associates", True, 80),
    ("counter_corruption", "Counter-corruption unit", True, 90),
    ("conduct_history", "Complaints and conduct history", False, 100),
    ("open_source", "Open source and social media", False, 110),
]

# code, name, order
REFUSAL_REASONS = [
    ("criminal", "Convictions, cautions or criminal involvement", 10),
    ("intelligence", "Adverse intelligence", 20),
    ("financial", "Financial vulnerability", 30),
    ("associations", "Family members or associates", 40),
    ("honesty", "Dishonesty or omissions in the application", 50),
    ("lists", "On the barred or advisory list", 60),
    ("conduct", "Complaints or conduct history", 70),
    ("other", "Other", 80),
]

OFFICER_WORK = [
    "view_applicant", "add_applicant", "change_applicant",
    "view_vettingapplication", "add_vettingapplication", "change_vettingapplication",
    "view_checkresult", "add_checkresult", "change_checkresult",
    "view_listmatchresolution", "add_listmatchresolution",
    "view_appeal", "add_appeal", "change_appeal",
    "view_clearance", "add_clearance", "change_clearance",
    "view_clearanceevent",
    "view_revettingtrigger", "add_revettingtrigger",
    "view_vettinglevel", "view_vettingcheck", "view_refusalreason", "view_post",
]
REFERENCE = [
    f"{action}_{model}"
    for model in ("vettinglevel", "vettingcheck", "refusalreason", "post")
    for action in ("view", "add", "change", "delete")
]
# Vetting data is sensitive: vetting officers only (the Administrator keeps reference data).
GRANTS = {"Vetting officer": OFFICER_WORK, "Administrator": REFERENCE}


def forwards(apps, schema_editor):
    Level = apps.get_model("vetting", "VettingLevel")
    for code, name, months, recorded, order, note in LEVELS:
        Level.objects.update_or_create(
            code=code,
            defaults={"name": name, "renewal_months": months, "recorded_only": recorded,
                      "order": order, "note": note},
        )
    Check = apps.get_model("vetting", "VettingCheck")
    for code, name, mandatory, order in CHECKS:
        Check.objects.update_or_create(
            code=code, defaults={"name": name, "mandatory": mandatory, "order": order}
        )
    Reason = apps.get_model("vetting", "RefusalReason")
    for code, name, order in REFUSAL_REASONS:
        Reason.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    grant(apps, "vetting", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "vetting", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("vetting", "0001_initial"),
        ("accounts", "0002_roles_and_ranks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
