"""Deadline kinds of the further reports on the barred and advisory lists (Police Act 1996
s88F, s88L): the College removes the person on receiving them."""

from django.db import migrations

# code, name, unit, amount, counting, reminder days, escalate when overdue, citation
KINDS = [
    ("barred_list_further_report", "Further report to the barred list (removal)",
     "working_days", 5, "beginning_with", "2,1", True,
     "Police Act 1996 s88F; Barred List Regs 2017 reg 5 (period not yet read: 5 working days "
     "beginning with the decision, as reg 3, until checked)"),
    ("advisory_list_removal_report", "Further report to the advisory list (removal)",
     "working_days", 5, "beginning_with", "2,1", True,
     "Police Act 1996 s88L(1)-(3); Barred List Regs 2017 (period not yet read: 5 working days "
     "beginning with the event, as reg 12, until checked)"),
]


def forwards(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    for code, name, unit, amount, counting, reminders, escalate, citation in KINDS:
        DeadlineKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "unit": unit, "amount": amount, "counting": counting,
                "reminder_days": reminders, "escalate_when_overdue": escalate,
                "citation": citation,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineKind").objects.filter(
        code__in=[kind[0] for kind in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_extensions_and_statutory_clocks")]

    operations = [migrations.RunPython(forwards, backwards)]
