"""Run the deadlines sweep now, in this process (``make run`` has no worker or beat)."""

from django.core.management.base import BaseCommand

from deadlines.sweep import run_sweep


class Command(BaseCommand):
    help = "Send due deadline reminders and escalations now (what beat runs every 5 minutes)."

    def handle(self, *args, **options):
        result = run_sweep()
        self.stdout.write(
            f"Deadlines checked: {result.deadlines}; notifications: {result.notifications}; "
            f"e-mails: {result.emails}."
        )
