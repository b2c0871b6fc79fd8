"""Statistics in milliseconds (issue 21 item 4): snapshots and their beat schedule (every 10
minutes), and partial indexes on the cases the formal figures read (Schedule 3 only: the
recorded tables filter on recorded_on, the finalised ones on finalised_at). The indexes are
the statistics' read path, so this app owns them (plain SQL that SQLite and PostgreSQL both
accept; not part of the cases model's state)."""

from django.db import migrations, models

TASK_NAME = "Statistics: whole-force snapshots of this financial year and the last"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "stats.refresh_snapshots",
            "interval": every,
            "crontab": None,
            "enabled": True,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


INDEXES = [
    ("stats_case_sch3_recorded_idx", "recorded_on"),
    ("stats_case_sch3_finalised_idx", "finalised_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_seed_subcategories"),
        ("cases", "0002_reference_data_and_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatisticsSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_start", models.DateField()),
                ("period_end", models.DateField()),
                (
                    "computed_at",
                    models.DateTimeField(help_text="When the figures were read."),
                ),
                ("tables", models.JSONField(help_text="stats.snapshots encodes the tables.")),
            ],
            options={
                "ordering": ["-period_start"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("period_start", "period_end"), name="one_snapshot_per_period"
                    )
                ],
            },
        ),
        migrations.RunPython(schedule, unschedule),
        *[
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases_case ({column}) "
                "WHERE handling = 'sch3'",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, column in INDEXES
        ],
    ]
