"""Write a complete export (every case, the personnel register, vetting, lists...) to a
directory, or the schema documentation with --schema-doc."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability.docs import schema_markdown
from portability.exporter import ExportRefused
from portability.runs import export_write
from portability.schema import FORMATS


class Command(BaseCommand):
    help = "Write every exported table to --out (new or empty) as JSON Lines or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--out", type=Path, help="A new or empty directory.")
        parser.add_argument(
            "--schema-doc",
            type=Path,
            metavar="FILE",
            help="Write the schema documentation (docs/export-schema.md) instead.",
        )

    def handle(self, *args, **options):
        if options["schema_doc"]:
            options["schema_doc"].write_text(schema_markdown(), encoding="utf-8")
            self.stdout.write(f"Wrote {options['schema_doc']}")
            return
        if not options["out"]:
            raise CommandError("--out DIRECTORY is required.")
        started = time.monotonic()
        try:
            result = export_write(actor=None, fmt=options["format"], directory=options["out"])
        except ExportRefused as refused:
            raise CommandError(str(refused)) from None
        seconds = time.monotonic() - started
        total = sum(result.counts.values())
        self.stdout.write(
            f"Wrote {total} rows in {len(result.counts)} files to {result.directory} "
            f"in {seconds:.1f} s (manifest.json lists their checksums)."
        )
