from django.core.management.base import BaseCommand

from audit.sealer import chain_head, seal_pending


class Command(BaseCommand):
    help = "Seal the audit entries waiting in the queue into the keyed chain (beat does this)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        sealed = seal_pending(using=database)
        head = chain_head(database)
        self.stdout.write(f"sealed {sealed} entries; chain head at position {head.position}")
