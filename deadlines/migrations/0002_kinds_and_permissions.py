"""Deadline kinds with their rules and citations, and the permissions of each role."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

# code, name, unit, amount, counting, reminder days, escalate when overdue, citation
KINDS = [
    ("reg17_representations", "Representations after a regulation 17 notice", "working_days",
     10, "after", "5,1", True,
     "CR 2020 reg 18: written representations within 10 working days after the reg 17 notice"),
    ("twelve_month_report", "12-month report on an unconcluded investigation", "months", 12,
     "after", "30,7", True,
     "C&M Regs 2020 reg 13 / CR 2020 reg 19: report to the LPB and IOPC when not concluded "
     "12 months after the complaint or matter came to notice"),
    ("six_month_repeat", "Further 6-monthly report", "months", 6, "after", "30,7", True,
     "C&M Regs 2020 reg 13 / CR 2020 reg 19: a further report every 6 months after the "
     "12-month report until the investigation concludes"),
    ("review_window", "Complainant's review window", "calendar_days", 28, "after", "", False,
     "C&M Regs 2020 reg 29(2): 28 days beginning with the day after the outcome notice"),
    ("rprp_account", "RPRP: subject's account", "working_days", 5, "after", "2,1", True,
     "CR 2020 Part 6: the participant's account within 5 working days of the referral"),
    ("rprp_discussion", "RPRP: reflective discussion", "working_days", 10, "after", "5,1", True,
     "CR 2020 Part 6 sets no period: force policy, the discussion within 10 working days "
     "after the account"),
    ("rprp_report_review", "RPRP: review of the reflective practice report", "months", 12,
     "after", "30,7", True,
     "CR 2020 Part 6: review of the reflective practice report 12 months after it is agreed"),
    ("barred_list_report", "Report to the barred list", "working_days", 5, "beginning_with",
     "2,1", True,
     "Barred List Regs 2017 reg 3: before the end of 5 working days beginning with the date "
     "of the dismissal or finding"),
    ("advisory_list_report", "Report to the advisory list", "working_days", 5,
     "beginning_with", "2,1", True,
     "Barred List Regs 2017 reg 12: before the end of 5 working days beginning with the date "
     "of the determination"),
    ("meeting_notice", "Notice period before a misconduct meeting", "working_days", 10, "after",
     "2", True,
     "CR 2020: 10 working days between the notice of a misconduct meeting and the meeting"),
    ("hearing_notice", "Notice period before a misconduct hearing", "working_days", 15, "after",
     "2", True,
     "CR 2020: 15 working days between the notice of a misconduct hearing and the hearing"),
    ("iopc_decision_followup", "Follow up an IOPC mode-of-investigation decision",
     "working_days", 10, "after", "2", True,
     "Force policy: chase the IOPC when no decision 10 working days after the referral"),
    ("revetting_due", "Re-vetting due", "", None, "after", "90,30,7", True,
     "Vetting APP: the renewal date is computed by the vetting app from the clearance level"),
]

GRANTS = {
    "Investigator": ["view_deadline", "view_notification"],
    "Supervisor": ["view_deadline", "view_notification"],
    "Appropriate authority": ["view_deadline", "view_notification"],
    "Vetting officer": ["view_deadline", "view_notification"],
    "Analyst / auditor": ["view_deadline", "view_notification"],
    "Administrator": [
        "view_notification", "view_nonworkingday", "add_nonworkingday", "change_nonworkingday",
        "delete_nonworkingday",
    ],
}


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
    grant(apps, "deadlines", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "deadlines", GRANTS)
    apps.get_model("deadlines", "DeadlineKind").objects.filter(
        code__in=[kind[0] for kind in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("accounts", "0002_roles_and_ranks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
