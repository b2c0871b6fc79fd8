"""django-celery-beat: seal the audit queue every 30 seconds and write a signed checkpoint of
the chain head every 5 minutes (issue 20). Operators may change the intervals in the admin."""

from django.db import migrations

SEAL = "Audit trail: seal queued entries"
CHECKPOINT = "Audit trail: signed checkpoint of the chain head"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_30_seconds, _ = IntervalSchedule.objects.get_or_create(every=30, period="seconds")
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    for name, task, interval in [
        (SEAL, "audit.seal", every_30_seconds),
        (CHECKPOINT, "audit.checkpoint", every_5_minutes),
    ]:
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True}
        )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[SEAL, CHECKPOINT]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_keyed_chain"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
