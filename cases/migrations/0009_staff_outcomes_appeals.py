"""Issue 18 items 6-8: the force's staff disciplinary outcome list (police staff are not under
the Conduct Regulations, CR 2020 reg 4(1)), appeals as their own records (CR 2020 reg 45; Police
Appeals Tribunals Rules 2020), and the deadline kinds of the appeal windows and of the
withdrawal notifications (C&M Regs 2020 reg 38(3)-(4)). Appeals recorded before as a subject's
state become Appeal records for review (``manage.py appeals_review``)."""

import datetime
import re

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

from accounts.migration_utils import grant, revoke

# --- Data (issue 18 items 6-8) ---------------------------------------------------------------

# The force's staff disciplinary outcome list, seeded with typical entries: administrators and
# the PSD head change it (names, live periods, new entries; retire rather than delete).
# code, name, barred-list dismissal (Police Act 1996 s88A(1)(c)), live months, order
STAFF_OUTCOMES = [
    ("no_further_action", "No further action", False, None, 1),
    ("management_advice", "Management advice (informal)", False, None, 2),
    ("first_written_warning", "First written warning", False, 12, 3),
    ("final_written_warning", "Final written warning", False, 24, 4),
    ("dismissal_with_notice", "Dismissal with notice", True, None, 5),
    ("dismissal_without_notice", "Dismissal without notice (summary dismissal)", True, None, 6),
]

# code, name, unit, amount, counting, reminder days, escalate when overdue, citation
KINDS = [
    ("appeal_meeting_window", "Time to appeal after a misconduct meeting", "working_days", 7,
     "after", "", False,
     "CR 2020 reg 45(3)(a): notice of appeal before the end of 7 working days beginning with "
     "the first working day after the reg 43 report is given (extendable by the appropriate "
     "authority for exceptional circumstances)"),
    ("pat_appeal_window", "Time to appeal to the Police Appeals Tribunal", "working_days", 10,
     "after", "", False,
     "Police Appeals Tribunals Rules 2020, notice of appeal: period NOT verified against the "
     "text; check the rule and adjust"),
    ("withdrawal_notify_iopc", "Tell the IOPC of a withdrawn complaint", "working_days", 5,
     "after", "2,1", True,
     "C&M Regs 2020 reg 38(3): the IOPC is notified that the withdrawal was recorded; the "
     "regulation sets no period (force practice)"),
    ("withdrawal_notify_review_body", "Tell the review body of a withdrawn complaint",
     "working_days", 5, "after", "2,1", True,
     "C&M Regs 2020 reg 38(4): the review body is notified that the withdrawal was recorded; "
     "the regulation sets no period (force practice)"),
]

GRANTS = {
    "Administrator": ["add_staffoutcomekind", "change_staffoutcomekind", "view_staffoutcomekind"],
    "Appropriate authority": [
        "add_staffoutcomekind", "change_staffoutcomekind", "view_staffoutcomekind",
    ],
}

LODGED = re.compile(r"Appeal lodged (\d{2})/(\d{2})/(\d{4})")


def seed(apps, schema_editor):
    Kind = apps.get_model("cases", "StaffOutcomeKind")
    for code, name, dismissal, months, order in STAFF_OUTCOMES:
        Kind.objects.update_or_create(
            code=code,
            defaults={"name": name, "barred_list_dismissal": dismissal,
                      "live_months": months, "order": order},
        )
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    for code, name, unit, amount, counting, reminders, escalate, citation in KINDS:
        DeadlineKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "amount": amount, "counting": counting,
                      "reminder_days": reminders, "escalate_when_overdue": escalate,
                      "citation": citation},
        )
    grant(apps, "cases", GRANTS)


def appeals_from_tracks(apps, schema_editor):
    """Before issue 18 an appeal was a subject's state ("appeal"), recorded from any outcome
    with no window. Each becomes an Appeal record, still pending, with no outcome and its time
    unknown: ``manage.py appeals_review`` lists them for a person to complete."""
    Track = apps.get_model("cases", "SubjectTrack")
    Transition = apps.get_model("cases", "CaseTransition")
    Appeal = apps.get_model("cases", "Appeal")
    for track in Track.objects.filter(state="appeal").order_by("pk"):
        logged = Transition.objects.filter(track=track, name="appeal").order_by("-at", "-pk")
        logged = logged.first()
        lodged_on = track.concluded_on or datetime.date.today()
        grounds = "Recorded before appeals were separate records (issue 18)."
        if logged is not None:
            lodged_on, grounds = logged.at.date(), logged.reason or grounds
            match = LODGED.search(logged.reason or "")
            if match:
                day, month, year = (int(part) for part in match.groups())
                lodged_on = datetime.date(year, month, day)
        Appeal.objects.create(
            track=track,
            outcome=None,
            kind="aa" if track.forum == "meeting" else "pat",
            lodged_on=lodged_on,
            in_time=None,
            grounds=grounds,
            recorded_by_id=logged.actor_id if logged is not None else None,
        )


