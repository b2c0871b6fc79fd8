"""Reference data (categories, the 10 Standards, IOPC referral criteria) and role grants."""

from django.db import migrations

from accounts.migration_utils import grant

# IOPC complaints statistics categories (2023/24 onwards), DOMAIN.md.
CATEGORIES = [
    "Delivery of duties and service",
    "Police powers, policies and procedures",
    "Handling of or damage to property/premises",
    "Access and/or disclosure of information",
    "Use of police vehicles",
    "Discriminatory behaviour",
    "Abuse of position/corruption",
    "Individual behaviours",
    "Discreditable conduct",
]

# Police (Conduct) Regulations 2020 Sch 2: Standards of Professional Behaviour.
STANDARDS = [
    "Honesty and integrity",
    "Authority, respect and courtesy",
    "Equality and diversity",
    "Use of force",
    "Orders and instructions",
    "Duties and responsibilities",
    "Confidentiality",
    "Fitness for work",
    "Discreditable conduct",
    "Challenging and reporting improper conduct",
]

# (code, description, citation, mandatory)
CRITERIA = [
    ("death_serious_injury", "Conduct that resulted in death or serious injury",
     "PRA 2002 Sch 3 para 4(1)(a); C&M Regs 2020 reg 4(1)(a)", True),
    ("serious_assault", "Alleged serious assault", "C&M Regs 2020 reg 4(1)(b)(i)", True),
    ("serious_sexual_offence", "Alleged serious sexual offence",
     "C&M Regs 2020 reg 4(1)(b)(ii)", True),
    ("serious_corruption",
     "Alleged serious corruption, including abuse of position for a sexual purpose or for "
     "an improper emotional relationship", "C&M Regs 2020 reg 4(1)(b)(iii)", True),
    ("discrimination", "Criminal offence or behaviour aggravated by discrimination (race, sex, "
     "religion or other status)", "C&M Regs 2020 reg 4(1)(b)(iv)", True),
    ("relevant_offence", "A relevant offence (7 years' imprisonment or more)",
     "C&M Regs 2020 reg 4(1)(b)(v)", True),
    ("same_incident", "Arises from the same incident as a matter meeting a criterion",
     "C&M Regs 2020 reg 4(1)(c)", True),
    ("chief_officer", "About a chief officer (unless plainly no proceedings could be justified)",
     "C&M Regs 2020 reg 4(1)(d)", True),
    ("dsi_matter", "Death or serious injury matter (always referred)",
     "PRA 2002 Sch 3 para 14C", True),
    ("called_in", "The IOPC has called the matter in", "PRA 2002 Sch 3 para 4(1)(c)", True),
]

GRANTS = {
    "Investigator": ["view_case", "add_case", "change_case"],
    "Supervisor": ["view_case", "add_case", "change_case", "approve_decision"],
    "Appropriate authority": [
        "view_case", "add_case", "change_case", "approve_decision", "view_all_cases",
        "manage_lists", "view_barredlistentry", "view_advisorylistentry",
    ],
    "Vetting officer": ["view_barredlistentry", "view_advisorylistentry"],
    "Analyst / auditor": [
        "view_case", "view_all_cases", "view_barredlistentry", "view_advisorylistentry",
    ],
    "Administrator": [
        "add_allegationcategory", "change_allegationcategory", "view_allegationcategory",
        "add_referralcriterion", "change_referralcriterion", "view_referralcriterion",
    ],
}


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "AllegationCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(parent=None, name=name, defaults={"order": order})
    Standard = apps.get_model("cases", "Standard")
    for order, name in enumerate(STANDARDS, start=1):
        Standard.objects.update_or_create(name=name, defaults={"order": order})
    Criterion = apps.get_model("cases", "ReferralCriterion")
    for order, (code, description, citation, mandatory) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(
            code=code,
            defaults={"description": description, "citation": citation,
                      "mandatory": mandatory, "order": order},
        )
    grant(apps, "cases", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("accounts", "0002_roles_and_ranks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
