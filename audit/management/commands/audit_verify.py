from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; name the first broken row (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        report = verify_chain(using=database)
        if not report.ok:
            raise CommandError(
                f"audit chain broken at entry id={report.broken_id} seq={report.broken_seq}: "
                f"{report.problem}. {report.checked} entries before it are intact."
            )
        self.stdout.write(
            f"audit chain intact: {report.checked} entries; head hash {report.head_hash or '-'}"
        )
