"""Run the vetting sweep now, in this process (what beat runs daily)."""

import datetime

from django.core.management.base import BaseCommand

from vetting.sweep import run_sweep


class Command(BaseCommand):
    help = "Expire lapsed clearances and send due re-vetting reminders now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Run as if today were YYYY-MM-DD."
        )

    def handle(self, *args, date=None, **options):
        result = run_sweep(today=date)
        self.stdout.write(
            f"Clearances expired: {result.expired}; re-vetting reminders: {result.reminders}."
        )