def unseed(apps, schema_editor):
    revoke(apps, "cases", GRANTS)
    apps.get_model("deadlines", "DeadlineKind").objects.filter(
        code__in=[kind[0] for kind in KINDS]
    ).delete()


TRACK_STATES = [
    ("pending", "Awaiting severity assessment"),
    ("severity_assessed", "Severity assessed"),
    ("notice_served", "Regulation 17 notice served"),
    ("awaiting_decision", "Awaiting case-to-answer decision"),
    ("no_case_to_answer", "No case to answer"),
    ("case_to_answer", "Case to answer"),
    ("meeting", "Misconduct meeting"),
    ("hearing", "Misconduct hearing"),
    ("accelerated_hearing", "Accelerated hearing"),
    ("outcome", "Proceedings concluded"),
    ("rprp", "Reflective practice"),
    ("rprp_complete", "Reflective practice complete"),
    ("no_action", "No further action"),
    ("appeal", "Appeal pending"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_misconduct_route_and_handling"),
        ("deadlines", "0006_list_further_reports"),
        ("accounts", "0002_roles_and_ranks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffOutcomeKind",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=120)),
                ("barred_list_dismissal", models.BooleanField(default=False, help_text="A dismissal (with or without notice): reported to the barred list (Police Act 1996 s88A(1)(c)).")),
                ("live_months", models.PositiveSmallIntegerField(blank=True, help_text="Months a warning stays live under the staff policy; blank if not a warning.", null=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("active", models.BooleanField(default=True, help_text="Offered for new outcomes.")),
            ],
            options={"verbose_name": "staff disciplinary outcome", "ordering": ["order", "name"]},
        ),
        migrations.AddField(
            model_name="outcome",
            name="staff_outcome",
            field=models.ForeignKey(blank=True, help_text="Police staff: the outcome under the force's staff disciplinary policy (they are not under the Conduct Regulations).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="cases.staffoutcomekind"),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="status",
            field=models.CharField(choices=[("proposed", "Proposed"), ("approved", "Approved"), ("refused", "Refused"), ("superseded", "Superseded after review or appeal")], default="proposed", max_length=10),
        ),
        migrations.AlterField(
            model_name="subjecttrack",
            name="state",
            field=django_fsm.FSMField(choices=TRACK_STATES, default="pending", max_length=50, protected=True),
        ),
        migrations.CreateModel(
            name="Appeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("aa", "Appeal to the appropriate authority (CR 2020 reg 45)"), ("pat", "Police Appeals Tribunal")], max_length=3)),
                ("lodged_on", models.DateField()),
                ("window_ends_on", models.DateField(blank=True, null=True)),
                ("in_time", models.BooleanField(blank=True, help_text="Lodged within the window (blank: not known).", null=True)),
                ("extension_reason", models.TextField(blank=True, help_text="Why an appeal out of time was accepted.")),
                ("grounds", models.TextField()),
                ("result", models.CharField(blank=True, choices=[("", "Not yet decided"), ("dismissed", "Appeal dismissed: the outcome stands"), ("varied", "Outcome varied"), ("overturned", "Finding overturned")], default="", max_length=10)),
                ("decided_on", models.DateField(blank=True, null=True)),
                ("result_reasons", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("outcome", models.ForeignKey(blank=True, help_text="The outcome appealed against (blank for appeals recorded before issue 18).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="appeals", to="cases.outcome")),
                ("recorded_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("track", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="appeals", to="cases.subjecttrack")),
                ("varied_outcome", models.OneToOneField(blank=True, help_text="The outcome substituted on appeal.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="varied_by_appeal", to="cases.outcome")),
            ],
            options={
                "ordering": ["lodged_on", "id"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("outcome__isnull", False)), fields=("outcome",), name="one_appeal_per_outcome"),
                    models.UniqueConstraint(condition=models.Q(("result", "")), fields=("track",), name="one_open_appeal_per_track"),
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(appeals_from_tracks, migrations.RunPython.noop),
    ]
