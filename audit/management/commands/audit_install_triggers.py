from django.core.management.base import BaseCommand

from audit.dbroles import connected_as_owner
from audit.triggers import install_triggers


class Command(BaseCommand):
    help = "(Re)create the audit triggers on every tracked table (migrate does this too)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        with connected_as_owner(database):  # triggers belong to the tables' owner
            tables = install_triggers(using=database)
        self.stdout.write(f"audit triggers installed on {len(tables)} tables: {', '.join(tables)}")
