"""Restore a complete export into an empty database (all of it, or nothing)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability.importer import ImportRefused, import_export, verify_export


class Command(BaseCommand):
    help = "Load an export written by export_all into this empty (migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="in_dir", type=Path, required=True)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the export (manifest, checksums, every value); write nothing.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["check"]:
            try:
                counts = verify_export(options["in_dir"])
            except ImportRefused as refused:
                raise CommandError(f"The export is not importable. {refused}") from None
            self.stdout.write(
                f"The export is complete and readable: {sum(counts.values())} rows in "
                f"{len(counts)} files, checked in {time.monotonic() - started:.1f} s."
            )
            return
        try:
            counts = import_export(options["in_dir"])
        except ImportRefused as refused:
            raise CommandError(f"Nothing was imported. {refused}") from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Imported {sum(counts.values())} rows into {len(counts)} tables in {seconds:.1f} s. "
            "Users have no password yet: set one for each (or send a reset) before they sign in."
        )
