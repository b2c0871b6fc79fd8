"""``manage.py handling_review``: list cases and outcomes stored before the issue 18 rules that
those rules would not have allowed, for a person to review. Changes nothing."""

from django.core.management.base import BaseCommand

from audit.services import audit_event
from cases.services.handling_review import handling_problems


class Command(BaseCommand):
    help = "List stored cases/outcomes the Schedule 3 and misconduct-route rules would refuse."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="at most this many per check")

    def handle(self, *args, limit: int = 50, **options):
        lines = handling_problems(limit=limit)
        audit_event(
            actor=None,
            action="cases.handling_review",
            reason="Review of stored cases against the issue 18 rules",
            data={"found": len(lines)},
        )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{len(lines)} to review." if lines else "Nothing to review.")
