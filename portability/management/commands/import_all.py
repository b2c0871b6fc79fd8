"""Restore a complete export into an empty database (all of it, or nothing)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability.importer import ImportRefused, import_export


class Command(BaseCommand):
    help = "Load an export written by export_all into this empty (migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="in_dir", type=Path, required=True)

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            counts = import_export(options["in_dir"])
        except ImportRefused as refused:
            raise CommandError(f"Nothing was imported. {refused}") from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Imported {sum(counts.values())} rows into {len(counts)} tables in {seconds:.1f} s. "
            "Users have no password yet: set one for each (or send a reset) before they sign in."
        )
