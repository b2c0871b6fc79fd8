"""Complaints sent through the public form before the form's answer on recording was kept on
the case (``Case.handling_answers["recording_wish"]``, cases/services/outside.py) had it only
in their summary ("Formally recorded: ..."). Read it from there, so a complainant who asked
for the complaint to be recorded (PRA 2002 Sch 3 para 2(6A)(a)) is not handled outside
Schedule 3. The form's wording and service account are copied here as they were.
"""

from django.db import migrations

FORM_USERNAME = "online-complaint-form"  # correspondence.intake.FORM_USERNAME
LINE = "Formally recorded: "  # correspondence.intake._summary
ANSWERS = {  # correspondence.complaint_forms.RECORD
    "Yes, I want it formally recorded": "yes",
    "No, I would like it sorted out informally if possible": "no",
    "I am not sure": "unsure",
}


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    sent = (
        Case.objects.filter(created_by__username=FORM_USERNAME, case_type="complaint")
        .exclude(handling_answers__has_key="recording_wish")
        .only("pk", "summary", "received_on", "handling_answers")
    )
    for case in sent.iterator():
        last = (case.summary.splitlines() or [""])[-1]  # the summary's last line
        answer = ANSWERS.get(last[len(LINE) :]) if last.startswith(LINE) else None
        if answer is None:
            continue
        wish = {"answer": answer, "on": case.received_on.isoformat()}
        case.handling_answers = {
            **case.handling_answers,
            "recording_wish": {**wish, "channel": "public_form"},
        }
        case.save(update_fields=["handling_answers"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_advisory_volunteer_stopped")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
