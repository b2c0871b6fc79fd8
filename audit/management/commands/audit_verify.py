from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit trail: its hash chains, the sealing queue and the signed checkpoints "
        "(AUDIT_CHECKPOINT_PATH, or --checkpoints for a shipped copy). Names each kind of "
        "damage found (truncated, tail deleted, rewritten, edited, ...) and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument("--checkpoints", type=Path, help="a copy of the checkpoint file")

    def handle(self, *args, database, checkpoints, **options):
        if checkpoints is not None and not checkpoints.is_file():
            raise CommandError(f"no checkpoint file at {checkpoints}")
        report = verify_chain(using=database, checkpoints=checkpoints)
        if not report.ok:
            lines = "\n".join(f"  - {finding}" for finding in report.findings)
            raise CommandError(
                f"audit trail damaged ({report.checked} links checked, head at position "
                f"{report.head_position}):\n{lines}"
            )
        if not report.checkpoints and report.checked:
            where = checkpoints or settings.AUDIT_CHECKPOINT_PATH
            self.stderr.write(
                f"warning: no checkpoints in {where}: a truncated trail or a deleted tail "
                "cannot be detected without them (run audit_checkpoint; point --checkpoints "
                "at the shipped copy)"
            )
        self.stdout.write(
            f"audit chain intact: {report.checked} entries; head hash {report.head_hash or '-'}; "
            f"{report.pending} awaiting sealing; {report.checkpoints} checkpoints agree"
        )
