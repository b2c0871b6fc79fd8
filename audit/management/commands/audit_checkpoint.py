from pathlib import Path

from django.core.management.base import BaseCommand

from audit.checkpoints import default_path, write_checkpoint


class Command(BaseCommand):
    help = (
        "Seal the queue and append a signed checkpoint of the chain head to "
        "AUDIT_CHECKPOINT_PATH (beat does this every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument("--path", type=Path, help="another file (default: the setting)")

    def handle(self, *args, database, path, **options):
        line = write_checkpoint(using=database, path=path)
        self.stdout.write(
            f"checkpoint written to {path or default_path()}: position {line['seq']}, "
            f"hash {line['hash'] or '-'}"
        )
