"""``manage.py generate_data --allegations N --people M --seed S``: synthetic national data.

Generates into the configured database, which must hold no cases yet (use a database of its
own, e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/psd_scale_1350k``; ``bench/run.py``
creates one per scale and seed).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from datagen.generator import DEFAULT_ANCHOR, DEFAULT_YEARS, Generator, Plan


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be at least 1")
    return number


class Command(BaseCommand):
    help = "Generate realistic synthetic cases, people, clearances, deadlines and audit rows."

    def add_arguments(self, parser):
        parser.add_argument("--allegations", type=positive, required=True)
        parser.add_argument("--people", type=positive, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=DEFAULT_ANCHOR,
            help="The data's 'today' (YYYY-MM-DD); fixed so a seed always gives the same data.",
        )
        parser.add_argument("--years", type=positive, default=DEFAULT_YEARS)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        if Case.objects.exists():
            raise CommandError(
                "This database already holds cases: generate into an empty database of its own."
            )
        if options["people"] < 60:
            raise CommandError("--people must be at least 60.")
        plan = Plan(
            allegations=options["allegations"],
            people=options["people"],
            seed=options["seed"],
            anchor=options["anchor"],
            years=options["years"],
            progress=not options["no_progress"] and options["verbosity"] > 0,
        )
        counts = Generator(plan).run()
        rows = ", ".join(f"{name} {n:,}" for name, n in counts.rows.items())
        self.stdout.write(f"Generated in {counts.seconds:.1f} s: {rows}")
