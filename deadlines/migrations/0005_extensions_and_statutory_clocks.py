"""Issue 19: recorded extensions of a deadline, clocks the law stops during a suspension, and
the statutory clocks re-read against the regulations (each citation says what was read)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# code: (name, unit, amount, counting, reminder days, escalate, citation)
KINDS = {
    "twelve_month_report": (
        "12-month report on an unconcluded investigation",
        "months",
        12,
        "beginning_with",
        "30,7",
        True,
        "C&M Regs 2020 reg 13(1),(3)(a): an investigation by the appropriate authority not "
        "completed within 12 months starting with the date the complaint was made (or the "
        "matter came to its attention) is reported to the LPB and the Director General; "
        "CR 2020 reg 19(1),(2)(a): to the LPB",
    ),
    "six_month_repeat": (
        "Further report for each 6-month period",
        "months",
        6,
        "beginning_with",
        "30,7",
        True,
        "C&M Regs 2020 reg 13(3)(b); CR 2020 reg 19(2)(b): each subsequent period of 6 months "
        "starting with the day after the end of the previous period",
    ),
    "iopc_referral": (
        "Refer to the IOPC",
        "calendar_days",
        1,
        "after",
        "",
        True,
        "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4 (unverified: the time limit was "
        "not found in the text read; the issue's reading, by the end of the day after it "
        "becomes clear that the matter must be referred)",
    ),
    "reg17_representations": (
        "Representations after a regulation 17 notice",
        "working_days",
        10,
        "after",
        "5,1",
        True,
        "CR 2020 reg 18 (unverified: 2020 text not found; 10 working days after the reg 17 "
        "notice, extendable by the investigator, as in the earlier regulations)",
    ),
    "reg31_response": (
        "Officer's response to the regulation 30 notice",
        "working_days",
        15,
        "after",
        "5,1",
        True,
        "CR 2020 reg 31(1)(a): before the end of 15 working days beginning with the first "
        "working day after the reg 30(1) documents are supplied; reg 31(1)(b): extendable by "
        "the chair for exceptional circumstances",
    ),
    "reg33_prehearing": (
        "Misconduct pre-hearing", "working_days", 15, "after", "5,1", True,
        "CR 2020 reg 33(1)(a): within 15 working days beginning with the first working day "
        "after the documents were supplied to the chair under reg 32(6), or such extended "
        "period as the chair specifies (reg 33(10)(a))",
    ),
    "proceedings_fixed": (
        "Misconduct proceedings on the date fixed",
        "",
        None,
        "after",
        "7,1",
        True,
        "CR 2020 regs 34-35 (unverified: periods not read, none applied); reg 52(1): an "
        "accelerated hearing not less than 10 and not more than 15 working days after the "
        "reg 51(1) notice",
    ),
    "review_window": (
        "Complainant's review window",
        "calendar_days",
        28,
        "after",
        "",
        False,
        "C&M Regs 2020 reg 29(2): 28 days starting with the day after the day the reg 33(2)(a) "
        "information was provided; reg 29(3): forwarding time left out of account; reg 29(4): "
        "extension by the review body (unverified)",
    ),
    "complainant_update": (
        "Keep the complainant informed",
        "calendar_days",
        28,
        "after",
        "7,2",
        True,
        "C&M Regs 2020 reg 34(2)(a): progress within four weeks of the start of the handling, "
        "then within four weeks of the previous notification",
    ),
}
RETIRED = {"meeting_notice": "proceedings_fixed", "hearing_notice": "proceedings_fixed"}
FIELDS = (
    "name",
    "unit",
    "amount",
    "counting",
    "reminder_days",
    "escalate_when_overdue",
    "citation",
)


def forwards(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    Deadline = apps.get_model("deadlines", "Deadline")
    for code, values in KINDS.items():
        DeadlineKind.objects.update_or_create(
            code=code, defaults=dict(zip(FIELDS, values, strict=True))
        )
    # The invented notice periods go: their clocks become "proceedings on the date fixed" (a
    # track has one forum, so no target gets two open clocks of the new kind).
    for old, new in RETIRED.items():
        kind = DeadlineKind.objects.filter(code=old).first()
        if kind is not None:
            Deadline.objects.filter(kind=kind).update(kind=DeadlineKind.objects.get(code=new))
            kind.delete()


def backwards(apps, schema_editor):
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    DeadlineKind.objects.filter(
        code__in=["iopc_referral", "reg31_response", "reg33_prehearing"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0004_notification_outbox"),
        ("correspondence", "0002_templates_clock_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinekind",
            name="pauses_during_suspension",
            field=models.BooleanField(
                default=False,
                help_text="The law stops this clock while the investigation is suspended: on "
                "resumption the due date moves on by the days suspended (cases.Suspension).",
            ),
        ),
        migrations.CreateModel(
            name="DeadlineExtension",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("previous_due_date", models.DateField()),
                ("new_due_date", models.DateField()),
                ("reason", models.CharField(max_length=300)),
                ("extended_at", models.DateTimeField(auto_now_add=True)),
                (
                    "deadline",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="extensions",
                        to="deadlines.deadline",
                    ),
                ),
                (
                    "extended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["deadline", "extended_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("new_due_date__gt", models.F("previous_due_date"))),
                        name="deadline_extension_moves_forward",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
